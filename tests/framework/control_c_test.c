/* The C control API (<xpctest/control_c.h>) from a C test suite, with
 * cmocka: an unmodified C service, crashed, hung and faulted from C. Runs on
 * the executor XPCTEST_EXECUTOR names (deterministic by default). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <stdatomic.h>
#include <xpc/xpc.h>
#include <xpctest/control_c.h>

#define CALC "com.example.calc"

/* The service under test: replies {sum = a + b}, as a launchd daemon would. */
static int calc_main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  xpc_connection_t listener =
      xpc_connection_create_mach_service(CALC, NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      if (reply == NULL) return;
      xpc_dictionary_set_int64(reply, "sum", xpc_dictionary_get_int64(message, "a") +
                                                 xpc_dictionary_get_int64(message, "b"));
      xpc_connection_send_message(peer, reply);
      xpc_release(reply);
    });
    xpc_connection_activate(peer);
  });
  xpc_connection_activate(listener);
  dispatch_main();
}

/* What the client's event handler saw. */
static atomic_int g_interrupted;

struct fixture {
  xpctest_world_t world;
  xpc_connection_t client;
};

static xpctest_executor_t executor_from_environment(void) {
  const char* executor = getenv("XPCTEST_EXECUTOR");
  return executor != NULL && strcmp(executor, "threaded") == 0 ? XPCTEST_EXECUTOR_THREADED
                                                                : XPCTEST_EXECUTOR_DETERMINISTIC;
}

static int set_up(void** state) {
  struct fixture* f = calloc(1, sizeof *f);
  atomic_store(&g_interrupted, 0);
  f->world = xpctest_world_create(executor_from_environment(), 0);
  xpctest_world_register_service(f->world, CALC, calc_main);
  f->client = xpc_connection_create_mach_service(CALC, NULL, 0);
  xpc_connection_set_event_handler(f->client, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INTERRUPTED) atomic_fetch_add(&g_interrupted, 1);
  });
  xpc_connection_activate(f->client);
  *state = f;
  return 0;
}

static int tear_down(void** state) {
  struct fixture* f = *state;
  xpc_connection_cancel(f->client);
  xpc_release(f->client);
  xpctest_world_run_until_idle(f->world);
  xpctest_world_destroy(f->world);
  free(f);
  return 0;
}

/* The reply to {a, b}: its sum, or -1 for an error (whose description, if
 * `error` is not NULL, is stored there). */
static int64_t add(xpc_connection_t client, int64_t a, int64_t b, xpc_object_t* error) {
  xpc_object_t request = xpc_dictionary_create_empty();
  xpc_dictionary_set_int64(request, "a", a);
  xpc_dictionary_set_int64(request, "b", b);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, request);
  xpc_release(request);
  int64_t sum = -1;
  if (xpc_get_type(reply) == XPC_TYPE_DICTIONARY) sum = xpc_dictionary_get_int64(reply, "sum");
  if (error != NULL) *error = xpc_get_type(reply) == XPC_TYPE_ERROR ? reply : NULL;
  xpc_release(reply);
  return sum;
}

/* S62: a named client is interrupted when its service crashes, and its next
 * request relaunches the service. */
static void a_crashed_service_interrupts_its_client(void** state) {
  struct fixture* f = *state;
  assert_int_equal(add(f->client, 2, 3, NULL), 5);
  pid_t first = xpctest_world_service_pid(f->world, CALC);
  assert_true(first > 0);

  assert_true(xpctest_process_crash(f->world, first));
  xpctest_world_run_until_idle(f->world);
  assert_int_equal(atomic_load(&g_interrupted), 1);
  assert_string_equal(xpctest_process_state(f->world, first), "crashed");

  assert_int_equal(add(f->client, 40, 2, NULL), 42);
  assert_true(xpctest_world_service_pid(f->world, CALC) != first);

  char* trace = xpctest_world_copy_trace_tail(f->world, 50);
  assert_non_null(strstr(trace, "process: crashed"));
  free(trace);
}

/* A fault rule crashes the service at the second request: that request's
 * reply is XPC_ERROR_CONNECTION_INTERRUPTED (S63). */
static void a_fault_rule_crashes_the_service_at_the_second_request(void** state) {
  struct fixture* f = *state;
  xpctest_fault_t fault = {.direction = XPCTEST_FAULT_REQUESTS,
                           .service = CALC,
                           .nth = 2,
                           .action = XPCTEST_FAULT_CRASH_RECEIVER};
  int rule = xpctest_world_add_fault(f->world, &fault);
  assert_true(rule >= 0);
  assert_int_equal(add(f->client, 1, 1, NULL), 2);
  xpc_object_t error = NULL;
  assert_int_equal(add(f->client, 2, 2, &error), -1);
  assert_ptr_equal(error, XPC_ERROR_CONNECTION_INTERRUPTED);
  assert_int_equal(xpctest_world_faults_applied(f->world, rule), 1);
}

/* A delayed reply arrives once the clock has moved past its delay. */
static void a_delayed_reply_arrives_after_its_delay(void** state) {
  struct fixture* f = *state;
  xpctest_fault_t fault = {.direction = XPCTEST_FAULT_REPLIES,
                           .service = CALC,
                           .action = XPCTEST_FAULT_DELAY,
                           .delay_ns = 200000000ull};
  xpctest_world_add_fault(f->world, &fault);
  uint64_t start = xpctest_world_now(f->world);
  assert_int_equal(add(f->client, 20, 22, NULL), 42);
  assert_true(xpctest_world_now(f->world) - start >= 200000000ull);
}

/* A hung service answers nothing until resumed. */
static void a_hung_service_answers_once_resumed(void** state) {
  struct fixture* f = *state;
  assert_int_equal(add(f->client, 1, 2, NULL), 3);
  pid_t service = xpctest_world_service_pid(f->world, CALC);
  assert_true(xpctest_process_hang(f->world, service));
  assert_string_equal(xpctest_process_state(f->world, service), "hung");
  assert_true(xpctest_process_resume(f->world, service));
  assert_int_equal(add(f->client, 3, 4, NULL), 7);
}

/* Bad arguments are reported and refused, never a crash. */
static void an_unknown_pid_is_refused(void** state) {
  struct fixture* f = *state;
  assert_false(xpctest_process_crash(f->world, 99999));
  assert_null(xpctest_process_state(f->world, 99999));
  assert_false(xpctest_process_crash(NULL, 1));
  assert_int_equal(xpctest_world_add_fault(f->world, NULL), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_crashed_service_interrupts_its_client, set_up, tear_down),
      cmocka_unit_test_setup_teardown(a_fault_rule_crashes_the_service_at_the_second_request,
                                      set_up, tear_down),
      cmocka_unit_test_setup_teardown(a_delayed_reply_arrives_after_its_delay, set_up, tear_down),
      cmocka_unit_test_setup_teardown(a_hung_service_answers_once_resumed, set_up, tear_down),
      cmocka_unit_test_setup_teardown(an_unknown_pid_is_refused, set_up, tear_down),
  };
  return cmocka_run_group_tests_name("ControlC", tests, NULL, NULL);
}
