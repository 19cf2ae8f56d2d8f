// slow_reply_bench — B4: a 30-second slow reply on virtual time.
//
// The echo service answers each request from a dispatch_after 30 s later; the
// client waits in xpc_connection_send_message_with_reply_sync. On the
// deterministic executor the wait lets the scheduler run other work and, with
// nothing else to run, jumps the virtual clock to the timer: wall time is what
// the machinery costs, not 30 s.
//
//  - BM_B4_SlowReplyScenario: the whole scenario per iteration: a fresh world,
//    the service process and its listener, a client, one 30 s reply, cancel,
//    teardown.
//  - BM_B4_SlowReplyRoundTrip: one slow round trip on a standing world
//    (counter virtual_s: virtual seconds per iteration, expected 30).
#include <benchmark/benchmark.h>
#include <xpc/xpc.h>

#include "bench_support.h"
#include "dispatch/environment.h"

namespace xpctest::bench {
namespace {

using runtime::ExecutorKind;

void BM_B4_SlowReplyScenario(benchmark::State& state) {
  int64_t id = 0;
  for (auto _ : state) {
    runtime::World world({.executor = ExecutorKind::kDeterministic, .seed = 0});
    runtime::ScopedWorld installed(world);
    EchoService echo(world, EchoMode::kReplyAfter30s);
    xpc_connection_t client = echo.Connect();
    ++id;
    uint64_t before = world.NowNs();
    if (RoundTrip(client, id) != id) {
      state.SkipWithError("the slow reply did not echo its request");
      break;
    }
    if (world.NowNs() - before < 30ull * 1000 * 1000 * 1000) {
      state.SkipWithError("the reply came before 30 virtual seconds");
      break;
    }
  }
}
BENCHMARK(BM_B4_SlowReplyScenario)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_B4_SlowReplyRoundTrip(benchmark::State& state) {
  runtime::World world({.executor = ExecutorKind::kDeterministic, .seed = 0});
  runtime::ScopedWorld installed(world);
  EchoService echo(world, EchoMode::kReplyAfter30s);
  xpc_connection_t client = echo.Connect();
  uint64_t start = world.NowNs();
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    if (RoundTrip(client, id) != id) {
      state.SkipWithError("the slow reply did not echo its request");
      break;
    }
  }
  state.counters["virtual_s"] = benchmark::Counter(
      static_cast<double>(world.NowNs() - start) / 1e9, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_B4_SlowReplyRoundTrip)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) { return xpctest::bench::BenchMain(argc, argv); }
