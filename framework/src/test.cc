#include "xpctest/test.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>

#include "xpctest/trace_export.h"

namespace xpctest {

// Turns the fakes' reports into test failures, except what the test expects.
class Test::Sink : public DiagnosticSink {
 public:
  explicit Sink(control::World& world) : world_(world) {}

  // Reported at the line of the framework call in progress, if any
  // (call_site.h): a service's misuse during SendSync belongs to that line.
  void OnDiagnostic(const Diagnostic& report) override {
    std::lock_guard lock(mutex_);
    reports_.push_back(report);
    sites_.push_back(internal::ActiveCallSite());
    if (report.kind == DiagnosticKind::kWarning) return;  // judged at the end
    if (Expected(misuse_expected_, report)) return;
    internal::FailAt(sites_.back(),
                     "xpctest: " + report.ToString() + "\nRecent trace:\n" + world_.TraceTail(20));
  }

  void ExpectWarning(std::string text) {
    std::lock_guard lock(mutex_);
    warnings_expected_.push_back(std::move(text));
  }
  void ExpectMisuse(std::string text) {
    std::lock_guard lock(mutex_);
    misuse_expected_.push_back(std::move(text));
  }
  std::vector<Diagnostic> reports() const {
    std::lock_guard lock(mutex_);
    return reports_;
  }

  // Unexpected warnings fail, the first few in full and the rest as one
  // summary (a test that leaks 10,000 requests gets four failures, not
  // 10,000); expected ones must have come.
  void Judge() {
    static constexpr size_t kShownInFull = 3;
    std::lock_guard lock(mutex_);
    std::vector<bool> seen(warnings_expected_.size(), false);
    size_t unexpected = 0;
    std::map<std::string, size_t> more_by_headline;
    for (size_t r = 0; r < reports_.size(); ++r) {
      const Diagnostic& report = reports_[r];
      if (report.kind != DiagnosticKind::kWarning) continue;
      bool expected = false;
      for (size_t i = 0; i < warnings_expected_.size(); ++i) {
        if (report.headline.find(warnings_expected_[i]) != std::string::npos) {
          seen[i] = expected = true;
        }
      }
      if (expected) continue;
      if (++unexpected <= kShownInFull) {
        internal::FailAt(sites_[r], "xpctest: unexpected " + report.ToString() +
                                        "\n(use ExpectWarning(\"...\") if the test means it)");
      } else {
        ++more_by_headline[report.headline];
      }
    }
    if (unexpected > kShownInFull) {
      std::string summary = "xpctest: " + std::to_string(unexpected - kShownInFull) +
                            " more unexpected warnings:";
      for (const auto& [headline, count] : more_by_headline) {
        summary += "\n  " + std::to_string(count) + " x " + headline;
      }
      internal::FailAt({}, summary);
    }
    for (size_t i = 0; i < warnings_expected_.size(); ++i) {
      if (!seen[i]) {
        internal::FailAt({}, "xpctest: expected a warning containing \"" + warnings_expected_[i] +
                                 "\", none came");
      }
    }
  }

 private:
  static bool Expected(const std::vector<std::string>& texts, const Diagnostic& report) {
    for (const std::string& text : texts) {
      if (report.headline.find(text) != std::string::npos) return true;
    }
    return false;
  }

