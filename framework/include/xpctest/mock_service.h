// xpctest/mock_service.h — a gMock service, for testing client code.
//
// Expectations match incoming messages; actions say how the service answers:
//
//   xpctest::MockService mock;
//   xpctest::Service service = Serve("store", mock.Handler());
//   EXPECT_CALL(mock, OnMessage(HasString("op", "fetch")))
//       .WillOnce(xpctest::Reply(Dict{{"value", 42}}))
//       .WillOnce(xpctest::ReplyAfter(std::chrono::seconds(30), Dict{{"value", 43}}))
//       .WillOnce(xpctest::NeverReply())
//       .WillOnce(xpctest::CancelPeer())
//       .WillOnce(xpctest::Crash());
//
// A reply is built with xpc_dictionary_create_reply and carries the entries
// of the given dictionary; a message sent without a reply handler gets none.
// ReplyAfter waits on the world's clock: virtual time on the deterministic
// executor. A delayed reply whose peer ends first (the client cancelled) is
// dropped with its timer, so it keeps nothing waiting. StrictMock and
// NiceMock work as usual.
#ifndef XPCTEST_MOCK_SERVICE_H
#define XPCTEST_MOCK_SERVICE_H

#include <gmock/gmock.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "xpctest/object.h"
#include "xpctest/service.h"

namespace xpctest {

// What the mock does with one message.
struct Response {
  enum class Kind { kReply, kNoReply, kCancelPeer, kCrash };
  Kind kind = Kind::kNoReply;
  Object reply;
  std::chrono::nanoseconds delay{0};
};

class MockService {
 public:
  MockService();
  ~MockService();

  MOCK_METHOD(Response, OnMessage, (const Object& message));

  // The peer handler to give Serve(): it accepts every peer and routes each
  // message through OnMessage.
  PeerHandler Handler();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

inline auto Reply(Object reply) {
  return ::testing::Return(Response{Response::Kind::kReply, std::move(reply), {}});
}
inline auto ReplyAfter(std::chrono::nanoseconds delay, Object reply) {
  return ::testing::Return(Response{Response::Kind::kReply, std::move(reply), delay});
}
inline auto NeverReply() { return ::testing::Return(Response{Response::Kind::kNoReply, {}, {}}); }
inline auto CancelPeer() {
  return ::testing::Return(Response{Response::Kind::kCancelPeer, {}, {}});
}
inline auto Crash() { return ::testing::Return(Response{Response::Kind::kCrash, {}, {}}); }

}  // namespace xpctest

#endif  // XPCTEST_MOCK_SERVICE_H
