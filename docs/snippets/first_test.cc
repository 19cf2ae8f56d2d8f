// docs/writing-tests.md: a first test. The service is ordinary XPC code; the
// test stands it up in its own simulated process and talks to it.
#include <xpctest/xpctest.h>

// The code under test: a peer handler, as you would hand it to xpc_main().
static void adder_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == NULL) return;
    xpc_dictionary_set_int64(reply, "sum", xpc_dictionary_get_int64(message, "a") +
                                               xpc_dictionary_get_int64(message, "b"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

namespace {

using xpctest::Dict;
using xpctest::HasInt64;

class AdderTest : public xpctest::Test {};

TEST_F(AdderTest, RepliesWithTheSum) {
  xpctest::Service adder = Serve("adder", adder_handle_peer);
  xpctest::Client client = Connect(adder);
  EXPECT_THAT(client.SendSync(Dict{{"a", 2}, {"b", 3}}), HasInt64("sum", 5));
}

TEST_F(AdderTest, ServesClientsByMachServiceName) {
  xpctest::Service adder = Serve("adder", adder_handle_peer, {.mach_service = "com.example.adder"});
  xpctest::Client client = ConnectTo("com.example.adder");
  xpctest::Object reply = client.SendSync(Dict{{"a", 40}, {"b", 2}});
  EXPECT_EQ(reply["sum"].AsInt64(), 42);
}

}  // namespace
