// docs/determinism.md: a test that makes its own deterministic world, whatever
// the run's executor, and lets 30 virtual seconds pass at once.
#include <dispatch/dispatch.h>
#include <gtest/gtest.h>
#include <xpctest/control.h>

#include <atomic>
#include <chrono>

namespace {

using std::chrono::seconds;
using xpctest::control::ExecutorKind;
using xpctest::control::World;

TEST(VirtualTime, ThirtySecondsPassAtOnceOnTheDeterministicExecutor) {
  World world({.executor = ExecutorKind::kDeterministic, .seed = 42});
  dispatch_queue_t q = dispatch_queue_create("com.example.timer", DISPATCH_QUEUE_SERIAL);
  std::atomic<bool> fired{false};
  std::atomic<bool>* out = &fired;
  std::chrono::nanoseconds start = world.Now();

  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ *out = true; });
  world.RunUntilIdle();   // 30 virtual seconds, a few microseconds of real time

  EXPECT_TRUE(fired.load());
  EXPECT_EQ(world.Now() - start, seconds(30));
  dispatch_release(q);
}

// Destroying a world releases its pending timers without running them: the
// next world sees nothing of it.
TEST(VirtualTime, ATimerLeftPendingDiesWithItsWorld) {
  std::atomic<bool> fired{false};
  std::atomic<bool>* out = &fired;
  {
    World world({.executor = ExecutorKind::kDeterministic, .seed = 42});
    dispatch_queue_t q = dispatch_queue_create("com.example.timer", DISPATCH_QUEUE_SERIAL);
    dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ *out = true; });
    dispatch_release(q);
  }
  World next({.executor = ExecutorKind::kDeterministic, .seed = 42});
  next.RunUntilIdle();
  EXPECT_FALSE(fired.load());
}

}  // namespace
