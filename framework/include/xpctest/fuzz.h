// xpctest/fuzz.h — fuzz an XPC service with libFuzzer.
//
// A service must survive whatever a hostile peer sends. A FuzzTarget stands
// the service up in a fresh world for every input, sends it the messages the
// fuzzer made (xpctest/fuzz_input.h: every XPC type, nested), and turns into
// findings what a test would fail on:
//   - a crash or a sanitizer report (libFuzzer's own findings);
//   - XPC API misuse and libdispatch misuse reports, broken invariants;
//   - a deadlock (the deterministic executor reports one instead of hanging);
//   - a warning (a request released unanswered, ...), unless ignored;
//   - no reply to a message sent with a reply handler (configurable);
//   - XPC objects or descriptors still open once the world ended (leaks);
//   - a reply FuzzOptions::check_reply rejects.
// Each finding prints the messages as xpctest/object.h literals, ready to
// paste into a regression test, and aborts, so libFuzzer saves the input.
//
//   // calculator_fuzzer.cc; link xpctest::libfuzzer (docs/fuzzing.md)
//   #include <xpctest/fuzz.h>
//   #include "calculator_service.h"
//
//   XPCTEST_FUZZ_TARGET(xpctest::FuzzTarget::Serve(calculator_handle_peer, {
//       .words = {"op", "a", "b", "add", "sub", "mul", "div"},
//       .seeds = {xpctest::Dict{{"op", "add"}, {"a", 2}, {"b", 3}}},
//   }))
//
// then `./calculator_fuzzer corpus/ -max_total_time=60`. Run with a saved
// input (`./calculator_fuzzer crash-...`), the target prints the input as
// literals before running it.
//
// Every input runs on the deterministic executor (seed FuzzOptions::
// world_seed), so a run is reproducible and virtual time makes timeouts
// free. Services given by `main` (ServiceMain) are launched on demand by
// name, as launchd would; a parked main's memory is abandoned with its world
// (docs/architecture.md), about 12 KiB per input, so long runs of such
// targets need libFuzzer's -rss_limit_mb raised or -fork.
//
// Threading: a target runs inputs on the calling thread, one at a time.
#ifndef XPCTEST_FUZZ_H
#define XPCTEST_FUZZ_H

#include <xpc/xpc.h>
#include <xpctest/control.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xpctest/fuzz_input.h"
#include "xpctest/object.h"
#include "xpctest/service.h"

namespace xpctest {

// What a message sent with a reply handler must get back.
enum class FuzzReplies {
  kRequired,             // a reply; an error in its place is a finding
  kReplyOrClosedPeer,    // a reply, or an error because the service closed the peer
  kNotChecked,
};

struct FuzzOptions {
  // Keys and string values the mutator tries, besides those in -dict files
  // and those it learns from the corpus.
  std::vector<std::string> words;
  // Real messages: each one seeds the corpus (sent with a reply handler on
  // connection 0), and its keys and strings become words.
  std::vector<Object> seeds;
  FuzzReplies replies = FuzzReplies::kRequired;
  // How long, in virtual time, replies may take.
  std::chrono::nanoseconds reply_deadline = std::chrono::seconds(60);
  // Called with each reply (the request as sent, and the reply); returns
  // why the reply is wrong, or "" when it is right.
  std::function<std::string(const FuzzMessage& request, xpc_object_t reply)> check_reply;
  // Warnings whose headline contains one of these are not findings.
  std::vector<std::string> ignored_warnings;
  // XPC objects or descriptors left open by an input are findings.
  bool check_leaks = true;
  // Who sends the messages, and who the service is (peer requirements,
  // credentials checks).
  Identity client_identity;
  Identity service_identity;
  FuzzLimits limits;
  // The deterministic executor's seed for every input (0: FIFO).
  uint64_t world_seed = 0;
};

// Something a target must not do, with the input that made it happen.
struct FuzzFinding {
  std::string headline;  // "XPC API Misuse: ...", "no reply to message 2 ..."
  std::string details;   // the report's details, the recent trace
};

class FuzzTarget {
 public:
  // How a finding is handled while an input runs.
  enum class OnFinding {
    kAbort,   // print it with the input and abort at once, as libxpc aborts
    kReturn,  // keep the first, let the input run on, return it
  };

