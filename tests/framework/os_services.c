// See os_services.h. Plain C with the headers a daemon includes.
#include "framework/os_services.h"

#include <bsm/libbsm.h>
#include <errno.h>
#include <mach/mach_time.h>
#include <os/log.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

// S103: declared by hand, as real daemons do, with no <xpc/private.h>.
void xpc_connection_get_audit_token(xpc_connection_t connection, audit_token_t* token);

static atomic_int g_sleeper_pid;
static atomic_uint g_sleeper_left;
static atomic_int g_sleeper_woke;
dispatch_semaphore_t os_services_gate;

pid_t os_services_sleeper_pid(void) { return atomic_load(&g_sleeper_pid); }
unsigned os_services_sleeper_left(void) { return atomic_load(&g_sleeper_left); }
int os_services_sleeper_woke(void) { return atomic_load(&g_sleeper_woke); }
void os_services_reset(void) {
  atomic_store(&g_sleeper_pid, 0);
  atomic_store(&g_sleeper_left, 0);
  atomic_store(&g_sleeper_woke, 0);
}

static int64_t nanos(clockid_t clock) {
  struct timespec now;
  clock_gettime(clock, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void report(xpc_connection_t peer, xpc_object_t message) {
  xpc_object_t reply = xpc_dictionary_create_reply(message);
  xpc_dictionary_set_int64(reply, "pid", getpid());
  xpc_dictionary_set_int64(reply, "ppid", getppid());
  xpc_dictionary_set_int64(reply, "uid", getuid());
  xpc_dictionary_set_int64(reply, "euid", geteuid());
  xpc_dictionary_set_int64(reply, "gid", getgid());
  xpc_dictionary_set_int64(reply, "egid", getegid());
  xpc_dictionary_set_int64(reply, "monotonic", nanos(CLOCK_MONOTONIC));
  xpc_dictionary_set_int64(reply, "uptime_raw", (int64_t)clock_gettime_nsec_np(CLOCK_UPTIME_RAW));
  xpc_dictionary_set_int64(reply, "mach_absolute", (int64_t)mach_absolute_time());
  xpc_dictionary_set_int64(reply, "dispatch_now", (int64_t)dispatch_time(DISPATCH_TIME_NOW, 0));
  xpc_dictionary_set_int64(reply, "realtime", nanos(CLOCK_REALTIME));
  xpc_dictionary_set_int64(reply, "time", time(NULL));
  struct timeval tod;
  gettimeofday(&tod, NULL);
  xpc_dictionary_set_int64(reply, "timeofday", (int64_t)tod.tv_sec * 1000000 + tod.tv_usec);

  audit_token_t token;
  xpc_connection_get_audit_token(peer, &token);
  xpc_dictionary_set_int64(reply, "token_pid", audit_token_to_pid(token));
  xpc_dictionary_set_int64(reply, "token_euid", audit_token_to_euid(token));
  xpc_dictionary_set_int64(reply, "token_egid", audit_token_to_egid(token));
  xpc_dictionary_set_int64(reply, "token_ruid", audit_token_to_ruid(token));
  xpc_dictionary_set_int64(reply, "token_rgid", audit_token_to_rgid(token));
  xpc_dictionary_set_int64(reply, "token_asid", audit_token_to_asid(token));

  static os_log_t log;
  if (log == NULL) log = os_log_create("com.example.os", "report");
  os_log_error(log, "report for pid %{public}d: ok=%{bool}d why=%{errno}d secret=%{private}s",
               audit_token_to_pid(token), 1, ENOENT, "42");
  os_log(OS_LOG_DEFAULT, "%s line", "default");

  xpc_connection_send_message(peer, reply);
  xpc_release(reply);
}

void os_services_report_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) == XPC_TYPE_DICTIONARY) report(peer, message);
  });
  xpc_connection_activate(peer);
}

static void serve(const char* name) {
  xpc_connection_t listener =
      xpc_connection_create_mach_service(name, NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) os_services_report_peer(peer);
  });
  xpc_connection_activate(listener);
}

int os_services_sleeper_main(int argc, char** argv) {
  unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
  unsigned left = sleep(seconds);
  atomic_store(&g_sleeper_pid, getpid());
  atomic_store(&g_sleeper_left, left);
  atomic_store(&g_sleeper_woke, 1);
  serve(argv[0]);
  dispatch_main();
}

int os_services_gated_main(int argc, char** argv) {
  dispatch_semaphore_wait(os_services_gate, DISPATCH_TIME_FOREVER);
  serve(argv[0]);
  dispatch_main();
}
