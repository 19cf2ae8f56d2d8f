// A Client over a session (S116–S125), and replies matched to their requests.
#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class SessionClientTest : public xpctest::Test {};

// S116: a session may talk to a service written with the connection API.
TEST_F(SessionClientTest, ASessionGetsRepliesFromAConnectionService) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.adder"});
  Client session = ConnectSession("com.example.adder");
  ASSERT_NE(session.session(), nullptr);
  EXPECT_EQ(session.connection(), nullptr);
  EXPECT_THAT(session.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 3}}), HasInt64("sum", 5));
}

// S116: no INTERRUPTED stage; the session ends, and a new one may succeed.
TEST_F(SessionClientTest, AServiceCrashCancelsTheSessionWithARetryableRichError) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.adder"});
  Client session = ConnectSession("com.example.adder");
  session.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 1}});
  adder.Crash();
  Event ended = session.NextEvent();
  EXPECT_THAT(ended, AllOf(IsRichError(HasSubstr("Session cancelled")), CanRetry()));
  EXPECT_THAT(session.Events(), Not(Contains(IsMessage(IsInterrupted()))));
}

// S123: a reply still pending when the peer dies gets a rich error instead.
TEST_F(SessionClientTest, AReplyPendingWhenTheServiceCrashesGetsARichError) {
  Service silent = Serve(
      "silent",
      [](xpc_connection_t peer) {
        xpc_connection_set_event_handler(peer, ^(xpc_object_t) {});  // never replies
        xpc_connection_activate(peer);
      },
      {.mach_service = "com.example.silent"});
  ExpectWarning("released without a reply");  // P2: the service dropped the request
  Client session = ConnectSession("com.example.silent");
  PendingReply pending = session.SendAsync(Dict{{"op", "wait"}});
  RunUntilIdle();
  EXPECT_FALSE(pending.ready());
  silent.Crash();
  EXPECT_THAT(pending.Wait(), IsRichError(HasSubstr("Session cancelled")));
}

// S124: the cancel handler runs once, saying this process cancelled.
TEST_F(SessionClientTest, CancelRecordsOneRichErrorThatCannotBeRetried) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.adder"});
  Client session = ConnectSession("com.example.adder");
  session.Cancel();
  EXPECT_THAT(session.NextEvent(), AllOf(IsRichError(HasSubstr("cancelled by this process")),
                                         Not(CanRetry())));
  RunUntilIdle();
  EXPECT_EQ(session.Events().size(), 1u);
}

// S117, S119: activation fails, the session is cancelled, and the cancel
// handler says why.
TEST_F(SessionClientTest, ASessionToAnUnknownNameRecordsWhyItEnded) {
  Client session = ConnectSession("com.example.nobody");
  RunUntilIdle();
  std::vector<Event> events = session.Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0], IsRichError(HasSubstr("failed at lookup")));
}

TEST_F(SessionClientTest, IsReplyToMatchesARepliesRequest) {
  Service adder = Serve("adder", AdderHandlePeer);
  Client client = Connect(adder);
  client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 2}});
  EXPECT_THAT(client.Events(), Contains(IsReplyTo(HasString("op", "add"), HasInt64("sum", 4))));
  EXPECT_THAT(client.Events(), Not(Contains(IsReplyTo(HasString("op", "sub")))));
}

TEST_F(SessionClientTest, IsReplyToExplainsWhichRequestAReplyAnswers) {
  Service adder = Serve("adder", AdderHandlePeer);
  Client client = Connect(adder);
  client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 2}});
  ::testing::Matcher<const Event&> matcher = IsReplyTo(HasString("op", "sub"));
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(matcher.MatchAndExplain(client.Events().at(0), &listener));
  EXPECT_THAT(listener.str(), HasSubstr("which answers <dictionary:"));
  EXPECT_THAT(listener.str(), HasSubstr("\"add\""));
  std::stringstream description;
  matcher.DescribeTo(&description);
  EXPECT_THAT(description.str(), HasSubstr("is a reply to a request that"));
}

}  // namespace
}  // namespace xpctest::testing
