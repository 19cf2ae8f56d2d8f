// A consumer's gtest against the installed framework: a service, a client, a
// matcher; and a daemon built with xpctest_add_service_module.
#include <xpctest/xpctest.h>

namespace {

void EchoPeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    xpc_dictionary_set_string(reply, "echo", xpc_dictionary_get_string(message, "say"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

class ConsumerTest : public xpctest::Test {};

TEST_F(ConsumerTest, EchoesThroughTheInstalledFramework) {
  xpctest::Service echo = Serve("echo", EchoPeer);
  xpctest::Client client = Connect(echo);
  EXPECT_THAT(client.SendSync(xpctest::Dict{{"say", "hi"}}), xpctest::HasString("echo", "hi"));
}

TEST_F(ConsumerTest, LaunchesADaemonBuiltAsAServiceModule) {
  world().RegisterServiceModule("com.example.echo", ECHO_SERVICE_PATH);
  xpctest::Client client = ConnectTo("com.example.echo");
  xpctest::Object reply = client.SendSync(xpctest::Dict{{"say", "hi"}});
  EXPECT_THAT(reply, xpctest::HasString("echo", "hi"));
  EXPECT_THAT(reply, xpctest::HasInt64("pid", world().ServiceProcess("com.example.echo").pid()));
}

}  // namespace
