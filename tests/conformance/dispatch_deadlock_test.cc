// Deadlock detection on the deterministic executor: a wait that can never
// complete is reported ("deadlock: ...") with every blocked wait, and returns
// as a timeout so the test continues.
#include "dispatch/environment.h"
#include "dispatch_test_support.h"
#include "xpctest/diagnostics.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using fakes::dispatch::EnvironmentOptions;
using fakes::dispatch::ExecutorKind;
using fakes::dispatch::ScopedEnvironment;

class DispatchDeadlock : public ::testing::Test {
 protected:
  DispatchDeadlock() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
  ScopedEnvironment env_{EnvironmentOptions{ExecutorKind::kDeterministic, 0, "host"}};
};

TEST_F(DispatchDeadlock, SemaphoreNobodySignalsIsReportedAndTimesOut) {
  MisuseRecorder recorder;
  dispatch_semaphore_t s = dispatch_semaphore_create(0);
  EXPECT_NE(dispatch_semaphore_wait(s, DISPATCH_TIME_FOREVER), 0);
  ASSERT_THAT(recorder.Headlines(),
              ElementsAre("deadlock: dispatch_semaphore_wait can never return: nothing can run "
                          "and no timer is pending"));
  EXPECT_THAT(recorder.Reports()[0].details, HasSubstr("blocked waits (innermost first)"));
  std::fprintf(stderr, "%s\n", recorder.Reports()[0].ToString().c_str());
  dispatch_release(s);
}

TEST_F(DispatchDeadlock, NestedWaitsAreAllListed) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.worker", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t other = dispatch_queue_create("com.example.other", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t never = dispatch_semaphore_create(0);
  dispatch_suspend(other);
  dispatch_async(other, ^{ dispatch_semaphore_signal(never); });
  dispatch_async(q, ^{ dispatch_semaphore_wait(never, DISPATCH_TIME_FOREVER); });
  dispatch_sync(q, ^{});
  // Once the inner wait gives up (as a timeout), its item ends, the queue is
  // free, and the outer dispatch_sync completes: one report.
  ASSERT_EQ(recorder.Reports().size(), 1u);
  std::string details = recorder.Reports()[0].details;
  std::fprintf(stderr, "%s\n", recorder.Reports()[0].ToString().c_str());
  EXPECT_THAT(details, HasSubstr("#0 dispatch_semaphore_wait"));
  EXPECT_THAT(details, HasSubstr("on queue \"com.example.worker\""));
  EXPECT_THAT(details, HasSubstr("#1 dispatch_sync: waits for dispatch_sync onto queue \"com.example.worker\""));
  EXPECT_THAT(details, HasSubstr("queue \"com.example.other\" (domain \"host\"): 1 item(s) pending; itself is suspended"));
  dispatch_resume(other);
  fakes::dispatch::RunUntilIdle();
  dispatch_release(never);
  dispatch_release(q);
  dispatch_release(other);
}

TEST_F(DispatchDeadlock, FiniteWaitJustAdvancesVirtualTime) {
  MisuseRecorder recorder;
  dispatch_semaphore_t s = dispatch_semaphore_create(0);
  auto start = fakes::dispatch::Now();
  EXPECT_NE(dispatch_semaphore_wait(s, dispatch_time(DISPATCH_TIME_NOW, 60 * NSEC_PER_SEC)), 0);
  EXPECT_EQ((fakes::dispatch::Now() - start).count(), static_cast<int64_t>(60 * NSEC_PER_SEC));
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  dispatch_release(s);
}

TEST_F(DispatchDeadlock, WaitAdvancesThroughTimersThatHelp) {
  MisuseRecorder recorder;
  dispatch_semaphore_t s = dispatch_semaphore_create(0);
  dispatch_queue_t q = dispatch_queue_create("com.example.late", DISPATCH_QUEUE_SERIAL);
  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 3600 * NSEC_PER_SEC), q,
                 ^{ dispatch_semaphore_signal(s); });
  EXPECT_EQ(dispatch_semaphore_wait(s, DISPATCH_TIME_FOREVER), 0);
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  dispatch_release(q);
  dispatch_release(s);
}

TEST_F(DispatchDeadlock, DispatchMainReportsNothingLeftToRun) {
  EXPECT_DEATH(
      {
        dispatch_async(dispatch_get_main_queue(), ^{});
        dispatch_main();
      },
      "deadlock: dispatch_main: nothing left to run");
}

TEST_F(DispatchDeadlock, DispatchMainRunsMainQueueWork) {
  EXPECT_EXIT(
      {
        dispatch_after(dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC), dispatch_get_main_queue(),
                       ^{ std::exit(7); });
        dispatch_main();
      },
      ::testing::ExitedWithCode(7), "");
}

}  // namespace
}  // namespace xpctest::testing
