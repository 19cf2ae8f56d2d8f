// dispatch_time, dispatch_after and timer sources on every executor.
#include <atomic>

#include "dispatch/executor.h"
#include "dispatch_test_support.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;

class DispatchTime : public DispatchFixture {};

TEST_P(DispatchTime, TimeArithmeticSaturatesAtForever) {
  EXPECT_EQ(dispatch_time(DISPATCH_TIME_FOREVER, 5), DISPATCH_TIME_FOREVER);
  EXPECT_EQ(dispatch_time(DISPATCH_TIME_NOW, INT64_MAX), DISPATCH_TIME_FOREVER);
  dispatch_time_t now = dispatch_time(DISPATCH_TIME_NOW, 0);
  EXPECT_NE(now, DISPATCH_TIME_NOW);
  EXPECT_EQ(dispatch_time(now, NSEC_PER_SEC), now + NSEC_PER_SEC);
  dispatch_time_t wall = dispatch_walltime(NULL, 0);
  EXPECT_TRUE(static_cast<int64_t>(wall) < 0) << "wall times carry the top bit";
  struct timespec epoch_plus_one = {1, 0};
  EXPECT_EQ(dispatch_walltime(&epoch_plus_one, 0), static_cast<dispatch_time_t>(-NSEC_PER_SEC));
}

TEST_P(DispatchTime, AfterNeverRunsEarly) {
  dispatch_queue_t q = dispatch_queue_create("com.example.after", DISPATCH_QUEUE_SERIAL);
  fakes::dispatch::Executor* ex = &executor();
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  const int64_t delay = 50 * NSEC_PER_MSEC;
  int64_t deadline = ex->Now().nanos + delay;
  __block int64_t ran_at = 0;
  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, delay), q, ^{
    ran_at = ex->Now().nanos;
    dispatch_semaphore_signal(done);
  });
  ASSERT_TRUE(Await(done));
  EXPECT_GE(ran_at, deadline);
  dispatch_release(done);
  dispatch_release(q);
}

// libdispatch runs armed timers in deadline order (their leeways, a tenth of
// each delay, do not overlap here). It promises nothing about a block whose
// deadline passed before a later one was even armed, so the deadlines share
// one base far enough ahead that arming all three normally takes less time;
// when the machine stalled longer than that (it may, under load), only what
// still holds is asserted: each block ran, none before its deadline. The test
// used to arm each block at "now + delay", 10 ms apart, and failed under load.
TEST_P(DispatchTime, AfterBlocksRunInDeadlineOrder) {
  dispatch_queue_t q = dispatch_queue_create("com.example.after", DISPATCH_QUEUE_SERIAL);
  EventLog* log = new EventLog;
  dispatch_group_t g = dispatch_group_create();
  const int64_t ms = NSEC_PER_MSEC;
  const dispatch_time_t base = dispatch_time(DISPATCH_TIME_NOW, 50 * ms);
  const int64_t offsets[] = {50 * ms, 10 * ms, 30 * ms};
  const char* names[] = {"+50", "+10", "+30"};
  std::atomic<int> early{0};
  std::atomic<int>* ran_early = &early;
  for (int i = 0; i < 3; ++i) {
    dispatch_group_enter(g);
    const char* name = names[i];
    const dispatch_time_t deadline = dispatch_time(base, offsets[i]);
    dispatch_after(deadline, q, ^{
      if (dispatch_time(DISPATCH_TIME_NOW, 0) < deadline) ran_early->fetch_add(1);
      log->Add(name);
      dispatch_group_leave(g);
    });
  }
  const bool armed_before_the_first_deadline =
      dispatch_time(DISPATCH_TIME_NOW, 0) < dispatch_time(base, 10 * ms);
  ASSERT_TRUE(Await(g));
  EXPECT_EQ(early.load(), 0);
  if (armed_before_the_first_deadline) {
    EXPECT_THAT(log->Events(), ElementsAre("+10", "+30", "+50"));
  } else {
    EXPECT_THAT(log->Events(), ::testing::UnorderedElementsAre("+10", "+30", "+50"));
  }
  dispatch_release(g);
  dispatch_release(q);
  delete log;
}

