// Fuzzes the transport (S49-S51): what a peer receives is what was sent,
// deep-copied, both ways. The fuzzer's client empties each message right
// after sending it; the echo service puts what it received into its reply
// and empties both right after sending. The reply must still hold the
// request exactly (FuzzValueMismatch: fds as equivalent descriptors, shmem
// as a mapping of the same bytes, S41-S43, S51).
#include "xpctest/fuzz.h"

namespace {

void EchoPeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    xpc_dictionary_set_value(reply, "echo", message);
    xpc_connection_send_message(peer, reply);
    xpctest::EmptyAllContainers(reply);  // S49: the client has its own copy by now
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

std::string EchoMismatch(const xpctest::FuzzMessage& request, xpc_object_t reply) {
  return xpctest::FuzzValueMismatch(request.body, xpc_dictionary_get_value(reply, "echo"));
}

}  // namespace

XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Serve(EchoPeer, {.check_reply = EchoMismatch}))