  // A TN3113-style service: `on_peer` accepts each peer of an anonymous
  // listener in a simulated process of its own.
  static FuzzTarget Serve(PeerHandler on_peer, FuzzOptions options = {});
  // An unmodified service `main`, registered under the Mach-service (or XPC
  // service) `name` and launched when the first message looks it up.
  static FuzzTarget ServiceMain(std::string name, control::World::ServiceMain main,
                                FuzzOptions options = {}, std::vector<std::string> arguments = {});
  // No service: `check` gets each input and calls ReportFuzzFinding for what
  // is wrong. Misuse reports during `check` are findings too, and so are
  // leaks (FuzzOptions::check_leaks).
  static FuzzTarget Check(std::function<void(const FuzzInput&)> check, FuzzOptions options = {});

  FuzzTarget(FuzzTarget&&) noexcept;
  FuzzTarget& operator=(FuzzTarget&&) noexcept;
  ~FuzzTarget();

  const FuzzOptions& options() const;
  // The seeds, encoded: the files a corpus starts from.
  std::vector<std::vector<uint8_t>> EncodedSeeds() const;

  // Runs one input in a fresh world.
  std::optional<FuzzFinding> Run(const FuzzInput& input, OnFinding on_finding) const;

  struct Impl;

 private:
  explicit FuzzTarget(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// From a FuzzTarget::Check function, or a reply check: reports a finding
// about the running input (printed with it; then abort or return, as Run
// was told).
void ReportFuzzFinding(const std::string& headline, const std::string& details = "");

// The input as C++ for a regression test in an xpctest::Test: one
// "client.SendSync(xpctest::Dict{...});" (or Send) per message, clients
// numbered by connection.
std::string FuzzInputAsTestCode(const FuzzInput& input);

namespace internal {
// The libFuzzer entry points XPCTEST_FUZZ_TARGET defines forward here.
int FuzzInitialize(int* argc, char*** argv, FuzzTarget (*make_target)());
int FuzzOneInput(const uint8_t* data, size_t size);
size_t FuzzMutate(uint8_t* data, size_t size, size_t max_size, unsigned seed);
size_t FuzzCrossOver(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                     uint8_t* out, size_t max_out_size, unsigned seed);
}  // namespace internal

}  // namespace xpctest

// XPCTEST_FUZZ_TARGET(expression)
//
// Makes this program a libFuzzer fuzz target for the FuzzTarget `expression`
// (evaluated once, at start-up): defines LLVMFuzzerInitialize,
// LLVMFuzzerTestOneInput and the custom mutator and cross-over. libFuzzer
// flags work as usual (-dict=FILE also feeds the mutator's words, -seed,
// -runs, -max_total_time); a corpus directory given first gets the target's
// seeds as files.
#define XPCTEST_FUZZ_TARGET(...)                                                              \
  static ::xpctest::FuzzTarget XpctestMakeFuzzTarget() { return __VA_ARGS__; }                \
  extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {                              \
    return ::xpctest::internal::FuzzInitialize(argc, argv, &XpctestMakeFuzzTarget);          \
  }                                                                                           \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {                   \
    return ::xpctest::internal::FuzzOneInput(data, size);                                     \
  }                                                                                           \
  extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,      \
                                            unsigned int seed) {                              \
    return ::xpctest::internal::FuzzMutate(data, size, max_size, seed);                       \
  }                                                                                           \
  extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1,             \
                                              const uint8_t* data2, size_t size2,             \
                                              uint8_t* out, size_t max_out_size,              \
                                              unsigned int seed) {                            \
    return ::xpctest::internal::FuzzCrossOver(data1, size1, data2, size2, out, max_out_size,  \
                                              seed);                                          \
  }

#endif  // XPCTEST_FUZZ_H
