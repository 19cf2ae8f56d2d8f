// The statistics service: sum and pick over an array of values.
#include "stats_service.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static void sum(xpc_object_t values, xpc_object_t reply) {
  int64_t total = 0;
  for (size_t i = 0; i < xpc_array_get_count(values); ++i) {
    xpc_object_t value = xpc_array_get_value(values, i);
    if (xpc_get_type(value) != XPC_TYPE_INT64) {
      xpc_dictionary_set_string(reply, "error", "\"values\" holds something other than int64");
      return;
    }
    if (__builtin_add_overflow(total, xpc_int64_get_value(value), &total)) {
      xpc_dictionary_set_string(reply, "error", "overflow");
      return;
    }
  }
  xpc_dictionary_set_int64(reply, "result", total);
}

static void pick(xpc_object_t values, xpc_object_t request, xpc_object_t reply) {
  xpc_object_t index = xpc_dictionary_get_value(request, "index");
  if (index == NULL || xpc_get_type(index) != XPC_TYPE_INT64) {
    xpc_dictionary_set_string(reply, "error", "missing int64 \"index\"");
    return;
  }
  int64_t i = xpc_int64_get_value(index);
  // THE PLANTED BUG: `>` lets i == count through; it should be `>=`.
  if (i < 0 || (uint64_t)i > xpc_array_get_count(values)) {
    xpc_dictionary_set_string(reply, "error", "\"index\" out of range");
    return;
  }
  xpc_dictionary_set_value(reply, "result", xpc_array_get_value(values, (size_t)i));
}

static void handle_request(xpc_connection_t peer, xpc_object_t request) {
  // S85: only a request sent with a reply handler can be answered.
  xpc_object_t reply = xpc_dictionary_create_reply(request);
  if (reply == NULL) return;
  const char *op = xpc_dictionary_get_string(request, "op");
  xpc_object_t values = xpc_dictionary_get_array(request, "values");
  if (op == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing string \"op\"");
  } else if (values == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing array \"values\"");
  } else if (strcmp(op, "sum") == 0) {
    sum(values, reply);
  } else if (strcmp(op, "pick") == 0) {
    pick(values, request, reply);
  } else {
    xpc_dictionary_set_string(reply, "error", "unknown op");
  }
  xpc_connection_send_message(peer, reply);  // S86
  xpc_release(reply);
}

void stats_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    // S93: a peer only ever gets INVALID, once its client is gone.
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    handle_request(peer, event);
  });
  xpc_connection_activate(peer);
}
