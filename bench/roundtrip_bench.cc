// roundtrip_bench — B1 and B2: one request/reply round trip.
//
//  B1 (threaded executor, real threads):
//   - BM_B1_Xpctest: xpc_connection_send_message_with_reply_sync from the host
//     process to an echo service in a simulated process.
//   - BM_B1_Socketpair: the same message work over a Unix socketpair between
//     two threads.
//   - BM_B1_Condvar: the same message work through a mutex and condition
//     variables between two threads.
//  B2 (deterministic executor, one thread):
//   - BM_B2_Xpctest: the same reply_sync round trip; the wait suspends the
//     calling stack while the service runs on a runner fiber (two context
//     switches per round trip).
//   - BM_B2_DirectCall: the message work alone, as a direct call: build the
//     dictionary, deep-copy it (the send), build and fill the reply, deep-copy
//     it (the reply's send), read it back.
//
// bench/run-benchmarks runs these interleaved and prints the ratios.
#include <benchmark/benchmark.h>
#include <xpc/xpc.h>

#include "baselines.h"
#include "bench_support.h"

namespace xpctest::bench {
namespace {

using runtime::ExecutorKind;

void BM_B1_Xpctest(benchmark::State& state) { XpctestRoundTrips(state, ExecutorKind::kThreaded); }
BENCHMARK(BM_B1_Xpctest)->Unit(benchmark::kMicrosecond)->UseRealTime();

// One round trip per iteration over a two-thread ping-pong baseline.
template <class PingPong>
void PingPongRoundTrips(benchmark::State& state) {
  PingPong pingpong;
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    if (pingpong.RoundTrip(id) != id) {
      state.SkipWithError("a reply did not echo its request");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_B1_Socketpair(benchmark::State& state) { PingPongRoundTrips<SocketPingPong>(state); }
BENCHMARK(BM_B1_Socketpair)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_B1_Condvar(benchmark::State& state) { PingPongRoundTrips<CondvarPingPong>(state); }
BENCHMARK(BM_B1_Condvar)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_B2_Xpctest(benchmark::State& state) {
  XpctestRoundTrips(state, ExecutorKind::kDeterministic);
}
BENCHMARK(BM_B2_Xpctest)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_B2_DirectCall(benchmark::State& state) {
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    xpc_object_t request = MakeRequest(id);
    xpc_object_t received = xpc_copy(request);  // the send's deep copy
    xpc_release(request);
    xpc_object_t reply = xpc_dictionary_create_empty();
    FillReply(received, reply);
    xpc_release(received);
    xpc_object_t delivered = xpc_copy(reply);  // the reply's deep copy
    xpc_release(reply);
    int64_t echoed = ReadReply(delivered);
    xpc_release(delivered);
    if (echoed != id) {
      state.SkipWithError("a reply did not echo its request");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_B2_DirectCall)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) { return xpctest::bench::BenchMain(argc, argv); }
