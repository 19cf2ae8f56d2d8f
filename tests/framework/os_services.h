// Services written in C as macOS daemons are, that report what they see of
// the OS: their pid and credentials, their clocks, their client's audit
// token; and they log. Used by simulated_os_test.cc.
#ifndef XPCTEST_TESTS_FRAMEWORK_OS_SERVICES_H
#define XPCTEST_TESTS_FRAMEWORK_OS_SERVICES_H

#include <dispatch/dispatch.h>
#include <sys/types.h>
#include <xpc/xpc.h>

#ifdef __cplusplus
extern "C" {
#endif

// Replies to every message with what the service sees: "pid", "ppid", "uid",
// "euid", "gid", "egid"; "monotonic", "uptime_raw", "mach_absolute",
// "dispatch_now", "realtime" (nanoseconds), "time" (seconds), "timeofday"
// (microseconds); the client's audit token as "token_pid", "token_euid",
// "token_egid", "token_ruid", "token_rgid", "token_asid". Logs one error line
// and one default line per message (os_log).
void os_services_report_peer(xpc_connection_t peer);

// A daemon's main: sleeps argv[1] seconds (sleep(3)), notes what it saw, then
// serves argv[0] with os_services_report_peer and parks in dispatch_main().
int os_services_sleeper_main(int argc, char** argv);
// What the last sleeper main saw: its pid, what sleep() returned, and
// whether it ran on past its sleep at all.
pid_t os_services_sleeper_pid(void);
unsigned os_services_sleeper_left(void);
int os_services_sleeper_woke(void);
void os_services_reset(void);

// A daemon's main that waits on `gate` (set before the launch) before it
// serves argv[0], as a main that loads its configuration first.
extern dispatch_semaphore_t os_services_gate;
int os_services_gated_main(int argc, char** argv);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_TESTS_FRAMEWORK_OS_SERVICES_H
