// Queues: ordering, exclusion, targets, barriers, suspension, labels,
// specifics, assert_queue, apply. Each test runs on every executor.
#include <atomic>
#include <string>
#include <thread>

#include "dispatch_test_support.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class DispatchQueue : public DispatchFixture {};

TEST_P(DispatchQueue, SerialQueueRunsBlocksInFifoOrder) {
  dispatch_queue_t q = dispatch_queue_create("com.example.fifo", DISPATCH_QUEUE_SERIAL);
  EventLog* log = new EventLog;
  dispatch_group_t g = dispatch_group_create();
  std::vector<std::string> expected;
  for (int i = 0; i < 50; ++i) {
    expected.push_back(std::to_string(i));
    dispatch_group_async(g, q, ^{ log->Add(std::to_string(i)); });
  }
  ASSERT_TRUE(Await(g));
  EXPECT_THAT(log->Events(), ElementsAreArray(expected));
  dispatch_release(g);
  dispatch_release(q);
  delete log;
}

TEST_P(DispatchQueue, SerialQueueNeverOverlapsBlocks) {
  dispatch_queue_t q = dispatch_queue_create("com.example.exclusive", DISPATCH_QUEUE_SERIAL);
  std::atomic<int> inside{0}, overlaps{0};
  std::atomic<int>* in = &inside;
  std::atomic<int>* bad = &overlaps;
  dispatch_group_t g = dispatch_group_create();
  for (int i = 0; i < 200; ++i) {
    dispatch_group_async(g, q, ^{
      if (in->fetch_add(1) != 0) bad->fetch_add(1);
      in->fetch_sub(1);
    });
  }
  ASSERT_TRUE(Await(g));
  EXPECT_EQ(overlaps.load(), 0);
  dispatch_release(g);
  dispatch_release(q);
}

TEST_P(DispatchQueue, QueuesTargetingOneSerialQueueExcludeEachOther) {
  dispatch_queue_t root = dispatch_queue_create("com.example.root", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t a = dispatch_queue_create("com.example.a", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t b = dispatch_queue_create("com.example.b", DISPATCH_QUEUE_CONCURRENT);
  dispatch_set_target_queue(a, root);
  dispatch_set_target_queue(b, root);
  std::atomic<int> inside{0}, overlaps{0};
  std::atomic<int>* in = &inside;
  std::atomic<int>* bad = &overlaps;
  dispatch_group_t g = dispatch_group_create();
  for (int i = 0; i < 100; ++i) {
    dispatch_block_t work = ^{
      if (in->fetch_add(1) != 0) bad->fetch_add(1);
      in->fetch_sub(1);
    };
    dispatch_group_async(g, i % 3 == 0 ? root : i % 3 == 1 ? a : b, work);
  }
  ASSERT_TRUE(Await(g));
  EXPECT_EQ(overlaps.load(), 0);
  dispatch_release(g);
  dispatch_release(a);
  dispatch_release(b);
  dispatch_release(root);
}

TEST_P(DispatchQueue, BarrierRunsAloneOnConcurrentQueue) {
  dispatch_queue_t q = dispatch_queue_create("com.example.concurrent", DISPATCH_QUEUE_CONCURRENT);
  std::atomic<int> readers{0}, violations{0}, before{0};
  std::atomic<int>* r = &readers;
  std::atomic<int>* bad = &violations;
  std::atomic<int>* done_before = &before;
  dispatch_group_t g = dispatch_group_create();
  for (int i = 0; i < 20; ++i) {
    dispatch_group_async(g, q, ^{
      r->fetch_add(1);
      r->fetch_sub(1);
      done_before->fetch_add(1);
    });
  }
  dispatch_barrier_async(q, ^{
    if (r->load() != 0 || done_before->load() != 20) bad->fetch_add(1);
  });
  for (int i = 0; i < 20; ++i) {
    dispatch_group_async(g, q, ^{
      if (done_before->load() != 20) bad->fetch_add(1);
    });
  }
  ASSERT_TRUE(Await(g));
  __block bool barrier_seen = false;
  dispatch_barrier_sync(q, ^{ barrier_seen = true; });
  EXPECT_TRUE(barrier_seen);
  EXPECT_EQ(violations.load(), 0);
  dispatch_release(g);
  dispatch_release(q);
}

TEST_P(DispatchQueue, SuspendedQueueStartsNothingUntilResumed) {
  dispatch_queue_t q = dispatch_queue_create("com.example.suspended", DISPATCH_QUEUE_SERIAL);
  std::atomic<int> ran{0};
  std::atomic<int>* count = &ran;
  dispatch_suspend(q);
  dispatch_suspend(q);
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  dispatch_async(q, ^{
    count->fetch_add(1);
    dispatch_semaphore_signal(done);
  });
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 0);
  dispatch_resume(q);
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 0) << "suspension is counted";
  dispatch_resume(q);
  ASSERT_TRUE(Await(done));
  EXPECT_EQ(ran.load(), 1);
  dispatch_release(done);
  dispatch_release(q);
}

