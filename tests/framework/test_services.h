// Small services written the way XPC code is: a peer handler in C style.
#ifndef XPCTEST_TESTS_FRAMEWORK_TEST_SERVICES_H
#define XPCTEST_TESTS_FRAMEWORK_TEST_SERVICES_H

#include <xpc/xpc.h>

#include <string_view>

namespace xpctest::testing {

// Replies to {op: "add", a, b} with {sum}; to anything else with {error}.
inline void AdderHandlePeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    const char* op = xpc_dictionary_get_string(message, "op");
    if (op != nullptr && std::string_view(op) == "add") {
      xpc_dictionary_set_int64(reply, "sum", xpc_dictionary_get_int64(message, "a") +
                                                 xpc_dictionary_get_int64(message, "b"));
    } else {
      xpc_dictionary_set_string(reply, "error", "unknown op");
    }
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

// What a launchd daemon's main does before dispatch_main(): listens on the
// Mach service `name`, each peer served by AdderHandlePeer.
inline void ListenAsAdder(const char* name) {
  xpc_connection_t listener =
      xpc_connection_create_mach_service(name, nullptr, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) {
      AdderHandlePeer(static_cast<xpc_connection_t>(peer));
    }
  });
  xpc_connection_activate(listener);
}

}  // namespace xpctest::testing

#endif  // XPCTEST_TESTS_FRAMEWORK_TEST_SERVICES_H
