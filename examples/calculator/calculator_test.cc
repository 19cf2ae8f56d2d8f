// The calculator service and its client library, tested as they would run on
// macOS: the service in its own process, clients by endpoint or by name.
#include <atomic>
#include <chrono>
#include <vector>

#include "xpctest/xpctest.h"

extern "C" {
#include "calculator_client.h"
#include "calculator_service.h"
}

namespace {

using ::testing::_;
using xpctest::Array;
using xpctest::Client;
using xpctest::Dict;
using xpctest::HasInt64;
using xpctest::HasString;
using xpctest::IsInterrupted;
using xpctest::PendingReply;
using xpctest::Service;

class CalculatorTest : public xpctest::Test {};

TEST_F(CalculatorTest, AddReturnsTheSum) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 3}}), HasInt64("result", 5));
}

TEST_F(CalculatorTest, SubReturnsTheDifference) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "sub"}, {"a", 2}, {"b", 3}}), HasInt64("result", -1));
}

TEST_F(CalculatorTest, MulReturnsTheProduct) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "mul"}, {"a", -4}, {"b", 6}}), HasInt64("result", -24));
}

TEST_F(CalculatorTest, DivTruncatesTowardZero) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "div"}, {"a", -7}, {"b", 2}}), HasInt64("result", -3));
}

TEST_F(CalculatorTest, AMissingOperandIsAnsweredWithAnError) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 2}}),
              HasString("error", "missing operand \"b\""));
}

TEST_F(CalculatorTest, AMissingOpIsAnsweredWithAnError) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"a", 2}, {"b", 3}}), HasString("error", "missing string \"op\""));
}

TEST_F(CalculatorTest, AnOperandOfTheWrongTypeIsAnsweredWithAnError) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", "two"}, {"b", 3}}),
              HasString("error", "operand \"a\" is a string, not an int64"));
}

TEST_F(CalculatorTest, AnUnknownOpIsAnsweredWithAnError) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "pow"}, {"a", 2}, {"b", 3}}),
              HasString("error", "unknown op \"pow\""));
}

TEST_F(CalculatorTest, DivisionByZeroIsAnsweredWithAnError) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "div"}, {"a", 1}, {"b", 0}}),
              HasString("error", "division by zero"));
}

TEST_F(CalculatorTest, OverflowIsAnsweredWithAnError) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(Dict{{"op", "mul"}, {"a", INT64_MAX}, {"b", 2}}),
              HasString("error", "overflow"));
  EXPECT_THAT(client.SendSync(Dict{{"op", "div"}, {"a", INT64_MIN}, {"b", -1}}),
              HasString("error", "overflow"));
}

TEST_F(CalculatorTest, TheSameConnectionStillComputesAfterBadRequests) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  client.SendSync(Dict{{"op", "div"}, {"a", 1}, {"b", 0}});
  client.SendSync(Dict{{"op", "add"}, {"a", Array{1}}, {"b", 3}});
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 1}}), HasInt64("result", 2));
  EXPECT_EQ(calculator.process().state(), "running");
  EXPECT_THAT(client.Events(), ::testing::Each(xpctest::IsReply(_))) << "no error events";
}

// S85: a message sent without a reply handler cannot be answered; it is dropped.
TEST_F(CalculatorTest, AMessageSentWithoutReplyHandlerIsIgnored) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  client.Send(Dict{{"op", "add"}, {"a", 2}, {"b", 3}});
  RunUntilIdle();
  EXPECT_TRUE(client.Events().empty());
}

// A client cannot make the service hold a request for years, nor overflow
// the delay into nanoseconds. Found by fuzzing (docs/fuzzing.md); the
// message is the fuzzer's, pasted as it printed it.
TEST_F(CalculatorTest, ADelayOfMoreThanAMinuteIsRefused) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  EXPECT_THAT(client.SendSync(xpctest::Dict{{"b", 1}, {"delay_ms", 137438953474}}),
              HasString("error", "\"delay_ms\" is more than a minute"));
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}, {"delay_ms", INT64_MAX}}),
              HasString("error", "\"delay_ms\" is more than a minute"));
}