TEST_P(DispatchTime, AfterForeverNeverRuns) {
  dispatch_queue_t q = dispatch_queue_create("com.example.never", DISPATCH_QUEUE_SERIAL);
  std::atomic<int> ran{0};
  std::atomic<int>* r = &ran;
  dispatch_after(DISPATCH_TIME_FOREVER, q, ^{ r->fetch_add(1); });
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 0);
  dispatch_release(q);
}

TEST_P(DispatchTime, TimerSourceFiresRepeatedlyUntilCancelledThenRunsCancelHandlerOnce) {
  dispatch_queue_t q = dispatch_queue_create("com.example.timer", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  ASSERT_NE(timer, nullptr);
  std::atomic<int> fires{0}, cancels{0}, after_cancel{0};
  std::atomic<int>* f = &fires;
  std::atomic<int>* c = &cancels;
  std::atomic<int>* late = &after_cancel;
  dispatch_semaphore_t three = dispatch_semaphore_create(0);
  dispatch_semaphore_t cancelled = dispatch_semaphore_create(0);
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, 5 * NSEC_PER_MSEC),
                            5 * NSEC_PER_MSEC, 0);
  dispatch_source_set_event_handler(timer, ^{
    if (c->load() != 0) late->fetch_add(1);
    if (f->fetch_add(static_cast<int>(dispatch_source_get_data(timer))) < 3 &&
        f->load() >= 3) {
      dispatch_semaphore_signal(three);
    }
  });
  dispatch_source_set_cancel_handler(timer, ^{
    c->fetch_add(1);
    dispatch_semaphore_signal(cancelled);
  });
  dispatch_activate(timer);
  ASSERT_TRUE(Await(three));
  dispatch_source_cancel(timer);
  dispatch_source_cancel(timer);  // idempotent
  EXPECT_NE(dispatch_source_testcancel(timer), 0);
  ASSERT_TRUE(Await(cancelled));
  executor().RunUntilIdle();
  EXPECT_EQ(cancels.load(), 1);
  EXPECT_EQ(after_cancel.load(), 0);
  EXPECT_GE(fires.load(), 3);
  dispatch_release(timer);
  dispatch_release(three);
  dispatch_release(cancelled);
  dispatch_release(q);
}

TEST_P(DispatchTime, OneShotTimerFiresOnceAfterItsStart) {
  dispatch_queue_t q = dispatch_queue_create("com.example.oneshot", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  std::atomic<int> fires{0};
  std::atomic<int>* f = &fires;
  fakes::dispatch::Executor* ex = &executor();
  int64_t start = ex->Now().nanos + 20 * NSEC_PER_MSEC;
  __block int64_t fired_at = 0;
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, 20 * NSEC_PER_MSEC),
                            DISPATCH_TIME_FOREVER, 0);
  dispatch_source_set_event_handler(timer, ^{
    fired_at = ex->Now().nanos;
    f->fetch_add(1);
  });
  dispatch_resume(timer);  // resuming an inactive source activates it
  ASSERT_TRUE(executor().RunUntil([&] { return fires.load() > 0; },
                                  std::chrono::seconds(10)));
  executor().RunUntilIdle();
  EXPECT_EQ(fires.load(), 1);
  EXPECT_GE(fired_at, start);
  dispatch_source_cancel(timer);
  dispatch_release(timer);
  dispatch_release(q);
}

TEST_P(DispatchTime, SuspendedTimerCoalescesFiringsIntoData) {
  if (!deterministic()) GTEST_SKIP() << "needs control of time";
  dispatch_queue_t q = dispatch_queue_create("com.example.coalesce", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  __block uintptr_t data = 0;
  __block int calls = 0;
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC), NSEC_PER_SEC, 0);
  dispatch_source_set_event_handler(timer, ^{
    data += dispatch_source_get_data(timer);
    ++calls;
  });
  dispatch_activate(timer);
  dispatch_suspend(timer);
  executor().RunFor(std::chrono::milliseconds(3500));
  EXPECT_EQ(calls, 0);
  dispatch_resume(timer);
  executor().RunFor(std::chrono::milliseconds(100));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(data, 3u);
  dispatch_source_cancel(timer);
  executor().RunUntilIdle();
  dispatch_release(timer);
  dispatch_release(q);
}

