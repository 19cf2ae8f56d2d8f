// The mock service: expectations on incoming messages, actions for answers.
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

}  // namespace
}  // namespace xpctest::testing
