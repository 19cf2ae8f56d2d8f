// dispatch_bench — what the dispatch layer costs.
//
//  - BM_VirtualThirtySecondAfter: a 30-second dispatch_after on the
//    deterministic executor (virtual time), end to end; must be far below 1 ms.
//  - BM_AsyncHop/<executor>: one dispatch_async onto a serial queue and the
//    block running, amortised over a batch of 1,000 (threaded: including the
//    hand-off to a worker thread).
//  - BM_StdFunctionCall: the baseline, one std::function call.
#include <benchmark/benchmark.h>
#include <dispatch/dispatch.h>

#include <atomic>
#include <functional>

#include "dispatch/environment.h"

namespace {

using xpctest::fakes::dispatch::EnvironmentOptions;
using xpctest::fakes::dispatch::ExecutorKind;
using xpctest::fakes::dispatch::ScopedEnvironment;

void BM_VirtualThirtySecondAfter(benchmark::State& state) {
  ScopedEnvironment env(EnvironmentOptions{ExecutorKind::kDeterministic, 0, "bench"});
  dispatch_queue_t q = dispatch_queue_create("bench.after", DISPATCH_QUEUE_SERIAL);
  __block int64_t ran = 0;
  for (auto _ : state) {
    dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ ++ran; });
    env.executor().RunUntilIdle();
  }
  if (ran != static_cast<int64_t>(state.iterations())) state.SkipWithError("a block did not run");
  dispatch_release(q);
}
BENCHMARK(BM_VirtualThirtySecondAfter)->Unit(benchmark::kMicrosecond);

constexpr int kBatch = 1000;

void AsyncHop(benchmark::State& state, ExecutorKind kind) {
  ScopedEnvironment env(EnvironmentOptions{kind, 0, "bench"});
  dispatch_queue_t q = dispatch_queue_create("bench.hop", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  std::atomic<int64_t> counter{0};
  std::atomic<int64_t>* c = &counter;
  for (auto _ : state) {
    for (int i = 0; i < kBatch - 1; ++i) {
      dispatch_async(q, ^{ c->fetch_add(1, std::memory_order_relaxed); });
    }
    dispatch_async(q, ^{
      c->fetch_add(1, std::memory_order_relaxed);
      dispatch_semaphore_signal(done);
    });
    dispatch_semaphore_wait(done, DISPATCH_TIME_FOREVER);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  dispatch_release(done);
  dispatch_release(q);
}

void BM_AsyncHopThreaded(benchmark::State& state) { AsyncHop(state, ExecutorKind::kThreaded); }
void BM_AsyncHopDeterministic(benchmark::State& state) {
  AsyncHop(state, ExecutorKind::kDeterministic);
}
BENCHMARK(BM_AsyncHopThreaded)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_AsyncHopDeterministic)->Unit(benchmark::kMicrosecond);

void BM_StdFunctionCall(benchmark::State& state) {
  std::atomic<int64_t> counter{0};
  std::function<void()> f = [&counter] { counter.fetch_add(1, std::memory_order_relaxed); };
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      benchmark::DoNotOptimize(f);
      f();
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_StdFunctionCall)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
