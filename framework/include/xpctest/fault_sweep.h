// xpctest/fault_sweep.h — fault sweeps in the manner of SQLite's: run a
// scenario once per message, faulting the 1st, 2nd, ... message a selector
// picks, until a run no longer reaches the kth one.
//
//   SweepResult sweep = SweepFaults(RequestsTo("com.example.calc"), SweepAction::CrashService(),
//                                   [](SweepRun& run) {
//     run.ServeOnDemand("com.example.calc", calculator_handle_peer);  // relaunched after a crash
//     Client client = run.ConnectTo("com.example.calc");
//     EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 3}}),
//                 HasInt64("sum", 5));   // the scenario's own checks
//   });
//   EXPECT_EQ(sweep.messages, 1);
//   EXPECT_TRUE(sweep.AllPassed()) << sweep.Report();
//
// Every run has a fresh world (the run's executor and seed unless
// SweepOptions says otherwise) and one rule: the selector, .Nth(k).Times(1),
// the action. Run k = 1, 2, ... until the rule is not applied: that last run
// saw no fault, and `messages` (N) is the number of messages the selector
// picked in it. Each run's failures — its EXPECT_/ASSERT_ failures, misuse,
// deadlocks, warnings, connections or requests it left unfinished — are
// caught and kept in the result with the run's trace tail, instead of failing
// the calling test: the test says which runs must pass (all of them, or all
// but the ones it knows about).
//
// Call from the thread running the test. Scenario code follows the usual
// block rules (docs/writing-tests.md).
#ifndef XPCTEST_FAULT_SWEEP_H
#define XPCTEST_FAULT_SWEEP_H

#include <xpctest/control.h>

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "xpctest/client.h"
#include "xpctest/faults.h"
#include "xpctest/service.h"

namespace xpctest {

// What happens to the selected message.
class SweepAction {
 public:
  static SweepAction Drop();
  static SweepAction CrashService();
  static SweepAction CrashClient();
  static SweepAction Delay(std::chrono::nanoseconds delay);

  // Adds the rule built so far in `faults` with this action.
  FaultHandle AddTo(Faults& faults) const;
  // "drop", "crash service", "crash client", "delay 30000ms".
  std::string name() const;

 private:
  enum class Kind { kDrop, kCrashService, kCrashClient, kDelay };
  SweepAction(Kind kind, std::chrono::nanoseconds delay) : kind_(kind), delay_(delay) {}
  Kind kind_;
  std::chrono::nanoseconds delay_;
};

// One run of a sweep, as the scenario sees it: a fresh world and the
// fixture's helpers (xpctest::Test) bound to it.
class SweepRun {
 public:
  SweepRun(control::World& world, int fault_at);
  ~SweepRun();
  SweepRun(const SweepRun&) = delete;
  SweepRun& operator=(const SweepRun&) = delete;

  control::World& world() { return world_; }
  // k: the selected message this run faults (the last run faults nothing it reaches).
  int fault_at() const { return fault_at_; }

  Service Serve(std::string name, PeerHandler on_peer, ServiceOptions options = {});
  // Serves `mach_service` now and again whenever a client looks it up while
  // nothing serves it (after a crash): launchd's relaunch on demand. The
  // services live until the run ends.
  void ServeOnDemand(const std::string& mach_service, PeerHandler on_peer);
  Client Connect(const Service& service);
  Client ConnectTo(const std::string& mach_service);
  Client ConnectFrom(const control::Process& process, const Service& service);

  void RunUntilIdle() { world_.RunUntilIdle(); }
  bool RunUntil(const std::function<bool()>& done);

  // Ends what the run started (launchers, services) and returns what it left
  // unfinished; called by SweepFaults after the scenario.
  std::vector<std::string> Finish();

 private:
  struct OnDemand;
  control::World& world_;
  int fault_at_;
  std::vector<std::unique_ptr<OnDemand>> on_demand_;
};

// One run's outcome.
struct SweepOutcome {
  int fault_at = 0;      // k
  bool applied = false;  // the rule faulted a message (false only in the last run)
  bool passed = true;
  std::vector<std::string> failures;  // each caught failure's message
  std::string trace_tail;             // the run's last trace entries, when it failed
};

struct SweepResult {
  std::string description;  // "crash service at requests to com.example.calc"
  // N: messages the selector picked in the run without a fault.
  int messages = 0;
  // False when max_runs ran out before a run without a fault.
  bool complete = false;
  // k = 1 ... N (faulted), then the run without a fault (k = N + 1).
  std::vector<SweepOutcome> runs;

  bool AllPassed() const;
  // The k of every failed run, in order.
  std::vector<int> FailedAt() const;
  // One line per run, then each failed run's failures and trace tail.
  std::string Report() const;
};

void PrintTo(const SweepResult& result, std::ostream* os);

struct SweepOptions {
  // Executor and seed of every run; by default the test run's (Options()).
  control::WorldOptions world = DefaultWorldOptions();
  // Stop (incomplete) after this many runs.
  int max_runs = 200;
  // Trace entries kept for a failed run.
  size_t trace_lines = 25;

  static control::WorldOptions DefaultWorldOptions();
};

using SweepScenario = std::function<void(SweepRun& run)>;

// Runs `scenario` with the kth message `selector` picks faulted by `action`,
// for k = 1, 2, ... until a run reaches no kth message.
SweepResult SweepFaults(const MessageSelector& selector, const SweepAction& action,
                        const SweepScenario& scenario, const SweepOptions& options = {});

}  // namespace xpctest

#endif  // XPCTEST_FAULT_SWEEP_H
