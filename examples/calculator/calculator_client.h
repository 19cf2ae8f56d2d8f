// calculator_client.h — the app's side of the calculator.
//
//   calculator_client_t calc = calculator_client_create(CALCULATOR_MACH_SERVICE);
//   calculator_result_t r = calculator_compute(calc, "add", 2, 3);
//   if (r.ok) printf("%lld\n", (long long)r.value); else puts(r.error);
//   calculator_client_destroy(calc);
//
// Recovery: a request answered with XPC_ERROR_CONNECTION_INTERRUPTED was
// lost with the service's process, and a named connection relaunches the
// service on its next send (S62), so the client sends it once more. A second
// interruption, or XPC_ERROR_CONNECTION_INVALID, is reported to the caller.
//
// Thread safety: a client may be used from any thread; completions run on the
// queue given.
#ifndef CALCULATOR_CLIENT_H
#define CALCULATOR_CLIENT_H

#include <dispatch/dispatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <xpc/xpc.h>

typedef struct calculator_client_s *calculator_client_t;

typedef struct {
  bool ok;
  int64_t value;    // when ok
  char error[128];  // when not ok: the service's "error", or the connection error's description
  int attempts;     // how many times the request was sent: 1, or 2 after an interruption
} calculator_result_t;

// A client of the Mach service `name` (a named connection: recoverable, S62).
calculator_client_t calculator_client_create(const char *name);
// A client of the listener behind `endpoint` (not recoverable: P3).
calculator_client_t calculator_client_create_from_endpoint(xpc_endpoint_t endpoint);
// Cancels the connection and frees the client.
void calculator_client_destroy(calculator_client_t client);

// Computes `a op b`, blocking until the answer comes.
calculator_result_t calculator_compute(calculator_client_t client, const char *op, int64_t a,
                                       int64_t b);
// Computes `a op b`, asking the service to take `delay_ms`, and calls
// `completion` on `queue` (NULL: a global queue) with the answer.
void calculator_compute_async(calculator_client_t client, const char *op, int64_t a, int64_t b,
                              int64_t delay_ms, dispatch_queue_t queue,
                              void (^completion)(calculator_result_t result));

#endif  // CALCULATOR_CLIENT_H