  control::World& world_;
  mutable std::mutex mutex_;
  std::vector<Diagnostic> reports_;
  std::vector<CallSite> sites_;  // where each report was made (parallel to reports_)
  std::vector<std::string> warnings_expected_;
  std::vector<std::string> misuse_expected_;
};

namespace {

// The faults a run exercised, by kind: "crash", "drop", "delay", "hang", ...
std::map<std::string, int> FaultsExercised(const std::vector<TraceEntry>& trace) {
  static const char* const kProcessFaults[] = {"crashed", "hung", "unloaded",
                                               "termination imminent", "terminated while idle"};
  static const char* const kMessageFaults[] = {"crash", "drop", "delay", "hold", "mutate",
                                               "cancel", "fail the code-signing check", "refuse"};
  std::map<std::string, int> kinds;
  for (const TraceEntry& entry : trace) {
    if (entry.kind == TraceKind::kProcess) {
      for (const char* fault : kProcessFaults) {
        if (entry.text.starts_with(fault)) ++kinds[fault];
      }
    } else if (entry.kind == TraceKind::kFault) {
      for (const char* fault : kMessageFaults) {
        if (entry.text.starts_with(fault)) {
          ++kinds[std::string(fault) + " (rule)"];
          break;
        }
      }
    }
  }
  return kinds;
}

// XPCTEST_FAULT_LOG=FILE: one line per test, "Suite.Test kind=count ...",
// for scripts/run-examples' summary.
void LogFaultsExercised(const std::string& test, control::World& world) {
  const char* path = std::getenv("XPCTEST_FAULT_LOG");
  if (path == nullptr || *path == '\0') return;
  std::vector<TraceEntry> trace = world.Trace();
  std::ofstream out(path, std::ios::app);
  out << test;
  for (const auto& [kind, count] : FaultsExercised(trace)) out << '\t' << kind << '=' << count;
  out << '\n';
}

// The command that runs `test` again as it ran: same executor, same seed
// (on the deterministic executor, the same interleaving, byte for byte).
std::string ReplayCommand(const control::WorldOptions& options, const std::string& test) {
  std::string program = Options().program.empty() ? "<test program>" : Options().program;
  return std::string("XPCTEST_EXECUTOR=") + control::ExecutorKindName(options.executor) +
         " XPCTEST_SEED=" + std::to_string(options.seed) + " " + program +
         " --gtest_filter=" + test;
}

}  // namespace

Test::Test()
    : world_(std::make_unique<control::World>(
          control::WorldOptions{Options().executor, Options().seed, false})),
      sink_(std::make_unique<Sink>(*world_)),
      sink_installation_(std::make_unique<ScopedDiagnosticSink>(sink_.get())),
      live_objects_at_start_(control::World::LiveObjects()),
      abandonments_at_start_(control::World::MemoryAbandonments()) {}

Test::~Test() {
  // Ending the world releases what is left; its reports are no longer judged.
  sink_installation_.reset();
  world_.reset();
  bool exact = control::World::MemoryAbandonments() == abandonments_at_start_;
  // Every object made during the test is released by now, unless a process
  // kept it when its memory was abandoned (a crash, a parked service main).
  int64_t leaked = control::World::LiveObjects() - live_objects_at_start_;
  if (exact && leaked > 0) {
    internal::FailAt({}, "xpctest: " + std::to_string(leaked) +
                             " XPC object(s) made during the test were never released (a missing "
                             "xpc_release?); under the asan preset LeakSanitizer shows where each "
                             "was made");
  }
}

void Test::TearDown() {
  // Let cancellations made by Client/Service destructors finish.
  world_->RunUntilIdle();
  for (const std::string& line : world_->Unfinished()) {
    // At the line that made the client, when a live Client owns it.
    std::string label;
    CallSite made_at;
    if (internal::FindClientNamedIn(line, &label, &made_at)) {
      internal::FailAt(made_at, "xpctest: unfinished at the end of the test: " + line + " (" +
                                    label + ", made here)");
    } else {
      internal::FailAt({}, "xpctest: unfinished at the end of the test: " + line);
    }
  }
  sink_->Judge();
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  LogFaultsExercised(name, *world_);
  if (!Options().trace_file.empty()) {
    std::ofstream out(Options().trace_file, std::ios::app);
    out << "== " << name << "\n";
    for (const TraceEntry& entry : world_->Trace()) out << FormatTraceEntry(entry) << "\n";
    out << MermaidSequenceDiagram(world_->Trace()) << "\n";
  }
  if (HasFailure()) {
    const control::WorldOptions& options = world_->options();
    std::string replay = ReplayCommand(options, name);
    std::string tail = world_->TraceTail(30);
    std::cout << "xpctest: " << name << " ran on the " << control::ExecutorKindName(options.executor)
              << " executor with seed " << options.seed << "; replay with " << replay
              << "\nxpctest: last trace entries:\n"
              << tail;
    // For --gtest_output=xml/json: CI reporters keep properties with the result.
    RecordProperty("xpctest_executor", control::ExecutorKindName(options.executor));
    RecordProperty("xpctest_seed", std::to_string(options.seed));
    RecordProperty("xpctest_replay", replay);
    RecordProperty("xpctest_trace", tail);
  }
}

Service Test::Serve(std::string name, PeerHandler on_peer, ServiceOptions options,
                    CallSite site) {
  internal::ScopedCallSite during(site);
  return Service(*world_, std::move(name), std::move(on_peer), std::move(options));
}

namespace {

// A connection the test labelled, named so in the trace; else the default
// label, for reports only.
std::string LabelOrDefault(xpc_connection_t connection, std::string label, std::string fallback) {
  if (label.empty()) return fallback;
  control::LabelConnection(connection, label);
  return label;
}

}  // namespace

Client Test::Connect(const Service& service, std::string label, CallSite site) {
  internal::ScopedCallSite during(site);
  Object endpoint = service.endpoint();
  xpc_connection_t connection =
      xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(endpoint.get()));
  label = LabelOrDefault(connection, std::move(label), "client of " + service.name());
  return Client(*world_, connection, std::move(label), site);
}

