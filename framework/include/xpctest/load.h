// xpctest/load.h — load tests: many clients, many requests, latency percentiles.
//
// RunLoad opens `clients` connections (or sessions) to a service, has each
// send `requests_per_client` requests with reply handlers while keeping
// `in_flight_per_client` of them outstanding, and reports what came back:
//
//   xpctest::Service kv = Serve("kv", kv_handle_peer);
//   xpctest::LoadReport baseline = xpctest::RunLoad(world(), kv, {.clients = 8});
//   Faults(world()).On(RequestsTo(kv)).Probability(0.03).Delay(std::chrono::milliseconds(5));
//   xpctest::LoadReport slowed = xpctest::RunLoad(world(), kv, {.clients = 8});
//   EXPECT_EQ(slowed.errors, 0);
//   EXPECT_EQ(slowed.overall.p50, baseline.overall.p50);
//   std::cout << slowed.Table();
//
// Latencies are read on the world's clock (control::World::Now): virtual time
// on the deterministic executor, where only timers and delay faults make time
// pass, so latencies there are exact and repeatable; real time on the
// threaded executor, where they are measurements of a noisy machine.
//
// Never hangs: the run ends when every request has been answered, or when
// nothing can run any more (deterministic), or at the deadline (threaded,
// Options().timeout). Requests still unanswered then — dropped or held by a
// fault, or never answered by the service — are counted as errors of kind
// "no reply"; every request is counted exactly once. The connections are
// cancelled and their last reply handlers drained before RunLoad returns.
//
// RunLoad drives the world, so call it from the test body (the host thread),
// never from inside a handler.
#ifndef XPCTEST_LOAD_H
#define XPCTEST_LOAD_H

#include <xpc/xpc.h>
#include <xpctest/control.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "xpctest/object.h"
#include "xpctest/service.h"

namespace xpctest {

// Where the load's clients live.
enum class LoadClients {
  // Every client in the host process (the test body's).
  kInHostProcess,
  // Each client in a simulated process of its own, "load client <n>": the
  // service sees distinct pids, and CrashClient faults have someone to crash.
  kInOwnProcesses,
};

struct LoadOptions {
  int clients = 8;
  int requests_per_client = 100;
  // How many requests each client keeps outstanding: a reply (or error)
  // sends the client's next request. Less than 1 counts as 1.
  int in_flight_per_client = 1;
  // Clients are xpc_sessions instead of connections (S116). Sessions reach a
  // service by Mach-service name only, so this needs the RunLoad overload that
  // takes a name.
  bool sessions = false;
  LoadClients where = LoadClients::kInHostProcess;
  // The request number `request` (0-based) of client `client`. Called one
  // call at a time (never concurrently), from the host thread or a reply
  // handler. Empty: an empty dictionary.
  std::function<Object(int client, int request)> make_request;
  // Whether `reply` (a dictionary) answers `request` correctly; a false
  // counts as an error of kind "rejected by reply_ok". Called one call at a
  // time. Empty: every dictionary reply succeeds.
  std::function<bool(xpc_object_t request, xpc_object_t reply)> reply_ok;
  // How long the run may take before unanswered requests count as errors;
  // zero: Options().WaitLimit(executor).
  std::chrono::nanoseconds deadline{0};
};

// Percentiles of a set of latencies (nearest rank: the pN is the smallest
// sample that at least N% of the samples do not exceed).
struct LatencySummary {
  int64_t count = 0;
  std::chrono::nanoseconds p50{0};
  std::chrono::nanoseconds p90{0};
  std::chrono::nanoseconds p99{0};
  std::chrono::nanoseconds max{0};
  std::chrono::nanoseconds mean{0};
};

// The nearest-rank `percent` percentile (0 < percent <= 100) of `sorted`
// (ascending); zero for no samples.
std::chrono::nanoseconds Percentile(const std::vector<std::chrono::nanoseconds>& sorted,
                                    double percent);
// Sorts a copy of `samples` and summarizes it.
LatencySummary Summarize(std::vector<std::chrono::nanoseconds> samples);

// One client's share of a load run.
struct ClientLoad {
  int client = 0;
  // The process the client ran in.
  pid_t pid = 0;
  int sent = 0;
  int succeeded = 0;
  int errors = 0;
  // Over this client's successful requests.
  LatencySummary latency;
};

struct LoadReport {
  control::ExecutorKind executor = control::ExecutorKind::kDeterministic;
  uint64_t seed = 0;
  // What the run was asked for (counts clamped as RunLoad used them).
  LoadOptions options;

  // clients * requests_per_client; always succeeded + errors.
  int requests = 0;
  int sent = 0;
  int succeeded = 0;
  int errors = 0;
  // Errors by kind: an XPC error's description ("Connection interrupted"),
  // a session's rich error, "rejected by reply_ok", "no reply" (still pending
  // when the run ended), "not sent" (the run ended first), "no session".
  std::map<std::string, int> errors_by_kind;
  // Whether every request was answered before the run ended.
  bool finished = false;

  // From the first send to the last answer, on the world's clock and on the
  // machine's.
  std::chrono::nanoseconds world_time{0};
  std::chrono::nanoseconds wall_time{0};

  // Latencies of successful requests (errors have no latency here).
  LatencySummary overall;
  std::vector<ClientLoad> per_client;

  // Successful requests per second; nullopt when no time passed (an instant
  // service on the deterministic executor).
  std::optional<double> WorldThroughput() const;
  std::optional<double> WallThroughput() const;

  // A readable summary: counts, times, throughput, a latency row overall and
  // per client, and errors by kind.
  std::string Table() const;
};

void PrintTo(const LoadReport& report, std::ostream* os);
std::ostream& operator<<(std::ostream& os, const LoadReport& report);
// "1.250ms", "830us", "0ns".
std::string FormatLatency(std::chrono::nanoseconds latency);

// A load against `service`'s endpoint (connections only).
LoadReport RunLoad(control::World& world, const Service& service, LoadOptions options);
// A load against the Mach-service `name` (connections or sessions).
LoadReport RunLoad(control::World& world, const std::string& mach_service, LoadOptions options);

// The flags of a load tool's main.
struct LoadCommandLine {
  int clients = 8;
  int requests = 100;
  int in_flight = 1;
  control::ExecutorKind executor = control::ExecutorKind::kThreaded;
  uint64_t seed = 0;
  bool sessions = false;
  LoadClients where = LoadClients::kInHostProcess;
};

// Parses --clients=N --requests=M --in_flight=K
// --executor=threaded|deterministic --seed=S --sessions --own_processes.
// Returns nullopt and sets `error` for anything else (or a bad value).
std::optional<LoadCommandLine> ParseLoadCommandLine(int argc, const char* const* argv,
                                                    std::string* error);

// A load tool in one call: parses the flags, serves `handler` in a world of
// the chosen executor, runs the load, prints the table to `out`. Returns 0
// when every request succeeded, 1 when some failed, 2 for bad flags.
//
//   int main(int argc, char** argv) {
//     return xpctest::RunLoadMain(argc, argv, kv_handle_peer, [](int client, int request) {
//       return xpctest::Object(xpctest::Dict{{"op", "get"}, {"key", request % 16}});
//     });
//   }
int RunLoadMain(int argc, char** argv, PeerHandler handler,
                std::function<Object(int client, int request)> make_request);
int RunLoadMain(int argc, char** argv, PeerHandler handler,
                std::function<Object(int client, int request)> make_request, std::ostream& out);

}  // namespace xpctest

#endif  // XPCTEST_LOAD_H
