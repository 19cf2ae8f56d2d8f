// base/report.h — the one path by which the fakes report misuse.
//
// Every call site must continue safely after a report: with a sink installed
// (tests), the report returns. Typical shape:
//
//   if (index >= size) {
//     ReportXpcMisuse("xpc_array_get_value", "Index out of bounds.", Describe(array));
//     return nullptr;
//   }
#ifndef XPCTEST_FAKES_BASE_REPORT_H
#define XPCTEST_FAKES_BASE_REPORT_H

#include <string>
#include <string_view>

#include "xpctest/diagnostics.h"

namespace xpctest::fakes {

// Error tier, libxpc's words: headline "XPC API Misuse: <what>". Aborts without a sink.
void ReportXpcMisuse(std::string_view call, std::string_view what, std::string object = {},
                     std::string details = {});

// Error tier, libdispatch's words: "BUG IN CLIENT OF LIBDISPATCH: <what>". Aborts without a sink.
void ReportDispatchMisuse(std::string_view call, std::string_view what, std::string object = {},
                          std::string details = {});

// Identical warnings (same call and headline) printed to stderr in full
// before the rest are only counted; their total is printed when the printing
// ends (a sink comes or goes, or the program exits). Sinks get every one.
inline constexpr int kPrintedWarnings = 10;

// Warning tier: "xpctest warning: <what>". Printed to stderr without a sink
// (summarised after kPrintedWarnings identical ones).
void ReportWarning(std::string_view call, std::string_view what, std::string object = {},
                   std::string details = {});

// "deadlock: <what>". Aborts without a sink (continuing would hang).
void ReportDeadlock(std::string_view call, std::string_view what, std::string details);

// A chaos invariant (docs/fault-injection.md) broke: fails the test with the
// trace; aborts without a sink.
void ReportInvariantViolation(std::string_view call, std::string_view what, std::string object);

// Our own broken invariant, never the client's fault: prints
// "xpctest internal error: <what>" and aborts, sink or not.
[[noreturn]] void InternalError(std::string_view what);

// The headline of the last abort-tier report, for xpc_debugger_api_misuse_info().
const char* LastMisuseHeadline();

// The pointer as libxpc prints it ("0x7fa7204059d0").
std::string FormatAddress(const void* pointer);

}  // namespace xpctest::fakes

// Our assertion: the condition is an invariant of xpctest itself.
#define XPCTEST_ASSERT(condition, what)                  \
  do {                                                   \
    if (!(condition)) ::xpctest::fakes::InternalError(what); \
  } while (0)

#endif  // XPCTEST_FAKES_BASE_REPORT_H
