// The deterministic executor's promise: one seed, one execution order.
// 20 queues, 1,000 work items (half submitted by timers with random delays,
// some submitting follow-up work), run twice per seed and compared by trace.
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dispatch/environment.h"
#include "dispatch_test_support.h"

namespace xpctest::testing {
namespace {

using fakes::dispatch::EnvironmentOptions;
using fakes::dispatch::ExecutorKind;
using fakes::dispatch::ScopedEnvironment;
using fakes::dispatch::TraceEvent;

// Runs the workload and returns its trace: one "label@time#seq" per item.
std::vector<std::string> RunWorkload(uint64_t seed) {
  ScopedEnvironment env(EnvironmentOptions{ExecutorKind::kDeterministic, seed, "host"});
  std::vector<std::string> trace;
  std::vector<std::string>* t = &trace;
  env.executor().SetTraceHook([t, &env](const TraceEvent& e) {
    t->push_back(fmt::format("{}@{}#{}", e.queue_label, e.time.nanos - env.executor().start_time().nanos,
                             e.item_seq));
  });
  std::vector<dispatch_queue_t> queues;
  for (int i = 0; i < 20; ++i) {
    queues.push_back(dispatch_queue_create(fmt::format("q{}", i).c_str(),
                                           i % 4 == 3 ? DISPATCH_QUEUE_CONCURRENT
                                                      : DISPATCH_QUEUE_SERIAL));
  }
  std::mt19937 workload(2024);  // the workload itself is fixed; only the seed varies
  for (int i = 0; i < 1000; ++i) {
    dispatch_queue_t q = queues[workload() % queues.size()];
    if (i % 2 == 0) {
      dispatch_async(q, ^{});
    } else {
      int64_t delay = static_cast<int64_t>(workload() % 1000) * NSEC_PER_MSEC;
      dispatch_queue_t next = queues[workload() % queues.size()];
      dispatch_after(dispatch_time(DISPATCH_TIME_NOW, delay), q, ^{ dispatch_async(next, ^{}); });
    }
  }
  env.executor().RunUntilIdle();
  env.executor().SetTraceHook(nullptr);
  for (dispatch_queue_t q : queues) dispatch_release(q);
  return trace;
}

TEST(DispatchDeterminism, SameSeedGivesSameExecutionOrder) {
  for (uint64_t seed : {1u, 42u, 987654321u}) {
    std::vector<std::string> first = RunWorkload(seed);
    EXPECT_EQ(first.size(), 1500u);
    EXPECT_EQ(first, RunWorkload(seed)) << "seed " << seed;
  }
}

TEST(DispatchDeterminism, DifferentSeedsGiveDifferentOrders) {
  std::vector<std::string> a = RunWorkload(1);
  std::vector<std::string> b = RunWorkload(2);
  std::vector<std::string> c = RunWorkload(3);
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_NE(a, c);
}

// Blocks that wait: ten producer/consumer pairs handing five values each
// through two semaphores, each producer also doing a dispatch_sync onto one
// shared serial queue. Every wait suspends its own context and the scheduler
// picks the context to resume with the same seeded PRNG as queue items, so
// the interleaving replays. Returns what the blocks did, in order.
std::vector<std::string> RunWaitingWorkload(uint64_t seed) {
  ScopedEnvironment env(EnvironmentOptions{ExecutorKind::kDeterministic, seed, "host"});
  auto* log = new std::vector<std::string>;
  dispatch_queue_t shared = dispatch_queue_create("shared", DISPATCH_QUEUE_SERIAL);
  std::vector<dispatch_object_t> objects;
  for (int k = 0; k < 10; ++k) {
    dispatch_queue_t producer = dispatch_queue_create(fmt::format("p{}", k).c_str(),
                                                      DISPATCH_QUEUE_SERIAL);
    dispatch_queue_t consumer = dispatch_queue_create(fmt::format("c{}", k).c_str(),
                                                      DISPATCH_QUEUE_CONCURRENT);
    dispatch_semaphore_t empty = dispatch_semaphore_create(1);
    dispatch_semaphore_t full = dispatch_semaphore_create(0);
    dispatch_async(producer, ^{
      for (int i = 0; i < 5; ++i) {
        dispatch_semaphore_wait(empty, DISPATCH_TIME_FOREVER);
        log->push_back(fmt::format("p{}.{}", k, i));
        dispatch_semaphore_signal(full);
        dispatch_sync(shared, ^{ log->push_back(fmt::format("s{}.{}", k, i)); });
      }
    });
    dispatch_async(consumer, ^{
      for (int i = 0; i < 5; ++i) {
        dispatch_semaphore_wait(full, DISPATCH_TIME_FOREVER);
        log->push_back(fmt::format("c{}.{}", k, i));
        dispatch_semaphore_signal(empty);
      }
    });
    objects.insert(objects.end(), {producer, consumer, empty, full});
  }
  env.executor().RunUntilIdle();
  for (dispatch_object_t object : objects) dispatch_release(object);
  dispatch_release(shared);
  std::vector<std::string> result = std::move(*log);
  delete log;
  return result;
}

TEST(DispatchDeterminism, SameSeedGivesSameInterleavingWhenBlocksWait) {
  for (uint64_t seed : {0u, 1u, 42u}) {
    std::vector<std::string> first = RunWaitingWorkload(seed);
    EXPECT_EQ(first.size(), 150u) << "seed " << seed;
    EXPECT_EQ(first, RunWaitingWorkload(seed)) << "seed " << seed;
  }
  EXPECT_NE(RunWaitingWorkload(1), RunWaitingWorkload(2));
}

TEST(DispatchDeterminism, SeedZeroRunsOldestRunnableFirst) {
  std::vector<std::string> trace = RunWorkload(0);
  ASSERT_EQ(trace, RunWorkload(0));
  // Within one instant, FIFO means items start in submission order.
  uint64_t last_seq = 0;
  std::string last_time;
  size_t checked = 0;
  for (const std::string& entry : trace) {
    std::string time = entry.substr(entry.find('@') + 1, entry.find('#') - entry.find('@') - 1);
    uint64_t seq = std::stoull(entry.substr(entry.find('#') + 1));
    if (time == last_time) {
      EXPECT_GT(seq, last_seq) << entry;
      ++checked;
    }
    last_time = time;
    last_seq = seq;
  }
  EXPECT_GT(checked, 400u);
}

}  // namespace
}  // namespace xpctest::testing