// libdispatch treats a zero interval as 1 ns and does not re-arm a repeating
// timer until its previous event has been delivered: the handler runs again
// and again, its data counting the intervals that passed, and cancel returns
// at once. (The fake used to count missed intervals one by one, holding the
// source's lock: a timer started one second ago took a billion steps.)
TEST_P(DispatchTime, ZeroIntervalTimerStartedInThePastNeitherHangsNorBlocksCancel) {
  dispatch_queue_t q = dispatch_queue_create("com.example.fast-timer", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  dispatch_semaphore_t three = dispatch_semaphore_create(0);
  dispatch_semaphore_t cancelled = dispatch_semaphore_create(0);
  std::atomic<int> calls{0};
  std::atomic<uint64_t> intervals{0};
  std::atomic<int>* c = &calls;
  std::atomic<uint64_t>* n = &intervals;
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, -int64_t{NSEC_PER_SEC}), 0, 0);
  dispatch_source_set_event_handler(timer, ^{
    n->fetch_add(dispatch_source_get_data(timer));
    if (c->fetch_add(1) + 1 == 3) dispatch_semaphore_signal(three);
  });
  dispatch_source_set_cancel_handler(timer, ^{ dispatch_semaphore_signal(cancelled); });
  dispatch_activate(timer);
  ASSERT_TRUE(Await(three));
  dispatch_source_cancel(timer);
  ASSERT_TRUE(Await(cancelled));
  EXPECT_GE(intervals.load(), NSEC_PER_SEC) << "every nanosecond since the start is a firing";
  dispatch_release(timer);
  dispatch_release(three);
  dispatch_release(cancelled);
  dispatch_release(q);
}

// Virtual time stands still while handlers run, so a 1-ns timer would fire a
// billion times per virtual second. The deterministic executor fires a
// repeating timer at most once per virtual millisecond; its data still counts
// every interval, as libdispatch's does when the handler lags behind.
TEST_P(DispatchTime, OneNanosecondTimerFiresOncePerVirtualMillisecond) {
  if (!deterministic()) GTEST_SKIP() << "virtual time only";
  dispatch_queue_t q = dispatch_queue_create("com.example.ns-timer", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  __block int calls = 0;
  __block uint64_t intervals = 0;
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, 0), 1, 0);
  dispatch_source_set_event_handler(timer, ^{
    intervals += dispatch_source_get_data(timer);
    if (++calls == 100000) dispatch_source_cancel(timer);  // stops a runaway timer
  });
  dispatch_activate(timer);
  executor().RunFor(std::chrono::seconds(1));
  EXPECT_EQ(calls, 1001) << "at +0 and after each of 1,000 virtual milliseconds";
  EXPECT_EQ(intervals, NSEC_PER_SEC + 1) << "the firings at +0 ns ... +1,000,000,000 ns";
  dispatch_source_cancel(timer);
  executor().RunUntilIdle();
  dispatch_release(timer);
  dispatch_release(q);
}

// With nothing but a 1-ns timer left, a wait that nothing else can end is a
// deadlock after at most 100,000 firings, not after an hour of them.
TEST_P(DispatchTime, WaitWithOnlyANanosecondTimerLeftIsReportedAsADeadlock) {
  if (!deterministic()) GTEST_SKIP() << "deadlock reports are the deterministic executor's";
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.ns-timer", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  __block int calls = 0;
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, 0), 1, 0);
  dispatch_source_set_event_handler(timer, ^{
    if (++calls == 1000000) dispatch_source_cancel(timer);  // stops a runaway timer
  });
  dispatch_activate(timer);
  dispatch_semaphore_t never = dispatch_semaphore_create(0);
  EXPECT_NE(dispatch_semaphore_wait(never, DISPATCH_TIME_FOREVER), 0);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("deadlock: dispatch_semaphore_wait can never return: only repeating "
                          "timers are left"));
  EXPECT_LE(calls, 100001);
  dispatch_source_cancel(timer);
  executor().RunUntilIdle();
  dispatch_release(never);
  dispatch_release(timer);
  dispatch_release(q);
}

