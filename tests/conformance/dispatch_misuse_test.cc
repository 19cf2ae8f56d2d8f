// Misuse reports ("BUG IN CLIENT OF LIBDISPATCH: ..."), each caught by a
// MisuseRecorder (the faulty call then continues safely) and, without a
// sink, fatal as in libdispatch.
#include <atomic>

#include "dispatch_test_support.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DispatchMisuse : public DispatchFixture {};

TEST_P(DispatchMisuse, OverReleaseIsReported) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.over", DISPATCH_QUEUE_SERIAL);
  dispatch_release(q);
  dispatch_release(q);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: Over-release of an object"));
  EXPECT_EQ(recorder.Reports()[0].call, "dispatch_release");
}

TEST_P(DispatchMisuse, ReleasingSuspendedQueueIsReportedWithItsLabel) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.suspended", DISPATCH_QUEUE_SERIAL);
  dispatch_suspend(q);
  dispatch_release(q);
  executor().RunUntilIdle();
  ASSERT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: Release of a suspended object"));
  EXPECT_THAT(recorder.Reports()[0].object, HasSubstr("com.example.suspended"));
}

TEST_P(DispatchMisuse, ReleasingInactiveSourceIsReported) {
  MisuseRecorder recorder;
  dispatch_source_t s = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, NULL);
  dispatch_release(s);
  executor().RunUntilIdle();
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: Release of an inactive object"));
}

TEST_P(DispatchMisuse, OverResumeIsReported) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.resume", DISPATCH_QUEUE_SERIAL);
  dispatch_resume(q);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: Over-resume of an object"));
  EXPECT_THAT(recorder.Reports()[0].object, HasSubstr("com.example.resume"));
  dispatch_release(q);
}

TEST_P(DispatchMisuse, SyncOntoCurrentSerialQueueIsReportedAndSkipped) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.self", DISPATCH_QUEUE_SERIAL);
  __block bool inner_ran = false;
  dispatch_sync(q, ^{
    dispatch_sync(q, ^{ inner_ran = true; });
  });
  EXPECT_FALSE(inner_ran);
  ASSERT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: dispatch_sync called on queue already "
                          "owned by current thread"));
  EXPECT_EQ(recorder.Reports()[0].call, "dispatch_sync");
  EXPECT_THAT(recorder.Reports()[0].object, HasSubstr("com.example.self"));
  dispatch_release(q);
}

TEST_P(DispatchMisuse, SyncOntoSerialQueueHigherInTheChainIsReported) {
  MisuseRecorder recorder;
  dispatch_queue_t root = dispatch_queue_create("com.example.root", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t child = dispatch_queue_create("com.example.child", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_t other = dispatch_queue_create("com.example.other", DISPATCH_QUEUE_SERIAL);
  dispatch_set_target_queue(other, root);
  dispatch_set_target_queue(child, root);
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  dispatch_async(child, ^{
    dispatch_sync(other, ^{});  // `other` needs `root`, which this thread holds
    dispatch_semaphore_signal(done);
  });
  ASSERT_TRUE(Await(done));
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre(HasSubstr("dispatch_sync called on queue already owned")));
  dispatch_release(done);
  dispatch_release(child);
  dispatch_release(other);
  dispatch_release(root);
}

TEST_P(DispatchMisuse, GroupLeaveWithoutEnterIsReported) {
  MisuseRecorder recorder;
  dispatch_group_t g = dispatch_group_create();
  dispatch_group_leave(g);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: Unbalanced call to dispatch_group_leave()"));
  EXPECT_EQ(dispatch_group_wait(g, DISPATCH_TIME_NOW), 0) << "the leave was ignored";
  dispatch_release(g);
}

TEST_P(DispatchMisuse, NullQueueAndNullBlockAreReported) {
  MisuseRecorder recorder;
  dispatch_async(NULL, ^{});
  dispatch_queue_t q = dispatch_queue_create("com.example.null", DISPATCH_QUEUE_SERIAL);
  dispatch_async(q, NULL);
  dispatch_sync_f(q, NULL, NULL);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: dispatch_async called with a NULL queue",
                          "BUG IN CLIENT OF LIBDISPATCH: dispatch_async called with a NULL block",
                          "BUG IN CLIENT OF LIBDISPATCH: dispatch_sync_f called with a NULL block"));
  EXPECT_THAT(recorder.Reports()[1].object, HasSubstr("com.example.null"));
  dispatch_release(q);
}

TEST_P(DispatchMisuse, AssertQueueFailuresNameTheQueue) {
  MisuseRecorder recorder;
  dispatch_queue_t q = dispatch_queue_create("com.example.assert", DISPATCH_QUEUE_CONCURRENT);
  dispatch_assert_queue(q);
  dispatch_sync(q, ^{
    dispatch_assert_queue_not(q);
    dispatch_assert_queue_barrier(q);
  });
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("BUG IN CLIENT OF LIBDISPATCH: Block was expected to execute on queue "
                          "[com.example.assert]",
                          "BUG IN CLIENT OF LIBDISPATCH: Block was not expected to execute on "
                          "queue [com.example.assert]",
                          "BUG IN CLIENT OF LIBDISPATCH: Block was expected to act as a barrier "
                          "on queue [com.example.assert]"));
  dispatch_release(q);
}

TEST_P(DispatchMisuse, OverReleaseAbortsWithoutSink) {
  EXPECT_DEATH(
      {
        dispatch_queue_t q = dispatch_queue_create("com.example.die", DISPATCH_QUEUE_SERIAL);
        dispatch_release(q);
        dispatch_release(q);
      },
      "BUG IN CLIENT OF LIBDISPATCH: Over-release of an object");
}

TEST_P(DispatchMisuse, OverResumeAbortsWithoutSink) {
  EXPECT_DEATH(
      {
        dispatch_queue_t q = dispatch_queue_create("com.example.die", DISPATCH_QUEUE_SERIAL);
        dispatch_resume(q);
      },
      "BUG IN CLIENT OF LIBDISPATCH: Over-resume of an object");
}

TEST_P(DispatchMisuse, SuspendedReleaseAbortsWithoutSink) {
  EXPECT_DEATH(
      {
        dispatch_queue_t q = dispatch_queue_create("com.example.die", DISPATCH_QUEUE_SERIAL);
        dispatch_suspend(q);
        dispatch_release(q);
      },
      "Release of a suspended object");
}

TEST_P(DispatchMisuse, SyncOntoCurrentQueueAbortsWithoutSink) {
  EXPECT_DEATH(
      {
        dispatch_queue_t q = dispatch_queue_create("com.example.die", DISPATCH_QUEUE_SERIAL);
        dispatch_sync(q, ^{ dispatch_sync(q, ^{}); });
      },
      "dispatch_sync called on queue already owned by current thread");
}

TEST_P(DispatchMisuse, UnbalancedGroupLeaveAbortsWithoutSink) {
  EXPECT_DEATH(dispatch_group_leave(dispatch_group_create()),
               "Unbalanced call to dispatch_group_leave\\(\\)");
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchMisuse, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

}  // namespace
}  // namespace xpctest::testing
