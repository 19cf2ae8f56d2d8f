// A session client (macOS 13+ session API) against a service, and what
// teardown checks at the end of every test.
#include <xpctest/xpctest.h>

namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using xpctest::Client;
using xpctest::Dict;
using xpctest::Service;

void EchoHandlePeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    xpc_dictionary_set_string(reply, "echo", xpc_dictionary_get_string(message, "text"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

class SessionsTest : public xpctest::Test {};

TEST_F(SessionsTest, ASessionNeverReconnects) {
  Service echo = Serve("echo", EchoHandlePeer, {.mach_service = "com.example.echo"});
  Client session = ConnectSession("com.example.echo");
  EXPECT_THAT(session.SendSync(Dict{{"text", "hi"}}), xpctest::HasString("echo", "hi"));
  EXPECT_THAT(session.Events(), Contains(xpctest::IsReplyTo(xpctest::HasString("text", "hi"))));

  echo.Crash();
  // No INTERRUPTED stage: the cancel handler's rich error ends the session.
  EXPECT_THAT(session.NextEvent(), AllOf(xpctest::IsRichError(HasSubstr("Session cancelled")),
                                         xpctest::CanRetry()));
}

TEST_F(SessionsTest, EveryObjectMadeInATestIsReleased) {
  xpc_object_t message = xpc_dictionary_create_empty();
  xpc_dictionary_set_string(message, "text", "kept only briefly");
  xpc_release(message);  // without this, teardown fails the test:
  // "1 XPC object(s) made during the test were never released"
}

}  // namespace