// An interval above INT64_MAX nanoseconds is clamped to INT64_MAX, as
// libdispatch clamps it; it used to wrap negative and fire without end.
TEST_P(DispatchTime, IntervalAboveInt64MaxFiresOnce) {
  dispatch_queue_t q = dispatch_queue_create("com.example.huge", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  dispatch_semaphore_t fired = dispatch_semaphore_create(0);
  dispatch_semaphore_t cancelled = dispatch_semaphore_create(0);
  std::atomic<int> calls{0};
  std::atomic<int>* c = &calls;
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, 0),
                            uint64_t{INT64_MAX} + 1000, 0);
  dispatch_source_set_event_handler(timer, ^{
    c->fetch_add(1);
    dispatch_semaphore_signal(fired);
  });
  dispatch_source_set_cancel_handler(timer, ^{ dispatch_semaphore_signal(cancelled); });
  dispatch_activate(timer);
  ASSERT_TRUE(Await(fired));
  if (deterministic()) executor().RunFor(std::chrono::hours(24 * 365));
  dispatch_source_cancel(timer);
  ASSERT_TRUE(Await(cancelled));
  EXPECT_EQ(calls.load(), 1);
  dispatch_release(timer);
  dispatch_release(fired);
  dispatch_release(cancelled);
  dispatch_release(q);
}

// While a repeating timer's event cannot be delivered (its source or its
// target queue suspended), libdispatch does not re-arm the timer: the firings
// coalesce into one pending event whose data counts them, and nothing fires
// meanwhile. So a wait that nothing else can end is a deadlock at the first
// firing, not an hour of firings later.
void CheckSuspendedTimerIsNotRearmed(fakes::dispatch::Executor& executor, bool suspend_source) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.paused", DISPATCH_QUEUE_SERIAL);
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
  __block int calls = 0;
  __block uintptr_t data = 0;
  dispatch_source_set_timer(timer, dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC), NSEC_PER_SEC, 0);
  dispatch_source_set_event_handler(timer, ^{
    data += dispatch_source_get_data(timer);
    ++calls;
  });
  dispatch_activate(timer);
  dispatch_object_t suspended = suspend_source ? dispatch_object_t(timer) : dispatch_object_t(q);
  dispatch_suspend(suspended);
  dispatch_semaphore_t never = dispatch_semaphore_create(0);
  auto start = executor.Now();
  EXPECT_NE(dispatch_semaphore_wait(never, DISPATCH_TIME_FOREVER), 0);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("deadlock: dispatch_semaphore_wait can never return: nothing can run "
                          "and no timer is pending"));
  EXPECT_EQ(executor.Now() - start, std::chrono::seconds(1)) << "the first firing, no other";
  executor.RunFor(std::chrono::milliseconds(2500));
  EXPECT_EQ(calls, 0);
  dispatch_resume(suspended);
  executor.RunFor(std::chrono::milliseconds(0));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(data, 3u) << "firings at +1 s, +2 s and +3 s, delivered at +3.5 s";
  dispatch_source_cancel(timer);
  executor.RunUntilIdle();
  dispatch_release(never);
  dispatch_release(timer);
  dispatch_release(q);
}

TEST_P(DispatchTime, RepeatingTimerOfSuspendedSourceIsNotRearmed) {
  if (!deterministic()) GTEST_SKIP() << "needs control of time";
  CheckSuspendedTimerIsNotRearmed(executor(), /*suspend_source=*/true);
}

TEST_P(DispatchTime, RepeatingTimerOfSuspendedTargetQueueIsNotRearmed) {
  if (!deterministic()) GTEST_SKIP() << "needs control of time";
  CheckSuspendedTimerIsNotRearmed(executor(), /*suspend_source=*/false);
}

TEST_P(DispatchTime, VirtualThirtySecondsPassInstantly) {
  if (!deterministic()) GTEST_SKIP() << "virtual time only";
  dispatch_queue_t q = dispatch_queue_create("com.example.slow", DISPATCH_QUEUE_SERIAL);
  __block bool ran = false;
  auto start = executor().Now();
  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ ran = true; });
  executor().RunUntilIdle();
  EXPECT_TRUE(ran);
  EXPECT_EQ((executor().Now() - start).count(), static_cast<int64_t>(30 * NSEC_PER_SEC));
  dispatch_release(q);
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchTime, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

}  // namespace
}  // namespace xpctest::testing
