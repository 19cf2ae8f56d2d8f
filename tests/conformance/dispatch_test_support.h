// dispatch_test_support.h — one fixture that runs each dispatch conformance
// test on every executor: threaded, deterministic FIFO (seed 0) and
// deterministic seeded.
//
//   TEST_P(DispatchQueue, SerialQueueRunsBlocksInFifoOrder) {
//     dispatch_async(q, ^{ ... });
//     ASSERT_TRUE(Await(done));   // pumps (deterministic) or waits (threaded)
//   }
//
// Each test gets a fresh environment (executor + host domain), torn down at
// the end of the test: nothing leaks from one test into the next.
#ifndef XPCTEST_TESTS_CONFORMANCE_DISPATCH_TEST_SUPPORT_H
#define XPCTEST_TESTS_CONFORMANCE_DISPATCH_TEST_SUPPORT_H

#include <dispatch/dispatch.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "dispatch/environment.h"
#include "xpctest/diagnostics.h"

namespace xpctest::testing {

struct ExecutorParam {
  fakes::dispatch::ExecutorKind kind;
  uint64_t seed;
  const char* name;
};

inline const ExecutorParam kExecutorParams[] = {
    {fakes::dispatch::ExecutorKind::kThreaded, 0, "Threaded"},
    {fakes::dispatch::ExecutorKind::kDeterministic, 0, "DeterministicFifo"},
    {fakes::dispatch::ExecutorKind::kDeterministic, 12345, "DeterministicSeeded"},
};

// Prints as its name in test listings, not as bytes.
inline void PrintTo(const ExecutorParam& param, std::ostream* os) { *os << param.name; }

inline std::string ExecutorParamName(const ::testing::TestParamInfo<ExecutorParam>& info) {
  return info.param.name;
}

// Generous: threaded waits only time out when something is broken.
inline constexpr int64_t kWaitNanos = 10 * static_cast<int64_t>(NSEC_PER_SEC);

class DispatchFixture : public ::testing::TestWithParam<ExecutorParam> {
 protected:
  DispatchFixture()
      : env_(fakes::dispatch::EnvironmentOptions{GetParam().kind, GetParam().seed, "host"}) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
  }

  bool deterministic() const {
    return GetParam().kind == fakes::dispatch::ExecutorKind::kDeterministic;
  }
  fakes::dispatch::Executor& executor() { return env_.executor(); }

  // Waits for one signal of `semaphore`: pumps on the deterministic executor.
  static bool Await(dispatch_semaphore_t semaphore) {
    return dispatch_semaphore_wait(semaphore, dispatch_time(DISPATCH_TIME_NOW, kWaitNanos)) == 0;
  }
  // Waits until every block submitted through `group` has run.
  static bool Await(dispatch_group_t group) {
    return dispatch_group_wait(group, dispatch_time(DISPATCH_TIME_NOW, kWaitNanos)) == 0;
  }

  fakes::dispatch::ScopedEnvironment env_;
};

// A thread-safe log of events, for order assertions.
class EventLog {
 public:
  void Add(std::string event) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }
  std::vector<std::string> Events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> events_;
};

}  // namespace xpctest::testing

#endif  // XPCTEST_TESTS_CONFORMANCE_DISPATCH_TEST_SUPPORT_H
