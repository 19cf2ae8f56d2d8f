// dispatch_sync and its relatives (dispatch_barrier_sync,
// dispatch_async_and_wait): order, thread stealing, and the main thread.
// Each test runs on every executor.
#include <atomic>

#include "dispatch_test_support.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class DispatchSync : public DispatchFixture {};

TEST_P(DispatchSync, AsyncAndWaitRunsAfterEarlierBlocksAndReturnsAfterItsOwn) {
  dispatch_queue_t q = dispatch_queue_create("com.example.and-wait", DISPATCH_QUEUE_SERIAL);
  EventLog* log = new EventLog;
  dispatch_async(q, ^{ log->Add("async 1"); });
  dispatch_async(q, ^{ log->Add("async 2"); });
  dispatch_async_and_wait(q, ^{ log->Add("and_wait"); });
  log->Add("returned");
  dispatch_barrier_async_and_wait(q, ^{ log->Add("barrier and_wait"); });
  EXPECT_THAT(log->Events(), ElementsAre("async 1", "async 2", "and_wait", "returned",
                                         "barrier and_wait"));
  dispatch_release(q);
  delete log;
}

using SyncCall = void (*)(dispatch_queue_t, dispatch_block_t);

// kCallers blocks on a concurrent queue each `call` onto `target`. The first
// to get in (with `holder_call`) holds `target` until kWorkers of them have
// started, kWorkers being the threaded pool's cap: every worker then waits in
// a sync call at once. libdispatch runs a sync block on the thread that waits
// for it as soon as the queue is free, so that needs no other worker; the
// fake used to need one to hand the queue over, and hung.
void EveryCallerGetsTheQueue(SyncCall holder_call, SyncCall call, dispatch_queue_t target) {
  constexpr int kCallers = 200;
  constexpr int kWorkers = 64;
  MisuseRecorder recorder;
  dispatch_queue_t callers = dispatch_queue_create("com.example.callers", DISPATCH_QUEUE_CONCURRENT);
  dispatch_semaphore_t arrived = dispatch_semaphore_create(0);
  dispatch_group_t group = dispatch_group_create();
  std::atomic<int> tickets{0}, ran{0};
  std::atomic<int>* ticket = &tickets;
  std::atomic<int>* done = &ran;
  for (int i = 0; i < kCallers; ++i) {
    dispatch_group_async(group, callers, ^{
      dispatch_semaphore_signal(arrived);
      if (ticket->fetch_add(1) == 0) {
        holder_call(target, ^{
          for (int k = 0; k < kWorkers; ++k) dispatch_semaphore_wait(arrived, DISPATCH_TIME_FOREVER);
          done->fetch_add(1);
        });
      } else {
        call(target, ^{ done->fetch_add(1); });
      }
    });
  }
  EXPECT_TRUE(dispatch_group_wait(group, dispatch_time(DISPATCH_TIME_NOW, kWaitNanos)) == 0)
      << ran.load() << " of " << kCallers << " sync blocks ran";
  EXPECT_EQ(ran.load(), kCallers);
  EXPECT_EQ(recorder.Reports().size(), 0u)
      << "first: " << (recorder.Reports().empty() ? "" : recorder.Reports()[0].ToString());
  dispatch_release(group);
  dispatch_release(arrived);
  dispatch_release(callers);
}

TEST_P(DispatchSync, MoreSyncCallersThanWorkersOnASerialQueueAllComplete) {
  dispatch_queue_t target = dispatch_queue_create("com.example.target", DISPATCH_QUEUE_SERIAL);
  EveryCallerGetsTheQueue(dispatch_sync, dispatch_sync, target);
  dispatch_release(target);
}

TEST_P(DispatchSync, MoreBarrierSyncCallersThanWorkersAllComplete) {
  dispatch_queue_t target = dispatch_queue_create("com.example.target", DISPATCH_QUEUE_CONCURRENT);
  EveryCallerGetsTheQueue(dispatch_barrier_sync, dispatch_barrier_sync, target);
  dispatch_release(target);
}

TEST_P(DispatchSync, MoreAsyncAndWaitCallersThanWorkersAllComplete) {
  dispatch_queue_t target = dispatch_queue_create("com.example.target", DISPATCH_QUEUE_SERIAL);
  EveryCallerGetsTheQueue(dispatch_async_and_wait, dispatch_async_and_wait, target);
  dispatch_release(target);
}

