// Deadlock detection on the deterministic executor: when no wait can ever
// complete, the deadlock is reported ("deadlock: ...") with every blocked
// wait, and the driving thread's wait returns as a timeout so the test
// continues. And waits that GCD completes complete here, on every executor.
#include <unistd.h>

#include <atomic>

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
  EXPECT_THAT(recorder.Reports()[0].details, HasSubstr("blocked waits (most recent first)"));
  std::fprintf(stderr, "%s\n", recorder.Reports()[0].ToString().c_str());
  dispatch_release(s);
}

// The test body's dispatch_sync waits for a block that waits for a
// semaphore only a block on a suspended queue would signal.
TEST_F(DispatchDeadlock, EveryBlockedWaitIsListedAndTheDrivingThreadsGivesUp) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.worker", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t other = dispatch_queue_create("com.example.other", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t never = dispatch_semaphore_create(0);
  dispatch_suspend(other);
  dispatch_async(other, ^{ dispatch_semaphore_signal(never); });
  __block bool block_ended = false;
  dispatch_async(q, ^{
    dispatch_semaphore_wait(never, DISPATCH_TIME_FOREVER);
    block_ended = true;
  });
  __block bool sync_ran = false;
  dispatch_sync(q, ^{ sync_ran = true; });
  // The driving thread's wait gives up (its block does not run); the block's
  // wait stays blocked: one report.
  EXPECT_FALSE(sync_ran);
  EXPECT_FALSE(block_ended);
  ASSERT_THAT(recorder.Headlines(),
              ElementsAre("deadlock: dispatch_sync can never return: nothing can run and no "
                          "timer is pending"));
  std::string details = recorder.Reports()[0].details;
  std::fprintf(stderr, "%s\n", recorder.Reports()[0].ToString().c_str());
  EXPECT_THAT(details, HasSubstr("#0 dispatch_semaphore_wait"));
  EXPECT_THAT(details, HasSubstr("on queue \"com.example.worker\""));
  EXPECT_THAT(details, HasSubstr("#1 dispatch_sync: waits for dispatch_sync onto queue "
                                 "\"com.example.worker\"; on no queue (the driving thread)"));
  EXPECT_THAT(details, HasSubstr("queue \"com.example.other\" (domain \"host\"): 1 item(s) pending; itself is suspended"));
  // Once `other` may run, the blocked block finishes.
  dispatch_resume(other);
  fakes::dispatch::RunUntilIdle();
  EXPECT_TRUE(block_ended);
  dispatch_release(never);
  dispatch_release(q);
  dispatch_release(other);
}

// A wait that nothing else can end is unwound when the executor goes: it
// returns (as a timeout) and its block runs to its end.
TEST(DispatchDeadlockShutdown, BlockedWaitsReturnWhenTheExecutorShutsDown) {
  std::atomic<int> ended{0};
  std::atomic<int>* e = &ended;
  dispatch_semaphore_t never;
  {
    MisuseRecorder recorder;
    ScopedEnvironment env(EnvironmentOptions{ExecutorKind::kDeterministic, 0, "host"});
    dispatch_queue_t q = dispatch_queue_create("com.example.stuck", DISPATCH_QUEUE_CONCURRENT);
    never = dispatch_semaphore_create(0);
    dispatch_group_t g = dispatch_group_create();
    for (int i = 0; i < 3; ++i) {
      dispatch_group_async(g, q, ^{
        if (dispatch_semaphore_wait(never, DISPATCH_TIME_FOREVER) != 0) e->fetch_add(1);
      });
    }
    // The test body's wait has a deadline: it times out; the blocks' waits
    // stay blocked, and nothing is reported.
    EXPECT_NE(dispatch_group_wait(g, dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC)), 0);
    EXPECT_EQ(ended.load(), 0) << "still blocked";
    EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
    dispatch_release(g);
    dispatch_release(q);
  }
  EXPECT_EQ(ended.load(), 3);
  dispatch_release(never);
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
                       // _exit: the child's leak check at exit would see the
                       // parked main thread's stack as leaks (ASan builds).
                       ^{ _exit(7); });
        dispatch_main();
      },
      ::testing::ExitedWithCode(7), "");
}

