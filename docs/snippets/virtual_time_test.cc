// docs/determinism.md: a test that installs its own environment, whatever the
// run's executor, and lets 30 virtual seconds pass at once.
#include <dispatch/dispatch.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "dispatch/environment.h"

namespace {

using std::chrono::seconds;
using xpctest::fakes::dispatch::EnvironmentOptions;
using xpctest::fakes::dispatch::ExecutorKind;
using xpctest::fakes::dispatch::ScopedEnvironment;
using xpctest::fakes::dispatch::TimePoint;

TEST(VirtualTime, ThirtySecondsPassAtOnceOnTheDeterministicExecutor) {
  ScopedEnvironment env(EnvironmentOptions{ExecutorKind::kDeterministic, /*seed=*/42});
  dispatch_queue_t q = dispatch_queue_create("com.example.timer", DISPATCH_QUEUE_SERIAL);
  std::atomic<bool> fired{false};
  std::atomic<bool>* out = &fired;
  TimePoint start = env.executor().Now();

  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ *out = true; });
  env.executor().RunUntilIdle();   // 30 virtual seconds, a few microseconds of real time

  EXPECT_TRUE(fired.load());
  EXPECT_EQ(env.executor().Now() - start, seconds(30));
  dispatch_release(q);
}

// Destroying an environment releases its pending timers without running
// them: the next environment sees nothing of it.
TEST(VirtualTime, ATimerLeftPendingDiesWithItsEnvironment) {
  std::atomic<bool> fired{false};
  std::atomic<bool>* out = &fired;
  {
    ScopedEnvironment env(EnvironmentOptions{ExecutorKind::kDeterministic, /*seed=*/42});
    dispatch_queue_t q = dispatch_queue_create("com.example.timer", DISPATCH_QUEUE_SERIAL);
    dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ *out = true; });
    dispatch_release(q);
  }
  ScopedEnvironment next(EnvironmentOptions{ExecutorKind::kDeterministic, /*seed=*/42});
  next.executor().RunUntilIdle();
  EXPECT_FALSE(fired.load());
}

}  // namespace