TEST_F(CalculatorTest, ASlowRequestDoesNotHoldUpTheNextOne) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  PendingReply slow = client.SendAsync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}, {"delay_ms", 500}});
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 3}, {"b", 4}}), HasInt64("result", 7));
  EXPECT_FALSE(slow.ready());
  EXPECT_THAT(slow.Wait(), HasInt64("result", 3));
}

// S63: the pending request is unwound with INTERRUPTED; P3: so is the
// endpoint connection itself.
TEST_F(CalculatorTest, ACrashMidRequestInterruptsTheRequestAndTheConnection) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  Client client = Connect(calculator);
  PendingReply slow =
      client.SendAsync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}, {"delay_ms", 60'000}});
  // S80: messages arrive in order, so once this reply is back the service is
  // working on the slow request.
  client.SendSync(Dict{{"op", "add"}, {"a", 0}, {"b", 0}});
  calculator.Crash();
  EXPECT_THAT(slow.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  if (xpctest::Options().executor == xpctest::control::ExecutorKind::kDeterministic) {
    EXPECT_LT(world().Now(), std::chrono::seconds(60)) << "the answer was never computed";
  }
}

// S62: a named client is interrupted too, and stays usable.
TEST_F(CalculatorTest, ACrashMidRequestInterruptsANamedClient) {
  Service named = Serve("calculatord", calculator_handle_peer,
                        {.mach_service = CALCULATOR_MACH_SERVICE});
  Client client = ConnectTo(CALCULATOR_MACH_SERVICE);
  PendingReply slow = client.SendAsync(Dict{{"op", "mul"}, {"a", 6}, {"b", 7}, {"delay_ms", 1000}});
  client.SendSync(Dict{{"op", "add"}, {"a", 0}, {"b", 0}});  // S80, as above
  named.Crash();
  EXPECT_THAT(slow.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
}

class CalculatorClientTest : public xpctest::Test {
 protected:
  // Starts (again) the calculator under its Mach-service name.
  void Launch() {
    launches_.push_back(
        Serve("calculatord", calculator_handle_peer, {.mach_service = CALCULATOR_MACH_SERVICE}));
  }
  // Tells the world to relaunch the calculator when a client looks it up and
  // nothing serves the name: what launchd does for a crashed daemon.
  void RelaunchOnDemand() {
    world().SetLauncher(CALCULATOR_MACH_SERVICE, [this] {
      Launch();
      return true;
    });
  }

  void TearDown() override {
    world().RemoveLauncher(CALCULATOR_MACH_SERVICE);
    launches_.clear();  // cancels the listeners before the fixture checks
    xpctest::Test::TearDown();
  }

  std::vector<Service> launches_;
};

// What an asynchronous computation delivered, written by its completion block.
struct Outcome {
  std::atomic<bool> done{false};
  calculator_result_t result{};
};

TEST_F(CalculatorClientTest, ComputesThroughTheService) {
  Launch();
  calculator_client_t calc = calculator_client_create(CALCULATOR_MACH_SERVICE);
  calculator_result_t result = calculator_compute(calc, "mul", 6, 7);
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.value, 42);
  EXPECT_EQ(result.attempts, 1);
  calculator_client_destroy(calc);
}

TEST_F(CalculatorClientTest, ReportsTheServicesErrorWithoutResending) {
  Launch();
  calculator_client_t calc = calculator_client_create(CALCULATOR_MACH_SERVICE);
  calculator_result_t result = calculator_compute(calc, "div", 1, 0);
  EXPECT_FALSE(result.ok);
  EXPECT_STREQ(result.error, "division by zero");
  EXPECT_EQ(result.attempts, 1);
  calculator_client_destroy(calc);
}

// S62: after INTERRUPTED the named connection still works; its next send
// reaches whatever serves the name now.
TEST_F(CalculatorClientTest, AfterACrashTheNextRequestReachesTheNewService) {
  Launch();
  calculator_client_t calc = calculator_client_create(CALCULATOR_MACH_SERVICE);
  EXPECT_TRUE(calculator_compute(calc, "add", 1, 1).ok);
  launches_[0].Crash();
  RunUntilIdle();  // the client takes its INTERRUPTED
  Launch();
  calculator_result_t result = calculator_compute(calc, "add", 2, 2);
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.value, 4);
  EXPECT_EQ(result.attempts, 1) << "nothing was in flight at the crash";
  calculator_client_destroy(calc);
}

