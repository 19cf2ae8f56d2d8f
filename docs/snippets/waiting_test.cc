// docs/writing-tests.md: waiting without sleeping. Replies and events are
// recorded; waits run the world until what they wait for has happened.
#include <xpctest/xpctest.h>

#include <chrono>

namespace {

using ::testing::_;
using xpctest::Dict;
using xpctest::HasBool;
using xpctest::IsReply;

class WaitingTest : public xpctest::Test {};

TEST_F(WaitingTest, ASlowReplyCostsVirtualTimeOnly) {
  xpctest::MockService mock;
  xpctest::Service service = Serve("slow", mock.Handler());
  EXPECT_CALL(mock, OnMessage(_))
      .WillOnce(xpctest::ReplyAfter(std::chrono::milliseconds(300), Dict{{"done", true}}));
  xpctest::Client client = Connect(service);

  xpctest::PendingReply pending = client.SendAsync(Dict{{"op", "work"}});
  EXPECT_FALSE(pending.ready());
  EXPECT_THAT(pending.Wait(), HasBool("done", true));
  EXPECT_GE(world().Now(), std::chrono::milliseconds(300));  // virtual on the deterministic executor
}

TEST_F(WaitingTest, EverythingTheClientSawIsRecorded) {
  xpctest::MockService mock;
  xpctest::Service service = Serve("store", mock.Handler());
  EXPECT_CALL(mock, OnMessage(_)).WillOnce(xpctest::Reply(Dict{{"done", true}}));
  xpctest::Client client = Connect(service);

  client.SendAsync(Dict{{"op", "work"}});
  EXPECT_TRUE(client.WaitFor(IsReply(HasBool("done", true))));
  client.Cancel();
  EXPECT_THAT(client.NextEvent(), xpctest::IsInvalid());  // S68: exactly one final INVALID
  RunUntilIdle();
  EXPECT_THAT(client.Events(), ::testing::ElementsAre(IsReply(_), xpctest::IsInvalid()));
}

}  // namespace
