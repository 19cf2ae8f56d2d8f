// The mock service: expectations on incoming messages, actions for answers.
#include <atomic>
#include <chrono>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::_;
using ::testing::StrictMock;

class MockServiceTest : public xpctest::Test {};

TEST_F(MockServiceTest, RepliesWithWhatTheExpectationSays) {
  StrictMock<MockService> mock;
  Service service = Serve("store", mock.Handler());
  EXPECT_CALL(mock, OnMessage(HasString("op", "fetch"))).WillOnce(Reply(Dict{{"value", 42}}));
  Client client = Connect(service);
  EXPECT_THAT(client.SendSync(Dict{{"op", "fetch"}}), HasInt64("value", 42));
}

TEST_F(MockServiceTest, CancelPeerInterruptsTheClient) {
  MockService mock;
  Service service = Serve("store", mock.Handler());
  EXPECT_CALL(mock, OnMessage(_)).WillOnce(CancelPeer());
  Client client = Connect(service);
  EXPECT_THAT(client.SendSync(Dict{{"op", "fetch"}}), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
}

TEST_F(MockServiceTest, CrashAtAMessageInterruptsTheRequest) {
  MockService mock;
  Service service = Serve("store", mock.Handler());
  EXPECT_CALL(mock, OnMessage(_)).WillOnce(Crash());
  Client client = Connect(service);
  EXPECT_THAT(client.SendSync(Dict{{"op", "boom"}}), IsInterrupted());
  EXPECT_EQ(service.process().state(), "crashed");
}

TEST_F(MockServiceTest, MessagesWithoutReplyHandlerGetNoReply) {
  MockService mock;
  Service service = Serve("store", mock.Handler());
  EXPECT_CALL(mock, OnMessage(HasString("op", "note"))).WillOnce(Reply(Dict{{"ignored", true}}));
  Client client = Connect(service);
  client.Send(Dict{{"op", "note"}});
  RunUntilIdle();
  EXPECT_TRUE(client.Events().empty());
}


// A ReplyAfter whose peer ended (the client cancelled) is dropped with its
// timer: the world is idle at once. On threads, RunUntilIdle (and every
// test's teardown) used to wait the whole delay out.
TEST_F(MockServiceTest, AReplyAfterWhosePeerEndedKeepsNothingWaiting) {
  MockService mock;
  Service service = Serve("slow", mock.Handler());
  std::atomic<int> asked{0};
  std::atomic<int>* count = &asked;
  EXPECT_CALL(mock, OnMessage(_)).WillOnce(::testing::DoAll(
      ::testing::InvokeWithoutArgs([count] { ++*count; }),
      ReplyAfter(std::chrono::hours(1), Dict{{"value", 1}})));
  Client client = Connect(service);
  PendingReply pending = client.SendAsync(Dict{{"op", "fetch"}});
  ASSERT_TRUE(RunUntil([count] { return count->load() == 1; }));
  client.Cancel();
  EXPECT_THAT(pending.Wait(), IsInvalid());
  RunUntilIdle();
  EXPECT_LT(world().Now(), std::chrono::hours(1));
}

}  // namespace
}  // namespace xpctest::testing
