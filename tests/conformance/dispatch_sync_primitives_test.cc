// dispatch_once, semaphores and groups on every executor.
#include <atomic>

#include "dispatch_test_support.h"

namespace xpctest::testing {
namespace {

class DispatchPrimitives : public DispatchFixture {};

TEST_P(DispatchPrimitives, OnceRunsItsBlockExactlyOnceAcrossQueues) {
  static dispatch_once_t once;
  once = 0;  // fresh for each parameter
  std::atomic<int> runs{0};
  std::atomic<int>* r = &runs;
  dispatch_queue_t q = dispatch_queue_create("com.example.once", DISPATCH_QUEUE_CONCURRENT);
  dispatch_group_t g = dispatch_group_create();
  for (int i = 0; i < 20; ++i) {
    dispatch_group_async(g, q, ^{ dispatch_once(&once, ^{ r->fetch_add(1); }); });
  }
  ASSERT_TRUE(Await(g));
  EXPECT_EQ(runs.load(), 1);
  dispatch_release(g);
  dispatch_release(q);
}

// A dispatch_once block that waits does not stop other callers from waiting
// for it, nor is their call taken for a recursive one.
TEST_P(DispatchPrimitives, OnceCallersWaitForABlockThatWaits) {
  MisuseRecorder recorder;
  static dispatch_once_t once;
  once = 0;  // fresh for each parameter
  dispatch_queue_t first = dispatch_queue_create("com.example.first", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t second = dispatch_queue_create("com.example.second", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t go = dispatch_semaphore_create(0);
  dispatch_semaphore_t entered = dispatch_semaphore_create(0);
  dispatch_group_t g = dispatch_group_create();
  std::atomic<int> value{0}, seen{0};
  std::atomic<int>* v = &value;
  std::atomic<int>* s = &seen;
  dispatch_group_async(g, first, ^{
    dispatch_once(&once, ^{
      dispatch_semaphore_signal(entered);
      dispatch_semaphore_wait(go, DISPATCH_TIME_FOREVER);
      v->store(42);
    });
  });
  ASSERT_TRUE(Await(entered));
  dispatch_group_async(g, second, ^{
    dispatch_once(&once, ^{ v->store(-1); });
    s->store(v->load());
  });
  dispatch_semaphore_signal(go);
  ASSERT_TRUE(Await(g));
  EXPECT_EQ(seen.load(), 42);
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  dispatch_release(g);
  dispatch_release(entered);
  dispatch_release(go);
  dispatch_release(second);
  dispatch_release(first);
}

TEST_P(DispatchPrimitives, SemaphoreCountsSignals) {
  dispatch_semaphore_t s = dispatch_semaphore_create(2);
  EXPECT_EQ(dispatch_semaphore_wait(s, DISPATCH_TIME_NOW), 0);
  EXPECT_EQ(dispatch_semaphore_wait(s, DISPATCH_TIME_NOW), 0);
  EXPECT_NE(dispatch_semaphore_wait(s, DISPATCH_TIME_NOW), 0);
  EXPECT_EQ(dispatch_semaphore_signal(s), 0) << "no waiter woken";
  EXPECT_EQ(dispatch_semaphore_wait(s, DISPATCH_TIME_NOW), 0);
  dispatch_semaphore_signal(s);
  dispatch_semaphore_signal(s);
  dispatch_release(s);
  EXPECT_EQ(dispatch_semaphore_create(-1), nullptr);
}

TEST_P(DispatchPrimitives, SemaphoreWaitTimesOutNoEarlierThanItsDeadline) {
  dispatch_semaphore_t s = dispatch_semaphore_create(0);
  auto start = executor().Now();
  EXPECT_NE(dispatch_semaphore_wait(s, dispatch_time(DISPATCH_TIME_NOW, 20 * NSEC_PER_MSEC)), 0);
  EXPECT_GE((executor().Now() - start).count(), static_cast<int64_t>(20 * NSEC_PER_MSEC));
  dispatch_release(s);
}

TEST_P(DispatchPrimitives, SemaphoreWaitReturnsWhenAQueueSignals) {
  dispatch_semaphore_t s = dispatch_semaphore_create(0);
  dispatch_queue_t q = dispatch_queue_create("com.example.signaller", DISPATCH_QUEUE_SERIAL);
  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 5 * NSEC_PER_MSEC), q,
                 ^{ dispatch_semaphore_signal(s); });
  EXPECT_TRUE(Await(s));
  dispatch_release(q);
  dispatch_release(s);
}

TEST_P(DispatchPrimitives, GroupWaitAndNotifyFollowEnterAndLeave) {
  dispatch_group_t g = dispatch_group_create();
  EXPECT_EQ(dispatch_group_wait(g, DISPATCH_TIME_NOW), 0) << "an empty group";
  dispatch_group_enter(g);
  EXPECT_NE(dispatch_group_wait(g, dispatch_time(DISPATCH_TIME_NOW, 10 * NSEC_PER_MSEC)), 0);
  dispatch_queue_t q = dispatch_queue_create("com.example.notify", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t notified = dispatch_semaphore_create(0);
  dispatch_group_notify(g, q, ^{ dispatch_semaphore_signal(notified); });
  dispatch_async(q, ^{ dispatch_group_leave(g); });
  EXPECT_TRUE(Await(g));
  EXPECT_TRUE(Await(notified));
  dispatch_release(notified);
  dispatch_release(q);
  dispatch_release(g);
}

// libdispatch keeps an entered group alive until it empties: the creator
// may release it while work it handed the group to is still outstanding.
TEST_P(DispatchPrimitives, GroupReleasedWhileEnteredLivesUntilItEmpties) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.group-owner", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t notified = dispatch_semaphore_create(0);
  dispatch_group_t g = dispatch_group_create();
  dispatch_group_enter(g);
  dispatch_group_enter(g);
  dispatch_group_notify(g, q, ^{ dispatch_semaphore_signal(notified); });
  dispatch_release(g);  // the last reference the program holds
  dispatch_async(q, ^{ dispatch_group_leave(g); });
  dispatch_async(q, ^{ dispatch_group_leave(g); });
  EXPECT_TRUE(Await(notified)) << "the notify block was lost with the group";
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  dispatch_release(notified);
  dispatch_release(q);
}

TEST_P(DispatchPrimitives, GroupNotifyOnEmptyGroupRunsAtOnce) {
  dispatch_group_t g = dispatch_group_create();
  dispatch_semaphore_t notified = dispatch_semaphore_create(0);
  dispatch_group_notify(g, dispatch_get_global_queue(0, 0), ^{ dispatch_semaphore_signal(notified); });
  EXPECT_TRUE(Await(notified));
  dispatch_release(notified);
  dispatch_release(g);
}

TEST_P(DispatchPrimitives, DataKeepsBytesAndAppliesOneRegion) {
  const char bytes[] = "hello";
  dispatch_data_t d = dispatch_data_create(bytes, 5, NULL, DISPATCH_DATA_DESTRUCTOR_DEFAULT);
  EXPECT_EQ(dispatch_data_get_size(d), 5u);
  const void* buffer = nullptr;
  size_t size = 0;
  dispatch_data_t map = dispatch_data_create_map(d, &buffer, &size);
  EXPECT_EQ(size, 5u);
  EXPECT_EQ(std::string(static_cast<const char*>(buffer), size), "hello");
  __block int regions = 0;
  EXPECT_TRUE(dispatch_data_apply(d, ^bool(dispatch_data_t, size_t offset, const void*, size_t n) {
    ++regions;
    return offset == 0 && n == 5;
  }));
  EXPECT_EQ(regions, 1);
  dispatch_data_t both = dispatch_data_create_concat(d, map);
  EXPECT_EQ(dispatch_data_get_size(both), 10u);
  dispatch_data_t sub = dispatch_data_create_subrange(both, 3, 4);
  const void* sub_bytes = nullptr;
  dispatch_data_t sub_map = dispatch_data_create_map(sub, &sub_bytes, &size);
  EXPECT_EQ(std::string(static_cast<const char*>(sub_bytes), size), "lohe");
  void* owned = malloc(3);
  dispatch_data_t freed = dispatch_data_create(owned, 3, NULL, DISPATCH_DATA_DESTRUCTOR_FREE);
  EXPECT_EQ(dispatch_data_get_size(dispatch_data_empty), 0u);
  for (dispatch_data_t x : {d, map, both, sub, sub_map, freed}) dispatch_release(x);
  dispatch_release(dispatch_data_empty);  // immortal
}

TEST_P(DispatchPrimitives, DataWithCustomDestructorCallsItOnItsQueue) {
  static const char bytes[] = "abc";
  dispatch_semaphore_t destroyed = dispatch_semaphore_create(0);
  dispatch_queue_t q = dispatch_queue_create("com.example.destructor", DISPATCH_QUEUE_SERIAL);
  dispatch_data_t d = dispatch_data_create(bytes, 3, q, ^{ dispatch_semaphore_signal(destroyed); });
  dispatch_release(d);
  EXPECT_TRUE(Await(destroyed));
  dispatch_release(q);
  dispatch_release(destroyed);
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchPrimitives, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

}  // namespace
}  // namespace xpctest::testing
