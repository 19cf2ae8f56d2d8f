// docs/writing-tests.md: faults. Services and processes can crash, exit and
// hang; a MockService can answer, stall, drop the peer or crash per message.
#include <xpctest/xpctest.h>

namespace {

using ::testing::_;
using xpctest::Dict;
using xpctest::IsInterrupted;

// Replies with the request's "n".
void Echo(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == NULL) return;
    xpc_dictionary_set_int64(reply, "n", xpc_dictionary_get_int64(message, "n"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

class FaultsTest : public xpctest::Test {};

// S62: a named client is interrupted, stays usable, and reaches whoever
// serves the name next.
TEST_F(FaultsTest, ACrashInterruptsANamedClientWhichThenReachesTheNextService) {
  xpctest::Service first = Serve("echo", Echo, {.mach_service = "com.example.echo"});
  xpctest::Client client = ConnectTo("com.example.echo");
  client.SendSync(Dict{{"n", 1}});
  first.Crash();  // or first.Exit(): peers see the same errors
  EXPECT_THAT(client.NextEvent(), IsInterrupted());

  xpctest::Service second = Serve("echo-again", Echo, {.mach_service = "com.example.echo"});
  EXPECT_THAT(client.SendSync(Dict{{"n", 2}}), xpctest::HasInt64("n", 2));
}

TEST_F(FaultsTest, AHungServiceAnswersOnlyOnceResumed) {
  xpctest::Service service = Serve("echo", Echo);
  xpctest::Client client = Connect(service);
  client.SendSync(Dict{{"n", 1}});
  service.Hang();
  xpctest::PendingReply pending = client.SendAsync(Dict{{"n", 2}});
  EXPECT_FALSE(pending.ready());
  service.Resume();
  EXPECT_THAT(pending.Wait(), xpctest::HasInt64("n", 2));
}

// MockService actions, one per message.
TEST_F(FaultsTest, AMockServiceCanDropThePeerOrCrash) {
  xpctest::MockService mock;
  xpctest::Service service = Serve("flaky", mock.Handler(), {.mach_service = "com.example.flaky"});
  EXPECT_CALL(mock, OnMessage(_))
      .WillOnce(xpctest::CancelPeer())  // S70: the named client is interrupted
      .WillOnce(xpctest::Crash());      // S63: so is the request in flight
  xpctest::Client client = ConnectTo("com.example.flaky");
  EXPECT_THAT(client.SendSync(Dict{{"n", 1}}), IsInterrupted());
  EXPECT_THAT(client.SendSync(Dict{{"n", 2}}), IsInterrupted());
  EXPECT_EQ(service.process().state(), "crashed");
}

}  // namespace
