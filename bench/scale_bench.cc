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
//  - BM_Scale_<Executor>_ConnectRoundTripCancel/N: the whole life of N
//    clients in a fresh world: connect each, one round trip each, then cancel
//    them all and run the world until idle (EchoService's destructor). One
//    iteration per N; --scale_clients=N1,N2,... picks the Ns (default: the
//    --connections count). The per_client counter is the wall time per client:
//    flat when the cost of an operation does not grow with the live count.
#include <benchmark/benchmark.h>
#include <xpc/xpc.h>

#include <cstdlib>
#include <string>
#include <string_view>
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

void ConnectRoundTripCancel(benchmark::State& state, ExecutorKind kind) {
  const int64_t clients = state.range(0);
  for (auto _ : state) {
    runtime::World world({.executor = kind, .seed = 0});
    runtime::ScopedWorld installed(world);
    EchoService echo(world);
    for (int64_t i = 0; i < clients; ++i) {
      if (RoundTrip(echo.Connect(), i) != i) {
        state.SkipWithError("a round trip failed");
        return;
      }
    }
    // ~EchoService cancels every client and the listener, then runs the
    // world until idle: the teardown is part of the figure.
  }
  state.counters["clients"] = static_cast<double>(clients);
  state.counters["per_client"] = benchmark::Counter(
      static_cast<double>(clients), benchmark::Counter::kIsIterationInvariantRate |
                                        benchmark::Counter::kInvert);
}

// --scale_clients=N1,N2,... (removed from argv); empty when absent.
std::vector<int64_t> TakeScaleClients(int* argc, char** argv) {
  constexpr std::string_view kFlag = "--scale_clients=";
  std::vector<int64_t> counts;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, kFlag.size()) != kFlag) {
      argv[kept++] = argv[i];
      continue;
    }
    std::string list(arg.substr(kFlag.size()));
    for (char* cursor = list.data(); *cursor != '\0';) {
      int64_t n = std::strtoll(cursor, &cursor, 10);
      if (n > 0) counts.push_back(n);
      while (*cursor == ',') ++cursor;
      if (*cursor != '\0' && (*cursor < '0' || *cursor > '9')) break;
    }
  }
  *argc = kept;
  return counts;
}

void RegisterScaleBenchmarks(const std::vector<int64_t>& counts) {
  for (auto [name, kind] : {std::pair{"BM_Scale_Threaded_ConnectRoundTripCancel",
                                      ExecutorKind::kThreaded},
                            std::pair{"BM_Scale_Deterministic_ConnectRoundTripCancel",
                                      ExecutorKind::kDeterministic}}) {
    auto* registered = benchmark::RegisterBenchmark(
        name, [kind = kind](benchmark::State& state) { ConnectRoundTripCancel(state, kind); });
    for (int64_t n : counts) registered->Arg(n);
    registered->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
  }
}

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) {
  using namespace xpctest::bench;
  std::vector<int64_t> counts = TakeScaleClients(&argc, argv);
  ParseBenchFlags(&argc, argv);  // BenchMain's own pass then finds nothing left
  if (counts.empty()) counts.push_back(Flags().connections);
  RegisterScaleBenchmarks(counts);
  return BenchMain(argc, argv);
}
