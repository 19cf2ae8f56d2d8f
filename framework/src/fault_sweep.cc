#include "xpctest/fault_sweep.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <xpctest/diagnostics.h>

#include <mutex>
#include <sstream>

#include "xpctest/options.h"

namespace xpctest {

SweepAction SweepAction::Drop() { return SweepAction(Kind::kDrop, {}); }
SweepAction SweepAction::CrashService() { return SweepAction(Kind::kCrashService, {}); }
SweepAction SweepAction::CrashClient() { return SweepAction(Kind::kCrashClient, {}); }
SweepAction SweepAction::Delay(std::chrono::nanoseconds delay) {
  return SweepAction(Kind::kDelay, delay);
}

FaultHandle SweepAction::AddTo(Faults& faults) const {
  switch (kind_) {
    case Kind::kDrop: return faults.Drop();
    case Kind::kCrashService: return faults.CrashService();
    case Kind::kCrashClient: return faults.CrashClient();
    case Kind::kDelay: return faults.Delay(delay_);
  }
  return faults.Drop();
}

std::string SweepAction::name() const {
  switch (kind_) {
    case Kind::kDrop: return "drop";
    case Kind::kCrashService: return "crash service";
    case Kind::kCrashClient: return "crash client";
    case Kind::kDelay:
      return "delay " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(delay_).count()) +
             "ms";
  }
  return "?";
}

struct SweepRun::OnDemand {
  std::string name;
  PeerHandler on_peer;
  std::vector<Service> launches;
};

SweepRun::SweepRun(control::World& world, int fault_at) : world_(world), fault_at_(fault_at) {}

SweepRun::~SweepRun() { Finish(); }

Service SweepRun::Serve(std::string name, PeerHandler on_peer, ServiceOptions options) {
  return Service(world_, std::move(name), std::move(on_peer), std::move(options));
}

void SweepRun::ServeOnDemand(const std::string& mach_service, PeerHandler on_peer) {
  on_demand_.push_back(std::make_unique<OnDemand>(OnDemand{mach_service, std::move(on_peer), {}}));
  OnDemand* served = on_demand_.back().get();
  auto launch = [this, served] {
    served->launches.emplace_back(world_, served->name, served->on_peer,
                                  ServiceOptions{.mach_service = served->name});
    return true;
  };
  launch();
  world_.SetLauncher(mach_service, launch);  // removed in Finish()
}

Client SweepRun::Connect(const Service& service) {
  Object endpoint = service.endpoint();
  return Client(world_,
                xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(endpoint.get())),
                "client of " + service.name());
}

Client SweepRun::ConnectTo(const std::string& mach_service) {
  return Client(world_, xpc_connection_create_mach_service(mach_service.c_str(), nullptr, 0),
                "client of " + mach_service);
}

Client SweepRun::ConnectFrom(const control::Process& process, const Service& service) {
  control::ScopedProcess as(process);
  Object endpoint = service.endpoint();
  return Client(world_,
                xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(endpoint.get())),
                process.name() + " client of " + service.name());
}

bool SweepRun::RunUntil(const std::function<bool()>& done) {
  return world_.RunUntil(done, Options().WaitLimit(world_.options().executor));
}

std::vector<std::string> SweepRun::Finish() {
  // The scenario's clients are gone: let their cancellations finish first.
  world_.RunUntilIdle();
  std::vector<std::string> unfinished = world_.Unfinished();
  for (auto& served : on_demand_) world_.RemoveLauncher(served->name);
  on_demand_.clear();  // cancels the listeners
  world_.RunUntilIdle();
  return unfinished;
}

bool SweepResult::AllPassed() const { return complete && FailedAt().empty(); }

std::vector<int> SweepResult::FailedAt() const {
  std::vector<int> failed;
  for (const SweepOutcome& run : runs) {
    if (!run.passed) failed.push_back(run.fault_at);
  }
  return failed;
}