// Waits that GCD completes complete here, on every executor. Each of these
// used to be reported as a deadlock on the deterministic executor, whose
// blocking waits nested on one stack so that only the innermost could return:
// any program in which an inner blocked work item needs an outer blocked one
// to continue looked deadlocked.
class DispatchWaits : public DispatchFixture {};

TEST_P(DispatchWaits, NestedApplyOnAGlobalQueueCompletes) {
  MisuseRecorder recorder;
  std::atomic<int> iterations{0};
  std::atomic<int>* count = &iterations;
  dispatch_queue_t global = dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0);
  dispatch_apply(8, global, ^(size_t) {
    dispatch_apply(8, global, ^(size_t) { count->fetch_add(1); });
  });
  EXPECT_EQ(iterations.load(), 64);
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
}

TEST_P(DispatchWaits, SyncSignalsABlockWaitingOnTheSameConcurrentQueue) {
  MisuseRecorder recorder;
  dispatch_queue_t c = dispatch_queue_create("com.example.concurrent", DISPATCH_QUEUE_CONCURRENT);
  dispatch_semaphore_t go = dispatch_semaphore_create(0);
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  dispatch_async(c, ^{
    dispatch_semaphore_wait(go, DISPATCH_TIME_FOREVER);
    dispatch_semaphore_signal(done);
  });
  dispatch_sync(c, ^{ dispatch_semaphore_signal(go); });
  EXPECT_TRUE(Await(done));
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  dispatch_release(done);
  dispatch_release(go);
  dispatch_release(c);
}

TEST_P(DispatchWaits, ProducerAndConsumerBlocksHandOffThroughTwoSemaphores) {
  MisuseRecorder recorder;
  dispatch_queue_t producer = dispatch_queue_create("com.example.producer", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t consumer = dispatch_queue_create("com.example.consumer", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t empty = dispatch_semaphore_create(1);
  dispatch_semaphore_t full = dispatch_semaphore_create(0);
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  __block int slot = 0;
  __block int sum = 0;
  dispatch_async(producer, ^{
    for (int i = 1; i <= 100; ++i) {
      dispatch_semaphore_wait(empty, DISPATCH_TIME_FOREVER);
      slot = i;
      dispatch_semaphore_signal(full);
    }
  });
  dispatch_async(consumer, ^{
    for (int i = 1; i <= 100; ++i) {
      dispatch_semaphore_wait(full, DISPATCH_TIME_FOREVER);
      sum += slot;
      dispatch_semaphore_signal(empty);
    }
    dispatch_semaphore_signal(done);
  });
  ASSERT_TRUE(Await(done));
  EXPECT_EQ(sum, 5050);
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  for (dispatch_object_t o : {dispatch_object_t(done), dispatch_object_t(full),
                              dispatch_object_t(empty), dispatch_object_t(consumer),
                              dispatch_object_t(producer)}) {
    dispatch_release(o);
  }
}

// An outer block (entered first) waits for an inner one that itself waits for
// the test body: every wait ends, in the order the program needs.
TEST_P(DispatchWaits, AnOuterWaitEndsBeforeAnInnerOne) {
  MisuseRecorder recorder;
  dispatch_queue_t a = dispatch_queue_create("com.example.a", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t b = dispatch_queue_create("com.example.b", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t a_may_finish = dispatch_semaphore_create(0);
  dispatch_semaphore_t b_may_finish = dispatch_semaphore_create(0);
  dispatch_group_t group = dispatch_group_create();
  EventLog* log = new EventLog;
  dispatch_group_async(group, a, ^{
    dispatch_semaphore_wait(a_may_finish, DISPATCH_TIME_FOREVER);
    log->Add("a");
    dispatch_semaphore_signal(b_may_finish);
  });
  dispatch_group_async(group, b, ^{
    dispatch_semaphore_signal(a_may_finish);
    dispatch_semaphore_wait(b_may_finish, DISPATCH_TIME_FOREVER);
    log->Add("b");
  });
  ASSERT_TRUE(Await(group));
  EXPECT_THAT(log->Events(), ElementsAre("a", "b"));
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  dispatch_release(group);
  dispatch_release(b_may_finish);
  dispatch_release(a_may_finish);
  dispatch_release(b);
  dispatch_release(a);
  delete log;
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchWaits, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

}  // namespace
}  // namespace xpctest::testing
