// os/log_format.h — os_log's format strings, rendered as text.
//
// os_log formats are printf's plus decorations between braces after '%'
// ("%{public}s", "%{private}d", "%{bool}d", "%{errno}d"). FormatLogMessage
// renders one with its arguments: privacy decorations change nothing, value
// decorations print the value as macOS's log does, others are dropped
// (<os/log.h> lists them).
//
//   FormatLogMessage("open %{public}s: %{errno}d", args)   // "open /x: [2: No such file or directory]"
//
// Thread safety: pure; call from any thread.
#ifndef XPCTEST_FAKES_OS_LOG_FORMAT_H
#define XPCTEST_FAKES_OS_LOG_FORMAT_H

#include <cstdarg>
#include <string>

namespace xpctest::fakes::os {

// Consumes the arguments `format` names from `args`.
std::string FormatLogMessage(const char* format, va_list args);

}  // namespace xpctest::fakes::os

#endif  // XPCTEST_FAKES_OS_LOG_FORMAT_H
