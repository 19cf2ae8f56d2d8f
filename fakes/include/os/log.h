// os/log.h — unified logging (drop-in for Apple's <os/log.h>).
//
// A daemon logs as on macOS; each message becomes a "log" entry in the
// world's trace, with the process that wrote it, so a failing test prints
// what the service said next to what it was sent:
//
//   static os_log_t log;
//   log = os_log_create("com.example.calc", "server");
//   os_log_error(log, "refused %{public}s (pid %d): %{private}s", name, pid, why);
//   // trace: +1.000ms [pid 1001 com.example.calc] log: error [com.example.calc:server]:
//   //        refused app (pid 1002): not entitled
//
// Formats are printf's, as os_log's are: the string must be a literal, and
// clang checks the arguments. Privacy and value decorations between braces
// after '%' are understood: {public}, {private} and {sensitive} change
// nothing here (a test shows private values, as macOS does for a process
// under a debugger); {bool} prints true/false, {BOOL} YES/NO, {errno} and
// {darwin.errno} the errno's name and text ("[2: No such file or directory]");
// other decorations are dropped and the value printed plainly.
//
// Every type is enabled, debug included (as with `log config --mode
// level:debug`): os_log_type_enabled() is true except for OS_LOG_DISABLED.
// With OS_ACTIVITY_DT_MODE set in the environment (as Xcode sets it), each
// message is also written to stderr.
//
// Thread safety: every call may be made from any thread. A log object made
// by os_log_create lives until the program exits.
#ifndef XPCTEST_OS_LOG_H
#define XPCTEST_OS_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include <xpctest/link_name.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct os_log_s* os_log_t;

typedef uint8_t os_log_type_t;
enum {
  OS_LOG_TYPE_DEFAULT = 0x00,
  OS_LOG_TYPE_INFO = 0x01,
  OS_LOG_TYPE_DEBUG = 0x02,
  OS_LOG_TYPE_ERROR = 0x10,
  OS_LOG_TYPE_FAULT = 0x11,
};

// The process's default log: no subsystem, no category.
extern struct os_log_s _os_log_default XPCTEST_LINK_NAME(_os_log_default);
#define OS_LOG_DEFAULT (&_os_log_default)
// A log that records nothing.
#define OS_LOG_DISABLED ((os_log_t)0)

// A log for `subsystem` ("com.example.calc") and `category` ("server"); the
// same pair gives the same object. Never released.
os_log_t os_log_create(const char* subsystem, const char* category)
    XPCTEST_LINK_NAME(os_log_create);

bool os_log_type_enabled(os_log_t log, os_log_type_t type) XPCTEST_LINK_NAME(os_log_type_enabled);

// What the os_log macros call; use the macros.
void xpctest_os_log_emit(os_log_t log, os_log_type_t type, const char* format, ...)
    __attribute__((format(os_log, 3, 4)));

#ifdef __cplusplus
}
#endif

// `format` must be a string literal, as on macOS.
#define os_log_with_type(log, type, format, ...) \
  xpctest_os_log_emit((log), (type), "" format "", ##__VA_ARGS__)
#define os_log(log, format, ...) os_log_with_type(log, OS_LOG_TYPE_DEFAULT, format, ##__VA_ARGS__)
#define os_log_info(log, format, ...) \
  os_log_with_type(log, OS_LOG_TYPE_INFO, format, ##__VA_ARGS__)
#define os_log_debug(log, format, ...) \
  os_log_with_type(log, OS_LOG_TYPE_DEBUG, format, ##__VA_ARGS__)
#define os_log_error(log, format, ...) \
  os_log_with_type(log, OS_LOG_TYPE_ERROR, format, ##__VA_ARGS__)
#define os_log_fault(log, format, ...) \
  os_log_with_type(log, OS_LOG_TYPE_FAULT, format, ##__VA_ARGS__)

// Deprecated on macOS since 10.13; still found in daemons.
#define os_log_info_enabled(log) os_log_type_enabled(log, OS_LOG_TYPE_INFO)
#define os_log_debug_enabled(log) os_log_type_enabled(log, OS_LOG_TYPE_DEBUG)

#endif  // XPCTEST_OS_LOG_H
