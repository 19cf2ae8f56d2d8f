// instructions — the operations whose cost is judged in instructions, not in
// noisy seconds: run under callgrind, each scenario warms up, then turns
// instrumentation on for exactly `count` operations (valgrind/callgrind.h
// client requests; outside valgrind they do nothing).
//
//   valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=F \
//       instructions b2 2000      # then: instructions per op = F's totals / 2000
//
// Scenarios (all on the deterministic executor, one thread, so the count is
// exact and repeatable):
//   b2          one reply_sync round trip (BM_B2_Xpctest's loop body)
//   b2-direct   the same message work as a direct call (BM_B2_DirectCall)
//   b7          one test's framework work (bench/per_test.h)
//   hop         one dispatch_async onto a serial queue and the block running,
//               in batches of 1,000 (BM_AsyncHopDeterministic)
// bench/run-benchmarks runs each and prints instructions per operation.
//
// One more, for strace rather than callgrind (real threads make instruction
// counts depend on spinning and scheduling):
//   b1          one reply_sync round trip on the threaded executor
//   strace -f -c -e trace=futex instructions b1 20000   # futex calls per RTT
// and one for a heap profiler:
//   connections COUNT live connections (B5's memory per connection)
//   valgrind --tool=massif instructions connections 500
#include <dispatch/dispatch.h>
#include <valgrind/callgrind.h>
#include <xpc/xpc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "bench_support.h"
#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "per_test.h"

namespace xpctest::bench {
namespace {

// Runs `warmup` then `count` operations, counting instructions only for the
// latter. Returns false if an operation failed.
bool Measure(int64_t warmup, int64_t count, const std::function<bool(int64_t)>& op) {
  for (int64_t i = 0; i < warmup; ++i) {
    if (!op(i)) return false;
  }
  CALLGRIND_START_INSTRUMENTATION;
  bool ok = true;
  for (int64_t i = 0; i < count && ok; ++i) ok = op(warmup + i);
  CALLGRIND_STOP_INSTRUMENTATION;
  return ok;
}

bool RoundTrips(int64_t count, runtime::ExecutorKind kind) {
  runtime::World world({.executor = kind, .seed = 0});
  runtime::ScopedWorld installed(world);
  EchoService echo(world);
  xpc_connection_t client = echo.Connect();
  return Measure(100, count, [client](int64_t id) { return RoundTrip(client, id) == id; });
}

bool DirectCalls(int64_t count) {
  return Measure(100, count, [](int64_t id) {
    xpc_object_t request = MakeRequest(id);
    xpc_object_t received = xpc_copy(request);
    xpc_release(request);
    xpc_object_t reply = xpc_dictionary_create_empty();
    FillReply(received, reply);
    xpc_release(received);
    xpc_object_t delivered = xpc_copy(reply);
    xpc_release(reply);
    int64_t echoed = ReadReply(delivered);
    xpc_release(delivered);
    return echoed == id;
  });
}

bool Tests(int64_t count) {
  return Measure(10, count, [](int64_t) { return RunOneTest(control::ExecutorKind::kDeterministic); });
}

// B5's memory: `count` live connections (one round trip each), for a heap
// profiler (valgrind --tool=massif) rather than for callgrind.
bool Connections(int64_t count) {
  runtime::World world({.executor = runtime::ExecutorKind::kDeterministic, .seed = 0});
  runtime::ScopedWorld installed(world);
  EchoService echo(world);
  return Measure(0, count, [&echo](int64_t id) { return RoundTrip(echo.Connect(), id) == id; });
}

constexpr int64_t kHopBatch = 1000;

bool Hops(int64_t count) {
  namespace dispatch = ::xpctest::fakes::dispatch;
  dispatch::ScopedEnvironment env(
      dispatch::EnvironmentOptions{dispatch::ExecutorKind::kDeterministic, 0, "bench"});
  dispatch_queue_t q = dispatch_queue_create("bench.hop", DISPATCH_QUEUE_SERIAL);
  int64_t ran = 0;
  int64_t* counter = &ran;
  int64_t batches = (count + kHopBatch - 1) / kHopBatch;
  bool ok = Measure(1, batches, [q, counter](int64_t) {
    for (int64_t i = 0; i < kHopBatch; ++i) dispatch_async(q, ^{ ++*counter; });
    dispatch::CurrentExecutor().RunUntilIdle();
    return true;
  });
  dispatch_release(q);
  return ok && ran == (batches + 1) * kHopBatch;
}

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) {
  using namespace xpctest::bench;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s b1|b2|b2-direct|b7|hop|connections COUNT (under callgrind; b1 under strace)\n", argv[0]);
    return 2;
  }
  int64_t count = std::strtoll(argv[2], nullptr, 10);
  bool ok = false;
  if (std::strcmp(argv[1], "b2") == 0) ok = RoundTrips(count, runtime::ExecutorKind::kDeterministic);
  else if (std::strcmp(argv[1], "b1") == 0) ok = RoundTrips(count, runtime::ExecutorKind::kThreaded);
  else if (std::strcmp(argv[1], "b2-direct") == 0) ok = DirectCalls(count);
  else if (std::strcmp(argv[1], "b7") == 0) ok = Tests(count);
  else if (std::strcmp(argv[1], "hop") == 0) ok = Hops(count);
  else if (std::strcmp(argv[1], "connections") == 0) ok = Connections(count);
  else {
    std::fprintf(stderr, "instructions: unknown scenario %s\n", argv[1]);
    return 2;
  }
  if (!ok) {
    std::fprintf(stderr, "instructions: %s failed\n", argv[1]);
    return 1;
  }
  std::printf("%s %lld\n", argv[1], static_cast<long long>(count));
  return 0;
}
