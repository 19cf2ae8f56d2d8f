// fuzz/fuzz_session.h — the input being run, and what happens to findings.
//
// A FuzzSession lives while a FuzzTarget runs one input. It is the one place
// findings go: the fakes' reports (through the diagnostic sink it installs),
// the target's own checks (ReportFuzzFinding) and the crash hooks of the
// libFuzzer entry (PrintRunningFuzzInput). The first finding is kept; with
// OnFinding::kAbort it is printed with the input and the process aborts, so
// libFuzzer saves the input as a crash.
//
//   FuzzSession session(input, FuzzTarget::OnFinding::kReturn, options, "...");
//   session.SetWorld(&world);      // findings then carry its recent trace
//   ... run the input ...
//   session.StopJudging();         // the world's teardown is not the input's doing
//   return session.finding();
//
// Threading: one session at a time, on the thread that runs inputs (the
// deterministic executor runs everything there).
#ifndef XPCTEST_FRAMEWORK_FUZZ_FUZZ_SESSION_H
#define XPCTEST_FRAMEWORK_FUZZ_FUZZ_SESSION_H

#include <xpctest/diagnostics.h>

#include <optional>
#include <string>

#include "xpctest/fuzz.h"

namespace xpctest::internal {

class FuzzSession : private DiagnosticSink {
 public:
  // `setup` is the C++ that stands the target up in a test, lines ending in
  // '\n', printed above the input (may be empty).
  FuzzSession(const FuzzInput& input, FuzzTarget::OnFinding on_finding, const FuzzOptions& options,
              std::string setup);
  ~FuzzSession() override;
  FuzzSession(const FuzzSession&) = delete;
  FuzzSession& operator=(const FuzzSession&) = delete;

  // The session running now, or null.
  static FuzzSession* Current();

  void SetWorld(control::World* world) { world_ = world; }
  // Reports that come after this are ignored.
  void StopJudging() { judging_ = false; }

  void Report(const std::string& headline, const std::string& details);
  const std::optional<FuzzFinding>& finding() const { return finding_; }

  // The input and how to stand the target up, as printed with a finding.
  std::string InputText() const;

 private:
  void OnDiagnostic(const Diagnostic& report) override;

  const FuzzInput& input_;
  FuzzTarget::OnFinding on_finding_;
  const FuzzOptions& options_;
  std::string setup_;
  control::World* world_ = nullptr;
  bool judging_ = true;
  std::optional<FuzzFinding> finding_;
  FuzzSession* previous_;
  ScopedDiagnosticSink installation_;
};

// Writes the running session's input to stderr (for the crash hooks); does
// nothing when no input is running.
void PrintRunningFuzzInput();

}  // namespace xpctest::internal

#endif  // XPCTEST_FRAMEWORK_FUZZ_FUZZ_SESSION_H
