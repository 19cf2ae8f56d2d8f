// bench/bench_support.h — what the xpctest benchmarks share.
//
// Every benchmark program puts xpctest and its baseline in one binary, so that
// `bench/run-benchmarks` can interleave their repetitions
// (--benchmark_enable_random_interleaving) and report ratios: absolute times on
// a shared, noisy machine mean little, the ratio of two runs taken side by
// side means more.
//
// The message is the same everywhere, about 100 bytes of content:
//   { op = "echo", id = <int64>, payload = <80 bytes> }
// xpctest sends it as an XPC dictionary (deep-copied on every send). The
// baselines build the same fields as a C++ struct (a std::string and a
// std::vector, so they allocate as the dictionary does), serialise it into a
// length-prefixed frame, and decode it again on the other side: comparable
// message work on both sides of the ratio.
//
//   runtime::World world({.executor = ExecutorKind::kThreaded});
//   runtime::ScopedWorld installed(world);
//   EchoService echo(world);                 // listener in pid 1001
//   xpc_connection_t client = echo.Connect(); // host process, live peer
//   int64_t id = RoundTrip(client, 42);       // reply_sync; 42 on success
//
// Threading: an EchoService and its clients belong to the thread that made
// them (the benchmark body); the service's handlers run on the world's
// executor.
#ifndef XPCTEST_BENCH_BENCH_SUPPORT_H
#define XPCTEST_BENCH_BENCH_SUPPORT_H

#include <xpc/xpc.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/world.h"

namespace benchmark {
class State;
}

namespace xpctest::bench {

namespace runtime = ::xpctest::fakes::runtime;

inline constexpr size_t kPayloadSize = 80;

// Flags shared by the bench programs, removed from argv before
// benchmark::Initialize sees it:
//   --messages=N     B3: messages per one-way run (default 1,000,000)
//   --connections=N  B5: live connections (default 10,000)
struct BenchFlags {
  int64_t messages = 1'000'000;
  int64_t connections = 10'000;
};
BenchFlags& Flags();
void ParseBenchFlags(int* argc, char** argv);

// The request: {op, id, payload}; +1 for the caller.
xpc_object_t MakeRequest(int64_t id);
// The service's work on a request: copies id and payload into `reply`.
void FillReply(xpc_object_t request, xpc_object_t reply);
// The client's work on a reply: reads id and payload back; returns the id, or
// -1 when the reply is not a well-formed echo.
int64_t ReadReply(xpc_object_t reply);

// One reply_sync round trip on `client`: make, send, wait, read back.
// Returns the echoed id (-1 on an error reply).
int64_t RoundTrip(xpc_connection_t client, int64_t id);

// The B1/B2 loop: an echo service and one live client in a fresh world on
// `kind`, then one RoundTrip per benchmark iteration.
void XpctestRoundTrips(benchmark::State& state, runtime::ExecutorKind kind);

// main() of every bench program: ParseBenchFlags, then Google Benchmark.
int BenchMain(int argc, char** argv);

// What to do with each request.
enum class EchoMode {
  kReplyNow,         // reply at once from the peer's handler
  kReplyAfter30s,    // B4: reply from a dispatch_after 30 s later
  kCountOnly,        // B3: count messages, never reply
};

// An anonymous echo listener in a simulated process of `world` ("echo",
// pid 1001 upward), and clients of it in the host process.
class EchoService {
 public:
  EchoService(runtime::World& world, EchoMode mode = EchoMode::kReplyNow);
  // Cancels every client and the listener, runs the world until idle and
  // releases them.
  ~EchoService();
  EchoService(const EchoService&) = delete;
  EchoService& operator=(const EchoService&) = delete;

  // A new client in the host process, activated, owned by the service. Its
  // peer exists after its first message (S91).
  xpc_connection_t Connect();
  // kCountOnly: messages received so far, over all peers.
  int64_t received() const;
  // kCountOnly: a semaphore signalled once when received() reaches `target`.
  void SignalAt(int64_t target, dispatch_semaphore_t semaphore);
  size_t client_count() const { return clients_.size(); }

  struct Counter;

 private:
  runtime::World& world_;
  runtime::Process& process_;
  xpc_connection_t listener_ = nullptr;
  std::vector<xpc_connection_t> clients_;
  Counter* counter_;
};

// --- the baselines' message ---------------------------------------------

struct PlainMessage {
  std::string op;
  int64_t id = 0;
  std::vector<uint8_t> payload;
};
PlainMessage MakePlainRequest(int64_t id);
// The service's work, as FillReply.
PlainMessage MakePlainReply(const PlainMessage& request);
// Appends one frame: u32 length, then op, id and payload.
void Encode(const PlainMessage& message, std::vector<uint8_t>* out);
// Size of the frame at `data` if all of it is in [data, data+size), else 0.
size_t FrameSize(const uint8_t* data, size_t size);
// Decodes one whole frame (FrameSize > 0).
PlainMessage Decode(const uint8_t* data);

// --- memory ---------------------------------------------------------------

// Bytes in use by malloc (mallinfo2().uordblks + hblkhd).
int64_t MallocInUse();
// Resident set size from /proc/self/statm.
int64_t ResidentBytes();

}  // namespace xpctest::bench

#endif  // XPCTEST_BENCH_BENCH_SUPPORT_H
