/* docs/c-control-api.md: a fault test in plain C. The service is an
 * unmodified daemon main; the test crashes it and checks that its client was
 * interrupted, with nothing but <xpctest/control_c.h> and asserts. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xpc/xpc.h>
#include <xpctest/control_c.h>

/* The daemon under test: replies {pong = true} to everything. */
static int pinger_main(int argc, char** argv) {
  xpc_connection_t listener = xpc_connection_create_mach_service(
      "com.example.pinger", NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      if (reply == NULL) return;
      xpc_dictionary_set_bool(reply, "pong", true);
      xpc_connection_send_message(peer, reply);
      xpc_release(reply);
    });
    xpc_connection_activate(peer);
  });
  xpc_connection_activate(listener);
  dispatch_main();
}

static atomic_int interruptions;

#define CHECK(condition)                                            \
  do {                                                              \
    if (!(condition)) {                                             \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #condition); \
      exit(1);                                                      \
    }                                                               \
  } while (0)

int main(void) {
  xpctest_world_t world = xpctest_world_create(XPCTEST_EXECUTOR_DETERMINISTIC, 0);
  xpctest_world_register_service(world, "com.example.pinger", pinger_main);

  xpc_connection_t client = xpc_connection_create_mach_service("com.example.pinger", NULL, 0);
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INTERRUPTED) atomic_fetch_add(&interruptions, 1);
  });
  xpc_connection_activate(client);

  /* The first request launches the daemon. */
  xpc_object_t ping = xpc_dictionary_create_empty();
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, ping);
  CHECK(xpc_dictionary_get_bool(reply, "pong"));
  xpc_release(reply);

  /* Crash it: the client is interrupted (S62) and stays usable. */
  pid_t daemon = xpctest_world_service_pid(world, "com.example.pinger");
  CHECK(xpctest_process_crash(world, daemon));
  xpctest_world_run_until_idle(world);
  CHECK(atomic_load(&interruptions) == 1);

  /* A rule drops the next reply; the one after gets through (relaunched). */
  xpctest_fault_t lose_one = {.direction = XPCTEST_FAULT_REPLIES, .times = 1,
                              .action = XPCTEST_FAULT_DROP};
  int rule = xpctest_world_add_fault(world, &lose_one);
  xpc_connection_send_message_with_reply(client, ping, NULL, ^(xpc_object_t lost) {});
  reply = xpc_connection_send_message_with_reply_sync(client, ping);
  CHECK(xpc_dictionary_get_bool(reply, "pong"));
  CHECK(xpctest_world_faults_applied(world, rule) == 1);
  xpc_release(reply);
  xpc_release(ping);

  char* trace = xpctest_world_copy_trace_tail(world, 40);
  CHECK(strstr(trace, "process: crashed") != NULL);
  printf("%s", trace);
  free(trace);

  xpc_connection_cancel(client);
  xpc_release(client);
  xpctest_world_run_until_idle(world);
  xpctest_world_destroy(world);
  return 0;
}
