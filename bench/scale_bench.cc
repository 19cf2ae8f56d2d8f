// scale_bench — B5: 10,000 live connections.
//
// A round trip on one client while --connections=N (default 10,000) clients
// are live (each made live by one round trip, so its peer exists in the
// service process), against the same round trip with that client alone; and
// what one idle connection costs in memory (client + peer + link, and the
// trace entries its first round trip left), from mallinfo2() and from the
// resident set size (/proc/self/statm) before and after connecting N-1 more.
//
//  - BM_B5_<Executor>_OneLive / BM_B5_<Executor>_ManyLive, for the threaded
//    and the deterministic executor. Counters on ManyLive: live,
//    malloc_per_conn (bytes), rss_per_conn (bytes; meaningful only when the
//    process has not freed memory before, e.g. the first benchmark run),
//    trace_per_conn (entries recorded) and trace_bytes_per_conn (the growth of
//    the trace's estimated heap bytes, included in malloc_per_conn; the trace
//    keeps only its last 10,000 entries).
#include <benchmark/benchmark.h>
#include <xpc/xpc.h>

#include <string>
#include <vector>

#include "bench_support.h"

namespace xpctest::bench {
namespace {

using runtime::ExecutorKind;

void RoundTripWithLive(benchmark::State& state, ExecutorKind kind, int64_t live) {
  runtime::World world({.executor = kind, .seed = 0});
  runtime::ScopedWorld installed(world);
  EchoService echo(world);
  xpc_connection_t measured = echo.Connect();
  if (RoundTrip(measured, 0) != 0) {
    state.SkipWithError("the first round trip failed");
    return;
  }
  int64_t malloc_before = MallocInUse();
  int64_t rss_before = ResidentBytes();
  size_t trace_before = world.trace().size() + world.trace().dropped();
  size_t trace_bytes_before = world.trace().ApproximateBytes();
  for (int64_t i = 1; i < live; ++i) {
    if (RoundTrip(echo.Connect(), i) != i) {
      state.SkipWithError("a connection did not become live");
      return;
    }
  }
  if (live > 1) {
    double others = static_cast<double>(live - 1);
    state.counters["malloc_per_conn"] =
        static_cast<double>(MallocInUse() - malloc_before) / others;
    state.counters["rss_per_conn"] = static_cast<double>(ResidentBytes() - rss_before) / others;
    // The trace is part of the delta (bounded: a ring of the last entries).
    size_t recorded = world.trace().size() + world.trace().dropped() - trace_before;
    double trace_bytes =
        static_cast<double>(world.trace().ApproximateBytes()) - static_cast<double>(trace_bytes_before);
    state.counters["trace_per_conn"] = static_cast<double>(recorded) / others;
    state.counters["trace_bytes_per_conn"] = trace_bytes / others;
  }
  state.counters["live"] = static_cast<double>(live);
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    if (RoundTrip(measured, id) != id) {
      state.SkipWithError("a reply did not echo its request");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_B5_Threaded_OneLive(benchmark::State& state) {
  RoundTripWithLive(state, ExecutorKind::kThreaded, 1);
}
void BM_B5_Threaded_ManyLive(benchmark::State& state) {
  RoundTripWithLive(state, ExecutorKind::kThreaded, Flags().connections);
}
void BM_B5_Deterministic_OneLive(benchmark::State& state) {
  RoundTripWithLive(state, ExecutorKind::kDeterministic, 1);
}
void BM_B5_Deterministic_ManyLive(benchmark::State& state) {
  RoundTripWithLive(state, ExecutorKind::kDeterministic, Flags().connections);
}
// Fixed iteration counts: Google Benchmark would otherwise call each function
// several times to size the run, connecting 10,000 clients every time.
BENCHMARK(BM_B5_Threaded_OneLive)->Unit(benchmark::kMicrosecond)->UseRealTime()->Iterations(4000);
BENCHMARK(BM_B5_Threaded_ManyLive)->Unit(benchmark::kMicrosecond)->UseRealTime()->Iterations(4000);
BENCHMARK(BM_B5_Deterministic_OneLive)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Iterations(20000);
BENCHMARK(BM_B5_Deterministic_ManyLive)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Iterations(20000);

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) { return xpctest::bench::BenchMain(argc, argv); }
