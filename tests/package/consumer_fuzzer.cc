// A consumer's fuzz target against the installed framework (xpctest::libfuzzer).
#include <xpctest/fuzz.h>

namespace {

void EchoPeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    const char* said = xpc_dictionary_get_string(message, "say");
    xpc_dictionary_set_string(reply, "echo", said != nullptr ? said : "");
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

}  // namespace

XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Serve(EchoPeer, {.words = {"say"}}))
