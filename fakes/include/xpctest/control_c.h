/* xpctest/control_c.h — the control interface from C.
 *
 * For C-only test suites (cmocka, Unity, plain asserts): make a simulated
 * world, run services in it, crash, hang and resume their processes, add
 * message faults, drive the clock and read the trace. The same world that
 * <xpctest/control.h> gives C++ tests; the XPC code under test is unchanged.
 *
 *   xpctest_world_t world = xpctest_world_create(XPCTEST_EXECUTOR_DETERMINISTIC, 0);
 *   xpctest_world_register_service(world, "com.example.calc", calc_main);
 *   xpc_connection_t c = xpc_connection_create_mach_service("com.example.calc", NULL, 0);
 *   ... set its handler, activate it, send: calc_main runs on demand ...
 *   xpctest_process_crash(world, xpctest_world_service_pid(world, "com.example.calc"));
 *   xpctest_world_run_until_idle(world);   // the handler got XPC_ERROR_CONNECTION_INTERRUPTED
 *   ... cancel and release c ...
 *   xpctest_world_destroy(world);
 *
 * Lifetime and threads: a world installs itself as the current one until it
 * is destroyed (worlds nest; destroy them in reverse order). Call the run
 * functions from the thread that made the world, never from a handler.
 * Process ids are those of the world's simulated processes.
 *
 * Bad arguments (a NULL world, an unknown pid or service) are reported as an
 * "xpctest warning: " line naming the call, and the call returns false, 0 or
 * -1; they never crash.
 */
#ifndef XPCTEST_CONTROL_C_H
#define XPCTEST_CONTROL_C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xpctest_world_s* xpctest_world_t;

typedef enum {
  /* One thread, virtual time, a seeded order: the same seed replays the same run. */
  XPCTEST_EXECUTOR_DETERMINISTIC = 0,
  /* A worker pool on real time, like GCD's. */
  XPCTEST_EXECUTOR_THREADED = 1,
} xpctest_executor_t;

/* A new world, installed as the current one. Seed 0 runs work in FIFO order;
 * any other seed picks among runnable queues with a PRNG seeded with it. */
xpctest_world_t xpctest_world_create(xpctest_executor_t executor, uint64_t seed);
/* Ends every process of the world and uninstalls it. */
void xpctest_world_destroy(xpctest_world_t world);

/* --- processes --- */

/* The process the test itself runs in (the real pid, P9). */
pid_t xpctest_world_host(xpctest_world_t world);
/* A new simulated process named `name`; its pid. */
pid_t xpctest_process_spawn(xpctest_world_t world, const char* name);
/* Ends the process as a crash: its pending work never runs, and its peers get
 * the errors libxpc gives (a named client: XPC_ERROR_CONNECTION_INTERRUPTED). */
bool xpctest_process_crash(xpctest_world_t world, pid_t pid);
/* Ends the process as a clean exit (peers see the same errors). */
bool xpctest_process_exit(xpctest_world_t world, pid_t pid);
/* Stops running the process's work until resumed; its peers see nothing. */
bool xpctest_process_hang(xpctest_world_t world, pid_t pid);
bool xpctest_process_resume(xpctest_world_t world, pid_t pid);
/* "running", "hung", "crashed" or "exited"; NULL for an unknown pid. */
const char* xpctest_process_state(xpctest_world_t world, pid_t pid);
/* Runs the code that follows, on this thread, as code of `pid`: queues and
 * connections created meanwhile belong to it, until the matching leave.
 * Nests. */
bool xpctest_process_enter(xpctest_world_t world, pid_t pid);
void xpctest_process_leave(xpctest_world_t world);

/* --- services --- */

/* An unmodified service: `service_main(argc, argv)` runs in a new process
 * when a client first looks `name` up (and again after it crashed), until it
 * parks in dispatch_main() or xpc_main(). */
void xpctest_world_register_service(xpctest_world_t world, const char* name,
                                    int (*service_main)(int argc, char** argv));
/* Starts a registered service now, without waiting for a client. */
bool xpctest_world_launch_service(xpctest_world_t world, const char* name);
/* The pid of the service's latest launch; 0 before the first. */
pid_t xpctest_world_service_pid(xpctest_world_t world, const char* name);

/* --- message faults --- */

typedef enum {
  XPCTEST_FAULT_ANY_MESSAGE = 0,
  XPCTEST_FAULT_REQUESTS = 1, /* client -> service */
  XPCTEST_FAULT_EVENTS = 2,   /* service -> client, not replies */
  XPCTEST_FAULT_REPLIES = 3,
} xpctest_fault_direction_t;

typedef enum {
  XPCTEST_FAULT_DROP = 0,           /* lost: a dropped request's reply keeps waiting */
  XPCTEST_FAULT_DELAY = 1,          /* delivered delay_ns later; order kept */
  XPCTEST_FAULT_CRASH_RECEIVER = 2, /* its receiver crashes at it; not delivered */
  XPCTEST_FAULT_CRASH_SENDER = 3,   /* its sender crashes at it; not delivered */
} xpctest_fault_action_t;

/* A rule; zero-initialise it and set what matters:
 *   xpctest_fault_t fault = {.direction = XPCTEST_FAULT_REQUESTS,
 *                            .service = "com.example.calc", .nth = 2,
 *                            .action = XPCTEST_FAULT_CRASH_RECEIVER}; */
typedef struct {
  xpctest_fault_direction_t direction;
  const char* service; /* the listener's Mach-service name; NULL: any service */
  int nth;             /* only the nth selected message (1-based); 0: every one */
  int times;           /* at most this many applications; 0: no limit */
  xpctest_fault_action_t action;
  uint64_t delay_ns; /* XPCTEST_FAULT_DELAY */
} xpctest_fault_t;

/* Adds the rule; its id, or -1. Every applied fault is a trace entry. */
int xpctest_world_add_fault(xpctest_world_t world, const xpctest_fault_t* fault);
void xpctest_world_remove_fault(xpctest_world_t world, int id);
/* How many messages rule `id` faulted so far. */
int xpctest_world_faults_applied(xpctest_world_t world, int id);

/* --- time --- */

/* Deterministic: runs everything runnable, jumping virtual time through
 * timers, until nothing is left. Threaded: waits until all queues are idle. */
void xpctest_world_run_until_idle(xpctest_world_t world);
/* Deterministic: runs until the clock has advanced by `nanoseconds`. */
void xpctest_world_run_for(xpctest_world_t world, uint64_t nanoseconds);
/* The world's clock, in nanoseconds since it started (virtual when deterministic). */
uint64_t xpctest_world_now(xpctest_world_t world);

/* --- the trace --- */

/* The last `count` trace entries, one line each ("  +0.000ms [pid 1001 calc]
 * process: crashed\n"); malloc'd, free() it. */
char* xpctest_world_copy_trace_tail(xpctest_world_t world, size_t count);

#ifdef __cplusplus
}
#endif

#endif /* XPCTEST_CONTROL_C_H */
