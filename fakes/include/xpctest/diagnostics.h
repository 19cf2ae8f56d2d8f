// xpctest/diagnostics.h
//
// How the fakes report API misuse, warnings and deadlocks, and how tests catch
// those reports.
//
// libxpc aborts the process when it is certain of misuse ("XPC API Misuse: ..."),
// libdispatch does the same ("BUG IN CLIENT OF LIBDISPATCH: ..."). The fakes do
// the same by default, so a plain program behaves as on macOS. A test installs a
// sink instead; the report is then recorded and the faulty call returns a safe
// default (NULL, 0, or no effect), so the test can fail with a message rather
// than die.
//
//   xpctest::MisuseRecorder recorder;           // installed for its scope
//   xpc_release(obj); xpc_release(obj);         // over-release
//   EXPECT_THAT(recorder.Headlines(),
//               ElementsAre("XPC API Misuse: Over-release of object."));
//
// Thread safety: reports may come from any thread; sinks are called under a
// lock, one report at a time. Sinks nest: the innermost installed one wins.
#ifndef XPCTEST_DIAGNOSTICS_H
#define XPCTEST_DIAGNOSTICS_H

#include <mutex>
#include <string>
#include <vector>

namespace xpctest {

enum class DiagnosticKind {
  // What libxpc aborts on. Headline starts with "XPC API Misuse: ".
  kXpcMisuse,
  // What libdispatch aborts on. Headline starts with "BUG IN CLIENT OF LIBDISPATCH: ".
  kDispatchMisuse,
  // Mistakes the real libraries let slide (a request released unanswered, a
  // fresh dictionary sent where a reply was due, ...). Printed, never fatal,
  // unless a test's sink decides otherwise; without a sink, ten identical ones
  // are printed in full and the rest counted, with the total printed at the
  // end. A sink receives every one. Headline starts with "xpctest warning: ".
  kWarning,
  // A blocking wait that can never complete on the deterministic executor.
  // Headline starts with "deadlock: ".
  kDeadlock,
  // A chaos invariant of the transport broke (a message out of per-connection
  // order, ...): an xpctest bug, even under faults. Headline starts with
  // "xpctest invariant violated: ".
  kInvariant,
};

// One report. `call` names the API function the user called.
struct Diagnostic {
  DiagnosticKind kind;
  std::string call;
  std::string headline;
  // xpc_copy_description-style text of the object involved; may be empty.
  std::string object;
  // Extra lines: waits, queues, recent trace entries; may be empty.
  std::string details;

  // The full multi-line text printed for this report.
  std::string ToString() const;
};

// Receives every report while installed.
class DiagnosticSink {
 public:
  virtual ~DiagnosticSink() = default;
  virtual void OnDiagnostic(const Diagnostic& report) = 0;
};

// Installs `sink` for the lifetime of this object. Not copyable.
class ScopedDiagnosticSink {
 public:
  explicit ScopedDiagnosticSink(DiagnosticSink* sink);
  ~ScopedDiagnosticSink();
  ScopedDiagnosticSink(const ScopedDiagnosticSink&) = delete;
  ScopedDiagnosticSink& operator=(const ScopedDiagnosticSink&) = delete;

 private:
  DiagnosticSink* previous_;
};

// A sink that keeps every report; installs itself on construction.
class MisuseRecorder : public DiagnosticSink {
 public:
  MisuseRecorder();
  ~MisuseRecorder() override;

  void OnDiagnostic(const Diagnostic& report) override;
  std::vector<Diagnostic> Reports() const;
  std::vector<std::string> Headlines() const;
  void Clear();

 private:
  mutable std::mutex mutex_;
  std::vector<Diagnostic> reports_;
  ScopedDiagnosticSink installation_;
};

}  // namespace xpctest

#endif  // XPCTEST_DIAGNOSTICS_H