// S62/S63: the request in flight at the crash comes back INTERRUPTED; the
// client sends it again, which relaunches the service.
TEST_F(CalculatorClientTest, ARequestLostInACrashIsResentToTheRelaunchedService) {
  Launch();
  RelaunchOnDemand();
  calculator_client_t calc = calculator_client_create(CALCULATOR_MACH_SERVICE);
  Outcome outcome;
  Outcome* out = &outcome;
  // The resent request is slow too: free in virtual time, a second on threads.
  int64_t delay_ms = xpctest::Options().executor == xpctest::control::ExecutorKind::kDeterministic
                         ? 10'000
                         : 1'000;
  calculator_compute_async(calc, "add", 20, 22, delay_ms, nullptr,
                           ^(calculator_result_t result) {
                             out->result = result;
                             out->done = true;
                           });
  // S80: once this answer is back, the slow request is inside the service.
  ASSERT_TRUE(calculator_compute(calc, "add", 0, 0).ok);
  pid_t first = launches_[0].process().pid();
  launches_[0].Crash();
  ASSERT_TRUE(RunUntil([&] { return outcome.done.load(); }));
  EXPECT_TRUE(outcome.result.ok) << outcome.result.error;
  EXPECT_EQ(outcome.result.value, 42);
  EXPECT_EQ(outcome.result.attempts, 2);
  ASSERT_EQ(launches_.size(), 2u);
  EXPECT_NE(launches_[1].process().pid(), first);
  calculator_client_destroy(calc);
}

// P3: an endpoint connection cannot be re-established, so the resend fails
// with INVALID instead of reaching anyone.
TEST_F(CalculatorClientTest, AnEndpointClientCannotRecoverFromACrash) {
  Service calculator = Serve("calculator", calculator_handle_peer);
  calculator_client_t calc = calculator_client_create_from_endpoint(
      static_cast<xpc_endpoint_t>(calculator.endpoint().get()));
  Outcome outcome;
  Outcome* out = &outcome;
  calculator_compute_async(calc, "add", 20, 22, /*delay_ms=*/10'000, nullptr,
                           ^(calculator_result_t result) {
                             out->result = result;
                             out->done = true;
                           });
  ASSERT_TRUE(calculator_compute(calc, "add", 0, 0).ok);  // S80, as above
  calculator.Crash();
  ASSERT_TRUE(RunUntil([&] { return outcome.done.load(); }));
  EXPECT_FALSE(outcome.result.ok);
  EXPECT_STREQ(outcome.result.error, "Connection invalid");
  EXPECT_EQ(outcome.result.attempts, 2);
  calculator_client_destroy(calc);
}

// The client resends once, not forever: a service that drops every request
// (S70: cancelling the peer interrupts the named client) is reported.
TEST_F(CalculatorClientTest, ResendsOnlyOnce) {
  xpctest::MockService mock;
  Service service = Serve("calculatord", mock.Handler(), {.mach_service = CALCULATOR_MACH_SERVICE});
  EXPECT_CALL(mock, OnMessage(HasString("op", "add")))
      .WillOnce(xpctest::CancelPeer())
      .WillOnce(xpctest::CancelPeer());
  calculator_client_t calc = calculator_client_create(CALCULATOR_MACH_SERVICE);
  calculator_result_t result = calculator_compute(calc, "add", 1, 2);
  EXPECT_FALSE(result.ok);
  EXPECT_STREQ(result.error, "Connection interrupted");
  EXPECT_EQ(result.attempts, 2);
  calculator_client_destroy(calc);
}

TEST_F(CalculatorClientTest, ASecondAttemptCanSucceedAfterAnInterruption) {
  xpctest::MockService mock;
  Service service = Serve("calculatord", mock.Handler(), {.mach_service = CALCULATOR_MACH_SERVICE});
  EXPECT_CALL(mock, OnMessage(HasString("op", "add")))
      .WillOnce(xpctest::CancelPeer())
      .WillOnce(xpctest::Reply(Dict{{"result", 3}}));
  calculator_client_t calc = calculator_client_create(CALCULATOR_MACH_SERVICE);
  calculator_result_t result = calculator_compute(calc, "add", 1, 2);
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.value, 3);
  EXPECT_EQ(result.attempts, 2);
  calculator_client_destroy(calc);
}

}  // namespace