Client Test::ConnectTo(const std::string& mach_service, std::string label, CallSite site) {
  internal::ScopedCallSite during(site);
  xpc_connection_t connection = xpc_connection_create_mach_service(mach_service.c_str(), nullptr, 0);
  label = LabelOrDefault(connection, std::move(label), "client of " + mach_service);
  return Client(*world_, connection, std::move(label), site);
}

Client Test::ConnectToXpcService(const std::string& name, std::string label, CallSite site) {
  internal::ScopedCallSite during(site);
  xpc_connection_t connection = xpc_connection_create(name.c_str(), nullptr);
  label = LabelOrDefault(connection, std::move(label), "client of " + name);
  return Client(*world_, connection, std::move(label), site);
}

// Inactive sessions look their name up when the Client activates them; a
// name nobody serves then ends the session, and its cancel handler records
// why (S117, S119), so creation itself cannot fail here.
Client Test::ConnectSession(const std::string& mach_service, std::string label, CallSite site) {
  internal::ScopedCallSite during(site);
  return Client(*world_,
                xpc_session_create_mach_service(mach_service.c_str(), nullptr,
                                                XPC_SESSION_CREATE_INACTIVE, nullptr),
                label.empty() ? "session client of " + mach_service : std::move(label), site);
}

Client Test::ConnectSessionToXpcService(const std::string& name, std::string label,
                                        CallSite site) {
  internal::ScopedCallSite during(site);
  return Client(*world_,
                xpc_session_create_xpc_service(name.c_str(), nullptr,
                                               XPC_SESSION_CREATE_INACTIVE, nullptr),
                label.empty() ? "session client of " + name : std::move(label), site);
}

Client Test::ConnectFrom(const control::Process& process, const Service& service,
                         std::string label, CallSite site) {
  internal::ScopedCallSite during(site);
  control::ScopedProcess as(process);
  Object endpoint = service.endpoint();
  xpc_connection_t connection =
      xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(endpoint.get()));
  label = LabelOrDefault(connection, std::move(label),
                         process.name() + " client of " + service.name());
  return Client(*world_, connection, std::move(label), site);
}

Client Test::ConnectFrom(const control::Process& process, const std::string& mach_service,
                         std::string label, CallSite site) {
  internal::ScopedCallSite during(site);
  control::ScopedProcess as(process);
  xpc_connection_t connection = xpc_connection_create_mach_service(mach_service.c_str(), nullptr, 0);
  label = LabelOrDefault(connection, std::move(label),
                         process.name() + " client of " + mach_service);
  return Client(*world_, connection, std::move(label), site);
}

void Test::ExpectWarning(std::string text) { sink_->ExpectWarning(std::move(text)); }
void Test::ExpectMisuse(std::string text) { sink_->ExpectMisuse(std::move(text)); }
std::vector<Diagnostic> Test::Diagnostics() const { return sink_->reports(); }

}  // namespace xpctest
