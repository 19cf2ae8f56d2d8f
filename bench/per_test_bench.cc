// per_test_bench — B7: the framework's cost per test (bench/per_test.h):
// world + one service + one client + one request + teardown, on each executor.
// Goals: <= 50 us deterministic, <= 500 us threaded (users run thousands).
#include <benchmark/benchmark.h>

#include "bench_support.h"
#include "per_test.h"

namespace xpctest::bench {
namespace {

void PerTest(benchmark::State& state, control::ExecutorKind executor) {
  for (auto _ : state) {
    if (!RunOneTest(executor)) {
      state.SkipWithError("a test's echo failed or its objects outlived the world");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_B7_Deterministic(benchmark::State& state) {
  PerTest(state, control::ExecutorKind::kDeterministic);
}
void BM_B7_Threaded(benchmark::State& state) { PerTest(state, control::ExecutorKind::kThreaded); }
BENCHMARK(BM_B7_Deterministic)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_B7_Threaded)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) { return xpctest::bench::BenchMain(argc, argv); }
