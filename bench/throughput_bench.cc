// throughput_bench — B3: one-way throughput.
//
//  - BM_B3_Xpctest: --messages=N (default 1,000,000) xpc_connection_send_message
//    calls from the host process; the echo service in a simulated process
//    counts them; the clock stops when it has counted all N. Threaded executor.
//  - BM_B3_XpctestDeterministic: the same on the deterministic executor (the
//    sends queue up; the final semaphore wait runs them all through).
//  - BM_B3_Socketpair: the baseline, N messages encoded and written one by one
//    into a streaming Unix socketpair; a reader thread decodes and counts them.
//
// Each iteration is one whole run in a fresh world (its setup and teardown are
// not timed); items_per_second is the throughput.
#include <benchmark/benchmark.h>
#include <dispatch/dispatch.h>
#include <xpc/xpc.h>

#include <chrono>

#include "baselines.h"
#include "bench_support.h"

namespace xpctest::bench {
namespace {

using runtime::ExecutorKind;
using Clock = std::chrono::steady_clock;

void XpctestOneWay(benchmark::State& state, ExecutorKind kind) {
  const int64_t count = Flags().messages;
  for (auto _ : state) {
    runtime::World world({.executor = kind, .seed = 0});
    runtime::ScopedWorld installed(world);
    EchoService echo(world, EchoMode::kCountOnly);
    xpc_connection_t client = echo.Connect();
    dispatch_semaphore_t done = dispatch_semaphore_create(0);
    echo.SignalAt(count, done);
    Clock::time_point start = Clock::now();
    for (int64_t i = 0; i < count; ++i) {
      xpc_object_t message = MakeRequest(i);
      xpc_connection_send_message(client, message);
      xpc_release(message);
    }
    dispatch_semaphore_wait(done, DISPATCH_TIME_FOREVER);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    dispatch_release(done);
    if (echo.received() != count) state.SkipWithError("the service missed messages");
  }
  state.SetItemsProcessed(state.iterations() * count);
}

void BM_B3_Xpctest(benchmark::State& state) { XpctestOneWay(state, ExecutorKind::kThreaded); }
BENCHMARK(BM_B3_Xpctest)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);

void BM_B3_XpctestDeterministic(benchmark::State& state) {
  XpctestOneWay(state, ExecutorKind::kDeterministic);
}
BENCHMARK(BM_B3_XpctestDeterministic)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(1);

void BM_B3_Socketpair(benchmark::State& state) {
  const int64_t count = Flags().messages;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    int64_t counted = SocketStream(count);
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
    if (counted != count) state.SkipWithError("the reader missed messages");
  }
  state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_B3_Socketpair)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) { return xpctest::bench::BenchMain(argc, argv); }
