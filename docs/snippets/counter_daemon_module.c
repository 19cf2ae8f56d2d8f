// docs/processes-and-the-os.md: an unmodified launchd daemon, built as a
// service module. It warms up for argv[1] seconds, keeps a process-wide
// counter (made once with dispatch_once, as caches are), logs, and answers
// each request with its pid, the count and how long it has been up.
#include <dispatch/dispatch.h>
#include <os/log.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <xpc/xpc.h>

static uint64_t g_started;

static int64_t* requests_answered(void) {
  static dispatch_once_t once;
  static int64_t* count;
  dispatch_once(&once, ^{
    count = calloc(1, sizeof *count);
  });
  return count;
}

static void handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t request) {
    if (xpc_get_type(request) != XPC_TYPE_DICTIONARY) return;
    int64_t count = ++*requests_answered();
    os_log(OS_LOG_DEFAULT, "request %{public}lld from pid %d", (long long)count,
           xpc_connection_get_pid(peer));
    xpc_object_t reply = xpc_dictionary_create_reply(request);
    xpc_dictionary_set_int64(reply, "pid", getpid());
    xpc_dictionary_set_int64(reply, "count", count);
    xpc_dictionary_set_uint64(reply, "up_ns", clock_gettime_nsec_np(CLOCK_UPTIME_RAW) - g_started);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

int main(int argc, char** argv) {
  g_started = clock_gettime_nsec_np(CLOCK_UPTIME_RAW);
  sleep(argc > 1 ? (unsigned)atoi(argv[1]) : 0);  // warming up
  xpc_connection_t listener =
      xpc_connection_create_mach_service(argv[0], NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) handle_peer(peer);
  });
  xpc_connection_activate(listener);
  dispatch_main();
}
