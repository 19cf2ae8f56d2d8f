// The program tests/framework/check_explore.cmake explores: one test that
// fails only under some seeds, one that passes under all. Not a ctest test
// itself (a failing test is its point).
#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

Object Add(int64_t a, int64_t b) { return Dict{{"op", "add"}, {"a", a}, {"b", b}}; }

class ExploreTarget : public xpctest::Test {};

// Wrong on purpose: S80 orders messages on one connection only, so nothing
// orders the replies of two services. Seed 0 (FIFO) happens to answer in the
// order asked; other seeds pick either service first.
TEST_F(ExploreTarget, TwoServicesAnswerInTheOrderAsked) {
  Service first = Serve("first", AdderHandlePeer);
  Service second = Serve("second", AdderHandlePeer);
  Client to_first = Connect(first);
  Client to_second = Connect(second);
  PendingReply from_first = to_first.SendAsync(Add(1, 1));
  PendingReply from_second = to_second.SendAsync(Add(2, 2));
  EXPECT_THAT(from_second.Wait(), HasInt64("sum", 4));
  EXPECT_TRUE(from_first.ready()) << "the second service answered first";
  EXPECT_THAT(from_first.Wait(), HasInt64("sum", 2));
}

// Right under every seed: S80, one connection is FIFO.
TEST_F(ExploreTarget, OneConnectionAnswersInTheOrderAsked) {
  Service adder = Serve("adder", AdderHandlePeer);
  Client client = Connect(adder);
  PendingReply one = client.SendAsync(Add(1, 0));
  PendingReply two = client.SendAsync(Add(2, 0));
  EXPECT_THAT(two.Wait(), HasInt64("sum", 2));
  EXPECT_TRUE(one.ready());
  EXPECT_THAT(one.Wait(), HasInt64("sum", 1));
}

}  // namespace
}  // namespace xpctest::testing
