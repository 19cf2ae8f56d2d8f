// The calculator service: a stateless request/reply peer handler.
#include "calculator_service.h"

#include <dispatch/dispatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// Reads int64 operand `key`; writes why not into `error` when it cannot.
static bool read_operand(xpc_object_t request, const char *key, int64_t *out, char *error,
                         size_t error_size) {
  xpc_object_t value = xpc_dictionary_get_value(request, key);
  if (value == NULL) {
    snprintf(error, error_size, "missing operand \"%s\"", key);
    return false;
  }
  if (xpc_get_type(value) != XPC_TYPE_INT64) {
    snprintf(error, error_size, "operand \"%s\" is a %s, not an int64", key,
             xpc_type_get_name(xpc_get_type(value)));
    return false;
  }
  *out = xpc_int64_get_value(value);
  return true;
}

// Computes the answer to `request` into `reply`: "result" or "error".
static void compute(xpc_object_t request, xpc_object_t reply) {
  char error[128];
  const char *op = xpc_dictionary_get_string(request, "op");
  int64_t a, b, result;
  if (op == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing string \"op\"");
    return;
  }
  if (!read_operand(request, "a", &a, error, sizeof error) ||
      !read_operand(request, "b", &b, error, sizeof error)) {
    xpc_dictionary_set_string(reply, "error", error);
    return;
  }
  bool overflow;
  if (strcmp(op, "add") == 0) {
    overflow = __builtin_add_overflow(a, b, &result);
  } else if (strcmp(op, "sub") == 0) {
    overflow = __builtin_sub_overflow(a, b, &result);
  } else if (strcmp(op, "mul") == 0) {
    overflow = __builtin_mul_overflow(a, b, &result);
  } else if (strcmp(op, "div") == 0) {
    if (b == 0) {
      xpc_dictionary_set_string(reply, "error", "division by zero");
      return;
    }
    overflow = a == INT64_MIN && b == -1;
    if (!overflow) result = a / b;
  } else {
    snprintf(error, sizeof error, "unknown op \"%s\"", op);
    xpc_dictionary_set_string(reply, "error", error);
    return;
  }
  if (overflow) {
    xpc_dictionary_set_string(reply, "error", "overflow");
    return;
  }
  xpc_dictionary_set_int64(reply, "result", result);
}

static void handle_request(xpc_connection_t peer, xpc_object_t request) {
  // Only a request sent with a reply handler can be answered (S85).
  xpc_object_t reply = xpc_dictionary_create_reply(request);
  if (reply == NULL) return;
  int64_t delay_ms = xpc_dictionary_get_int64(request, "delay_ms");
  if (delay_ms > CALCULATOR_MAX_DELAY_MS) {
    // A client must not hold a request (and its transaction) for years, nor
    // overflow the delay in nanoseconds.
    xpc_dictionary_set_string(reply, "error", "\"delay_ms\" is more than a minute");
  } else if (delay_ms <= 0) {
    compute(request, reply);
  } else {
    // Slow work: answer later, off the peer's handler, so that other requests
    // on this connection are served meanwhile. Released in the block below.
    xpc_retain(request);
    xpc_retain(peer);
    dispatch_after(dispatch_time(DISPATCH_TIME_NOW, delay_ms * (int64_t)NSEC_PER_MSEC),
                   dispatch_get_global_queue(DISPATCH_QUEUE_PRIORITY_DEFAULT, 0), ^{
                     compute(request, reply);
                     xpc_connection_send_message(peer, reply);
                     xpc_release(reply);
                     xpc_release(request);
                     xpc_release(peer);
                   });
    return;
  }
  xpc_connection_send_message(peer, reply);  // S86: the reply goes back on the peer
  xpc_release(reply);
}

void calculator_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    // S93: a peer only ever gets INVALID, once its client is gone; nothing to
    // clean up in a stateless service.
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    handle_request(peer, event);
  });
  xpc_connection_activate(peer);
}
