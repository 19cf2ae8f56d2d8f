#include "base/report.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <utility>

namespace xpctest {
namespace {

// Guards the installed sink and serializes reports.
std::recursive_mutex& SinkMutex() {
  static std::recursive_mutex mutex;
  return mutex;
}
DiagnosticSink* g_sink = nullptr;

// Static storage: xpc_debugger_api_misuse_info() returns a pointer into it.
char g_last_misuse[512];

bool IsFatalByDefault(DiagnosticKind kind) { return kind != DiagnosticKind::kWarning; }

// Warnings printed to stderr (no sink installed) by call and headline: the
// first kPrintedWarnings of each are printed in full, the rest only counted,
// and the total is printed when the printing ends (a sink is installed or
// removed, or the program exits). A sink receives every report. Guarded by
// SinkMutex().
class PrintedWarnings {
 public:
  // Whether `report` is printed in full; the first one held back prints a
  // line saying the rest are counted.
  bool Admit(const Diagnostic& report) {
    int count = ++counts_[{report.call, report.headline}];
    if (count <= fakes::kPrintedWarnings) return true;
    if (count == fakes::kPrintedWarnings + 1) {
      std::fprintf(stderr, "%s (printed %d times; further ones are counted, not printed)\n",
                   report.headline.c_str(), fakes::kPrintedWarnings);
      std::fflush(stderr);
    }
    return false;
  }

  // Prints the total of every warning that was held back, then forgets all.
  void Flush() {
    for (const auto& [key, count] : counts_) {
      if (count <= fakes::kPrintedWarnings) continue;
      std::fprintf(stderr, "%s: %d times in all, %d not printed\n", key.second.c_str(), count,
                   count - fakes::kPrintedWarnings);
    }
    std::fflush(stderr);
    counts_.clear();
  }

 private:
  std::map<std::pair<std::string, std::string>, int> counts_;
};

PrintedWarnings& ThePrintedWarnings() {
  // Never destroyed; its totals are printed at exit.
  static PrintedWarnings* printed = [] {
    auto* warnings = new PrintedWarnings;
    std::atexit([] {
      std::lock_guard lock(SinkMutex());
      ThePrintedWarnings().Flush();
    });
    return warnings;
  }();
  return *printed;
}

void Deliver(Diagnostic report) {
  std::lock_guard lock(SinkMutex());
  if (report.kind != DiagnosticKind::kWarning) {
    std::snprintf(g_last_misuse, sizeof g_last_misuse, "%s", report.headline.c_str());
  }
  if (g_sink != nullptr) {
    g_sink->OnDiagnostic(report);
    return;
  }
  if (report.kind == DiagnosticKind::kWarning && !ThePrintedWarnings().Admit(report)) return;
  std::string text = report.ToString();
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
  if (IsFatalByDefault(report.kind)) std::abort();
}

std::string_view Prefix(DiagnosticKind kind) {
  switch (kind) {
    case DiagnosticKind::kXpcMisuse: return "XPC API Misuse: ";
    case DiagnosticKind::kDispatchMisuse: return "BUG IN CLIENT OF LIBDISPATCH: ";
    case DiagnosticKind::kWarning: return "xpctest warning: ";
    case DiagnosticKind::kDeadlock: return "deadlock: ";
    case DiagnosticKind::kInvariant: return "xpctest invariant violated: ";
  }
  return "";
}

void Report(DiagnosticKind kind, std::string_view call, std::string_view what,
            std::string object, std::string details) {
  Deliver(Diagnostic{kind, std::string(call), fmt::format("{}{}", Prefix(kind), what),
                     std::move(object), std::move(details)});
}

}  // namespace

std::string Diagnostic::ToString() const {
  std::string text = headline;
  if (!call.empty()) text += fmt::format("\n  in call: {}", call);
  if (!object.empty()) text += fmt::format("\n  object: {}", object);
  if (!details.empty()) text += fmt::format("\n{}", details);
  return text;
}

ScopedDiagnosticSink::ScopedDiagnosticSink(DiagnosticSink* sink) {
  std::lock_guard lock(SinkMutex());
  ThePrintedWarnings().Flush();
  previous_ = g_sink;
  g_sink = sink;
}

ScopedDiagnosticSink::~ScopedDiagnosticSink() {
  std::lock_guard lock(SinkMutex());
  ThePrintedWarnings().Flush();
  g_sink = previous_;
}

MisuseRecorder::MisuseRecorder() : installation_(this) {}
MisuseRecorder::~MisuseRecorder() = default;

void MisuseRecorder::OnDiagnostic(const Diagnostic& report) {
  std::lock_guard lock(mutex_);
  reports_.push_back(report);
}

std::vector<Diagnostic> MisuseRecorder::Reports() const {
  std::lock_guard lock(mutex_);
  return reports_;
}

std::vector<std::string> MisuseRecorder::Headlines() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> headlines;
  for (const Diagnostic& report : reports_) headlines.push_back(report.headline);
  return headlines;
}

void MisuseRecorder::Clear() {
  std::lock_guard lock(mutex_);
  reports_.clear();
}

namespace fakes {

void ReportXpcMisuse(std::string_view call, std::string_view what, std::string object,
                     std::string details) {
  Report(DiagnosticKind::kXpcMisuse, call, what, std::move(object), std::move(details));
}

void ReportDispatchMisuse(std::string_view call, std::string_view what, std::string object,
                          std::string details) {
  Report(DiagnosticKind::kDispatchMisuse, call, what, std::move(object), std::move(details));
}

void ReportWarning(std::string_view call, std::string_view what, std::string object,
                   std::string details) {
  Report(DiagnosticKind::kWarning, call, what, std::move(object), std::move(details));
}

void ReportDeadlock(std::string_view call, std::string_view what, std::string details) {
  Report(DiagnosticKind::kDeadlock, call, what, {}, std::move(details));
}

void ReportInvariantViolation(std::string_view call, std::string_view what, std::string object) {
  Report(DiagnosticKind::kInvariant, call, what, std::move(object), {});
}

void InternalError(std::string_view what) {
  std::fprintf(stderr, "xpctest internal error: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::fflush(stderr);
  std::abort();
}

const char* LastMisuseHeadline() {
  std::lock_guard lock(SinkMutex());
  return g_last_misuse[0] != '\0' ? g_last_misuse : nullptr;
}

std::string FormatAddress(const void* pointer) { return fmt::format("{}", pointer); }

}  // namespace fakes
}  // namespace xpctest
