// docs/writing-tests.md: client code in its own process, and warnings a test
// expects.
#include <xpctest/xpctest.h>

namespace {

using xpctest::Dict;

// Replies with the pid of the process that sent the message.
void WhoAmI(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    xpc_dictionary_set_int64(reply, "pid", xpc_connection_get_pid(peer));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

class ProcessesTest : public xpctest::Test {};

TEST_F(ProcessesTest, AClientInAnotherProcessIsSeenWithItsPid) {
  xpctest::control::Process app = world().Spawn("app");
  xpctest::Service whoami = Serve("whoami", WhoAmI);
  xpctest::Client client = ConnectFrom(app, whoami);
  EXPECT_THAT(client.SendSync(Dict{{"op", "who"}}), xpctest::HasInt64("pid", app.pid()));
}

// Plain C code runs as a process inside a ScopedProcess: the connections it
// makes belong to that process, and die with it.
TEST_F(ProcessesTest, CodeRunsAsTheProcessOfItsScope) {
  xpctest::control::Process app = world().Spawn("app");
  xpctest::Service whoami = Serve("whoami", WhoAmI, {.mach_service = "com.example.whoami"});
  int64_t pid;
  {
    xpctest::control::ScopedProcess as(app);
    xpc_connection_t connection = xpc_connection_create_mach_service("com.example.whoami", NULL, 0);
    xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {});
    xpc_connection_activate(connection);
    xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
    xpc_object_t reply = xpc_connection_send_message_with_reply_sync(connection, request);
    pid = xpc_dictionary_get_int64(reply, "pid");
    xpc_release(reply);
    xpc_release(request);
    xpc_connection_cancel(connection);
    xpc_release(connection);
  }
  EXPECT_EQ(pid, app.pid());
}

// P2: a request released unanswered is a warning; unexpected, it fails the test.
TEST_F(ProcessesTest, AForgottenReplyIsAWarningTheTestCanExpect) {
  ExpectWarning("released without a reply");
  xpctest::Service forgetful = Serve("forgetful", [](xpc_connection_t peer) {
    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {});
    xpc_connection_activate(peer);
  });
  xpctest::Client client = Connect(forgetful);
  xpctest::PendingReply pending = client.SendAsync(Dict{{"op", "lost"}});
  RunUntilIdle();
  EXPECT_FALSE(pending.ready());
}

}  // namespace
