// docs/writing-tests.md: labelled clients and the conversation as a diagram.
// Run with --xpctest_trace=trace.txt to get every test's trace and diagram.
#include <xpctest/xpctest.h>

#include <string>

// The vault: answers {get} with the value 42.
static void vault_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == NULL) return;
    xpc_dictionary_set_int64(reply, "value", 42);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

namespace {

using ::testing::HasSubstr;
using xpctest::Dict;

class TraceDiagram : public xpctest::Test {};

TEST_F(TraceDiagram, TwoLabelledClientsALostRequestAndACrash) {
  xpctest::Service vault = Serve("vault", vault_handle_peer, {.mach_service = "com.example.vault"});
  xpctest::Faults(world())
      .On(xpctest::RequestsTo("com.example.vault").Matching(xpctest::HasString("get", "lost")))
      .Drop();
  xpctest::Client first = ConnectTo("com.example.vault", "vault-1");
  xpctest::Client second = ConnectTo("com.example.vault", "vault-2");
  EXPECT_THAT(first.SendSync(Dict{{"get", "pin"}}), xpctest::HasInt64("value", 42));
  second.Send(Dict{{"get", "lost"}});
  EXPECT_THAT(second.SendSync(Dict{{"get", "pin"}}), xpctest::HasInt64("value", 42));
  vault.Crash();
  EXPECT_THAT(first.NextEvent(), xpctest::IsInterrupted());
  EXPECT_THAT(second.NextEvent(), xpctest::IsInterrupted());

  // The labels name the clients in the trace, in reports and in the diagram.
  std::string diagram = xpctest::MermaidSequenceDiagram(world().Trace());
  EXPECT_THAT(diagram, HasSubstr("<br/>vault-1, vault-2"));
  EXPECT_THAT(diagram, HasSubstr("->>"));   // a message arrived
  EXPECT_THAT(diagram, HasSubstr("-->>"));  // a reply came back
  EXPECT_THAT(diagram, HasSubstr("--x"));   // an error, from the end that caused it
  EXPECT_THAT(diagram, HasSubstr("-x"));    // a fault rule hit a message
}

}  // namespace