TEST_P(DispatchQueue, InactiveQueueRunsAfterActivate) {
  dispatch_queue_t q = dispatch_queue_create("com.example.inactive", DISPATCH_QUEUE_SERIAL_INACTIVE);
  std::atomic<int> ran{0};
  std::atomic<int>* count = &ran;
  dispatch_async(q, ^{ count->fetch_add(1); });
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 0);
  dispatch_activate(q);
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 1);
  dispatch_release(q);
}

TEST_P(DispatchQueue, SyncRunsOnCallingThreadAfterEarlierBlocks) {
  dispatch_queue_t q = dispatch_queue_create("com.example.sync", DISPATCH_QUEUE_SERIAL);
  EventLog log;
  EventLog* l = &log;
  dispatch_async(q, ^{ l->Add("async"); });
  __block std::thread::id sync_thread;
  dispatch_sync(q, ^{
    l->Add("sync");
    sync_thread = std::this_thread::get_id();
  });
  EXPECT_THAT(log.Events(), ElementsAre("async", "sync"));
  EXPECT_TRUE(sync_thread == std::this_thread::get_id());
  dispatch_release(q);
}

TEST_P(DispatchQueue, SyncFromOneSerialQueueOntoAnotherRuns) {
  dispatch_queue_t outer = dispatch_queue_create("com.example.outer", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t inner = dispatch_queue_create("com.example.inner", DISPATCH_QUEUE_SERIAL);
  __block int value = 0;
  dispatch_sync(outer, ^{
    dispatch_sync(inner, ^{ value = 42; });
  });
  EXPECT_EQ(value, 42);
  dispatch_release(outer);
  dispatch_release(inner);
}

TEST_P(DispatchQueue, ReleasedQueueStillRunsPendingWork) {
  dispatch_queue_t q = dispatch_queue_create("com.example.released", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  dispatch_suspend(q);
  dispatch_async(q, ^{ dispatch_semaphore_signal(done); });
  dispatch_resume(q);
  dispatch_release(q);
  EXPECT_TRUE(Await(done));
  dispatch_release(done);
}

TEST_P(DispatchQueue, LabelsNameQueuesAndTheCurrentQueue) {
  dispatch_queue_t q = dispatch_queue_create("com.example.label", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t unnamed = dispatch_queue_create(NULL, DISPATCH_QUEUE_SERIAL);
  EXPECT_STREQ(dispatch_queue_get_label(q), "com.example.label");
  EXPECT_STREQ(dispatch_queue_get_label(unnamed), "");
  EXPECT_STREQ(dispatch_queue_get_label(dispatch_get_main_queue()), "com.apple.main-thread");
  EXPECT_STREQ(dispatch_queue_get_label(dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0)),
               "com.apple.root.default-qos");
  __block std::string current;
  dispatch_sync(q, ^{ current = dispatch_queue_get_label(DISPATCH_CURRENT_QUEUE_LABEL); });
  EXPECT_EQ(current, "com.example.label");
  dispatch_release(q);
  dispatch_release(unnamed);
}

TEST_P(DispatchQueue, GlobalQueuesAcceptPrioritiesAndQosClasses) {
  EXPECT_EQ(dispatch_get_global_queue(DISPATCH_QUEUE_PRIORITY_DEFAULT, 0),
            dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0));
  EXPECT_EQ(dispatch_get_global_queue(DISPATCH_QUEUE_PRIORITY_HIGH, 0),
            dispatch_get_global_queue(QOS_CLASS_USER_INITIATED, 0));
  EXPECT_EQ(dispatch_get_global_queue(0, 1), nullptr);
  dispatch_queue_attr_t attr =
      dispatch_queue_attr_make_with_qos_class(DISPATCH_QUEUE_SERIAL, QOS_CLASS_UTILITY, -1);
  dispatch_queue_t q = dispatch_queue_create("com.example.qos", attr);
  int relative = 0;
  EXPECT_EQ(dispatch_queue_get_qos_class(q, &relative), QOS_CLASS_UTILITY);
  EXPECT_EQ(relative, -1);
  dispatch_release(q);
}

TEST_P(DispatchQueue, MainQueueIsSerial) {
  std::atomic<int> inside{0}, overlaps{0};
  std::atomic<int>* in = &inside;
  std::atomic<int>* bad = &overlaps;
  dispatch_group_t g = dispatch_group_create();
  for (int i = 0; i < 50; ++i) {
    dispatch_group_async(g, dispatch_get_main_queue(), ^{
      if (in->fetch_add(1) != 0) bad->fetch_add(1);
      in->fetch_sub(1);
    });
  }
  ASSERT_TRUE(Await(g));
  EXPECT_EQ(overlaps.load(), 0);
  dispatch_release(g);
}

static char kKey;
static char kOtherKey;

TEST_P(DispatchQueue, SpecificValuesAreFoundUpTheTargetChain) {
  dispatch_queue_t parent = dispatch_queue_create("com.example.parent", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t child = dispatch_queue_create("com.example.child", DISPATCH_QUEUE_SERIAL);
  dispatch_set_target_queue(child, parent);
  int parent_value = 1, child_value = 2;
  dispatch_queue_set_specific(parent, &kKey, &parent_value, NULL);
  dispatch_queue_set_specific(parent, &kOtherKey, &parent_value, NULL);
  dispatch_queue_set_specific(child, &kKey, &child_value, NULL);
  EXPECT_EQ(dispatch_queue_get_specific(child, &kKey), &child_value);
  EXPECT_EQ(dispatch_queue_get_specific(child, &kOtherKey), nullptr);
  __block void* found_key = nullptr;
  __block void* found_other = nullptr;
  dispatch_sync(child, ^{
    found_key = dispatch_get_specific(&kKey);
    found_other = dispatch_get_specific(&kOtherKey);
  });
  EXPECT_EQ(found_key, &child_value);
  EXPECT_EQ(found_other, &parent_value);
  EXPECT_EQ(dispatch_get_specific(&kKey), nullptr) << "outside any queue";
  dispatch_release(child);
  dispatch_release(parent);
}

static void CountDestructor(void* context) { ++*static_cast<int*>(context); }

TEST_P(DispatchQueue, SpecificDestructorRunsOnReplaceAndOnQueueDeath) {
  int destroyed = 0;
  dispatch_queue_t q = dispatch_queue_create("com.example.specific", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_set_specific(q, &kKey, &destroyed, CountDestructor);
  dispatch_queue_set_specific(q, &kKey, &destroyed, CountDestructor);
  EXPECT_EQ(destroyed, 1);
  dispatch_release(q);
  EXPECT_EQ(destroyed, 2);
}

TEST_P(DispatchQueue, AssertQueuePassesOnTheQueueAndItsTargets) {
  MisuseRecorder recorder;
  dispatch_queue_t parent = dispatch_queue_create("com.example.parent", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t child = dispatch_queue_create("com.example.child", DISPATCH_QUEUE_SERIAL);
  dispatch_set_target_queue(child, parent);
  dispatch_sync(child, ^{
    dispatch_assert_queue(child);
    dispatch_assert_queue(parent);
    dispatch_assert_queue_barrier(child);
  });
  // A dispatch_sync block runs on the (main) thread that called it, so only
  // an async block is off the main queue.
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  dispatch_async(child, ^{
    dispatch_assert_queue(child);
    dispatch_assert_queue_not(dispatch_get_main_queue());
    dispatch_semaphore_signal(done);
  });
  ASSERT_TRUE(Await(done));
  dispatch_assert_queue_not(child);
  EXPECT_THAT(recorder.Headlines(), ::testing::IsEmpty());
  dispatch_release(done);
  dispatch_release(child);
  dispatch_release(parent);
}

TEST_P(DispatchQueue, ApplyRunsEveryIterationOnce) {
  dispatch_queue_t concurrent = dispatch_queue_create("com.example.apply", DISPATCH_QUEUE_CONCURRENT);
  std::vector<std::atomic<int>> hits(100);
  std::atomic<int>* h = hits.data();
  dispatch_apply(100, concurrent, ^(size_t i) { h[i].fetch_add(1); });
  dispatch_apply(100, DISPATCH_APPLY_AUTO, ^(size_t i) { h[i].fetch_add(1); });
  dispatch_queue_t serial = dispatch_queue_create("com.example.apply.serial", DISPATCH_QUEUE_SERIAL);
  __block std::vector<size_t> order;
  dispatch_apply(5, serial, ^(size_t i) { order.push_back(i); });
  for (auto& hit : hits) EXPECT_EQ(hit.load(), 2);
  EXPECT_THAT(order, ElementsAre(0u, 1u, 2u, 3u, 4u));
  dispatch_release(concurrent);
  dispatch_release(serial);
}

static void SetFlag(void* context) { static_cast<std::atomic<int>*>(context)->fetch_add(1); }

TEST_P(DispatchQueue, FunctionVariantsRunWithTheirContext) {
  dispatch_queue_t q = dispatch_queue_create("com.example.f", DISPATCH_QUEUE_CONCURRENT);
  std::atomic<int> count{0};
  dispatch_async_f(q, &count, SetFlag);
  dispatch_barrier_async_f(q, &count, SetFlag);
  dispatch_sync_f(q, &count, SetFlag);
  dispatch_barrier_sync_f(q, &count, SetFlag);
  EXPECT_EQ(count.load(), 4);
  dispatch_release(q);
}

TEST_P(DispatchQueue, FinalizerRunsWithContextAfterLastRelease) {
  std::atomic<int> finalized{0};
  dispatch_queue_t q = dispatch_queue_create("com.example.finalized", DISPATCH_QUEUE_SERIAL);
  dispatch_set_context(q, &finalized);
  EXPECT_EQ(dispatch_get_context(q), &finalized);
  dispatch_set_finalizer_f(q, SetFlag);
  dispatch_release(q);
  executor().RunUntilIdle();
  EXPECT_EQ(finalized.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchQueue, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

}  // namespace
}  // namespace xpctest::testing