TEST_P(DispatchSync, MoreSyncCallersThanWorkersBehindABarrierOnAConcurrentQueueAllComplete) {
  dispatch_queue_t target = dispatch_queue_create("com.example.target", DISPATCH_QUEUE_CONCURRENT);
  EveryCallerGetsTheQueue(dispatch_barrier_sync, dispatch_sync, target);
  dispatch_release(target);
}

// The test body is its process's main thread, and libdispatch binds the main
// queue to the main thread: dispatch_sync onto it (directly, through a queue
// that targets it, or from a block the main thread runs by dispatch_sync)
// never returns on macOS. It is reported as libdispatch reports it, and the
// block does not run.
TEST_P(DispatchSync, SyncOntoTheMainQueueFromTheMainThreadIsReported) {
  MisuseRecorder recorder;
  dispatch_queue_t on_main = dispatch_queue_create("com.example.on-main", DISPATCH_QUEUE_SERIAL);
  dispatch_set_target_queue(on_main, dispatch_get_main_queue());
  dispatch_queue_t other = dispatch_queue_create("com.example.other", DISPATCH_QUEUE_SERIAL);
  __block int ran = 0;
  dispatch_sync(dispatch_get_main_queue(), ^{ ++ran; });
  dispatch_sync(on_main, ^{ ++ran; });
  dispatch_sync(other, ^{ dispatch_sync(dispatch_get_main_queue(), ^{ ++ran; }); });
  EXPECT_EQ(ran, 0);
  const char* kOwned = "BUG IN CLIENT OF LIBDISPATCH: dispatch_sync called on queue already "
                       "owned by current thread";
  ASSERT_THAT(recorder.Headlines(), ElementsAre(kOwned, kOwned, kOwned));
  EXPECT_EQ(recorder.Reports()[0].call, "dispatch_sync");
  EXPECT_THAT(recorder.Reports()[0].object, ::testing::HasSubstr("com.apple.main-thread"));
  dispatch_release(other);
  dispatch_release(on_main);
}

// Being the main thread is holding the main queue: assertions, the current
// queue's label and specifics say so outside any block too, and inside a
// dispatch_sync block run on the main thread.
TEST_P(DispatchSync, TheMainThreadIsOnTheMainQueue) {
  MisuseRecorder recorder;
  static char key;
  int value = 1;
  dispatch_queue_set_specific(dispatch_get_main_queue(), &key, &value, NULL);
  dispatch_assert_queue(dispatch_get_main_queue());
  dispatch_assert_queue_barrier(dispatch_get_main_queue());
  EXPECT_STREQ(dispatch_queue_get_label(DISPATCH_CURRENT_QUEUE_LABEL), "com.apple.main-thread");
  EXPECT_EQ(dispatch_get_specific(&key), &value);
  dispatch_queue_t q = dispatch_queue_create("com.example.stolen", DISPATCH_QUEUE_SERIAL);
  dispatch_sync(q, ^{ dispatch_assert_queue(dispatch_get_main_queue()); });
  EXPECT_THAT(recorder.Headlines(), IsEmpty());
  dispatch_assert_queue_not(dispatch_get_main_queue());
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: Block was not expected to execute on "
                          "queue [com.apple.main-thread]"));
  dispatch_queue_set_specific(dispatch_get_main_queue(), &key, NULL, NULL);
  dispatch_release(q);
}

TEST_P(DispatchSync, SyncOntoTheMainQueueFromTheMainThreadAbortsWithoutSink) {
  EXPECT_DEATH(dispatch_sync(dispatch_get_main_queue(), ^{}),
               "dispatch_sync called on queue already owned by current thread");
}

// From anywhere but the main thread, dispatch_sync onto the main queue runs
// the block, one at a time with the main queue's other blocks.
TEST_P(DispatchSync, SyncOntoTheMainQueueFromAnotherQueueRuns) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.worker", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  __block bool ran = false;
  __block bool on_main = false;
  dispatch_async(q, ^{
    dispatch_sync(dispatch_get_main_queue(), ^{
      ran = true;
      on_main = dispatch_queue_get_label(DISPATCH_CURRENT_QUEUE_LABEL) ==
                std::string("com.apple.main-thread");
    });
    dispatch_semaphore_signal(done);
  });
  ASSERT_TRUE(Await(done));
  EXPECT_TRUE(ran);
  EXPECT_TRUE(on_main);
  EXPECT_THAT(recorder.Headlines(), IsEmpty());
  dispatch_release(done);
  dispatch_release(q);
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchSync, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

}  // namespace
}  // namespace xpctest::testing