std::string SweepResult::Report() const {
  std::ostringstream out;
  out << "fault sweep: " << description << ": " << messages << " message(s), " << runs.size()
      << " run(s)" << (complete ? "" : " (incomplete: max_runs reached)") << "\n";
  for (const SweepOutcome& run : runs) {
    out << "  k=" << run.fault_at << (run.applied ? "" : " (no fault)") << ": "
        << (run.passed ? "passed" : "FAILED") << "\n";
  }
  for (const SweepOutcome& run : runs) {
    if (run.passed) continue;
    out << "k=" << run.fault_at << " failed:\n";
    for (const std::string& failure : run.failures) out << "  " << failure << "\n";
    out << "  last trace entries:\n" << run.trace_tail;
  }
  return out.str();
}

void PrintTo(const SweepResult& result, std::ostream* os) { *os << result.Report(); }

control::WorldOptions SweepOptions::DefaultWorldOptions() {
  return control::WorldOptions{Options().executor, Options().seed, false};
}

namespace {

// A run's misuse, deadlocks and warnings are failures of that run.
class RunSink : public DiagnosticSink {
 public:
  void OnDiagnostic(const Diagnostic& report) override {
    std::lock_guard lock(mutex_);
    reports_.push_back(report.ToString());
  }
  std::vector<std::string> reports() const {
    std::lock_guard lock(mutex_);
    return reports_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> reports_;
};

SweepOutcome RunOnce(const MessageSelector& selector, const SweepAction& action,
                     const SweepScenario& scenario, const SweepOptions& options, int k) {
  SweepOutcome outcome;
  outcome.fault_at = k;
  ::testing::TestPartResultArray results;
  {
    // Caught for the run: the calling test decides which runs must pass.
    ::testing::ScopedFakeTestPartResultReporter intercept(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS, &results);
    RunSink sink;
    ScopedDiagnosticSink sink_installation(&sink);
    control::World world(options.world);
    Faults faults(world);
    faults.On(selector).Nth(k).Times(1);
    FaultHandle rule = action.AddTo(faults);
    std::vector<std::string> unfinished;
    {
      SweepRun run(world, k);
      scenario(run);
      unfinished = run.Finish();
    }
    outcome.applied = rule.Applied() > 0;
    for (const std::string& report : sink.reports()) outcome.failures.push_back(report);
    for (const std::string& line : unfinished) {
      outcome.failures.push_back("unfinished at the end of the run: " + line);
    }
    outcome.trace_tail = world.TraceTail(options.trace_lines);
  }
  std::vector<std::string> failures;
  for (int i = 0; i < results.size(); ++i) {
    const ::testing::TestPartResult& part = results.GetTestPartResult(i);
    if (!part.failed()) continue;
    std::string where = part.file_name() != nullptr ? std::string(part.file_name()) + ":" +
                                                          std::to_string(part.line_number()) + ": "
                                                    : "";
    failures.push_back(where + part.message());
  }
  // The scenario's own checks first, then what the world reported.
  outcome.failures.insert(outcome.failures.begin(), failures.begin(), failures.end());
  outcome.passed = outcome.failures.empty();
  if (outcome.passed) outcome.trace_tail.clear();
  return outcome;
}

}  // namespace

SweepResult SweepFaults(const MessageSelector& selector, const SweepAction& action,
                        const SweepScenario& scenario, const SweepOptions& options) {
  SweepResult result;
  result.description = action.name() + " at " +
                       (selector.fault().description.empty() ? std::string("every selected message")
                                                             : selector.fault().description);
  for (int k = 1; k <= options.max_runs; ++k) {
    result.runs.push_back(RunOnce(selector, action, scenario, options, k));
    if (!result.runs.back().applied) {
      // SQLite's stopping rule: this run never reached a kth message.
      result.messages = k - 1;
      result.complete = true;
      break;
    }
  }
  return result;
}

}  // namespace xpctest
