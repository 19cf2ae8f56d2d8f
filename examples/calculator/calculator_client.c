// The calculator's client library: one connection, one resend after an interruption.
#include "calculator_client.h"

#include <Block.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct calculator_client_s {
  xpc_connection_t connection;
};

static calculator_client_t client_from(xpc_connection_t connection) {
  calculator_client_t client = calloc(1, sizeof *client);
  client->connection = connection;
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
    // Interruptions also fail the requests in flight (S63), and those are
    // resent where their replies arrive. The service keeps no state of ours,
    // so there is nothing else to restore.
    (void)event;
  });
  xpc_connection_activate(connection);
  return client;
}

calculator_client_t calculator_client_create(const char *name) {
  return client_from(xpc_connection_create_mach_service(name, NULL, 0));
}

calculator_client_t calculator_client_create_from_endpoint(xpc_endpoint_t endpoint) {
  return client_from(xpc_connection_create_from_endpoint(endpoint));
}

void calculator_client_destroy(calculator_client_t client) {
  xpc_connection_cancel(client->connection);
  xpc_release(client->connection);
  free(client);
}

static xpc_object_t make_request(const char *op, int64_t a, int64_t b, int64_t delay_ms) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", op);
  xpc_dictionary_set_int64(request, "a", a);
  xpc_dictionary_set_int64(request, "b", b);
  if (delay_ms > 0) xpc_dictionary_set_int64(request, "delay_ms", delay_ms);
  return request;
}

// True when `reply` says the request was lost with the service and may be sent again.
static bool should_resend(xpc_object_t reply, int attempts) {
  return reply == XPC_ERROR_CONNECTION_INTERRUPTED && attempts == 1;
}

static calculator_result_t result_from(xpc_object_t reply, int attempts) {
  calculator_result_t result = {.attempts = attempts};
  if (xpc_get_type(reply) == XPC_TYPE_ERROR) {
    snprintf(result.error, sizeof result.error, "%s",
             xpc_dictionary_get_string(reply, XPC_ERROR_KEY_DESCRIPTION));
    return result;
  }
  const char *error = xpc_dictionary_get_string(reply, "error");
  if (error != NULL) {
    snprintf(result.error, sizeof result.error, "%s", error);
    return result;
  }
  if (xpc_dictionary_get_value(reply, "result") == NULL) {
    snprintf(result.error, sizeof result.error, "the reply has no result");
    return result;
  }
  result.ok = true;
  result.value = xpc_dictionary_get_int64(reply, "result");
  return result;
}

calculator_result_t calculator_compute(calculator_client_t client, const char *op, int64_t a,
                                       int64_t b) {
  xpc_object_t request = make_request(op, a, b, 0);
  int attempts = 0;
  xpc_object_t reply;
  for (;;) {
    reply = xpc_connection_send_message_with_reply_sync(client->connection, request);
    attempts++;
    if (!should_resend(reply, attempts)) break;
    xpc_release(reply);
  }
  calculator_result_t result = result_from(reply, attempts);
  xpc_release(reply);
  xpc_release(request);
  return result;
}

// Sends `request` (one attempt), then resends once or completes. Owns `request`
// and `completion` (a copy), released when the answer is final.
static void send_attempt(calculator_client_t client, xpc_object_t request, int attempt,
                         dispatch_queue_t queue, void (^completion)(calculator_result_t)) {
  xpc_connection_send_message_with_reply(client->connection, request, queue, ^(xpc_object_t reply) {
    if (should_resend(reply, attempt)) {
      send_attempt(client, request, attempt + 1, queue, completion);
      return;
    }
    completion(result_from(reply, attempt));
    Block_release(completion);
    xpc_release(request);
  });
}

void calculator_compute_async(calculator_client_t client, const char *op, int64_t a, int64_t b,
                              int64_t delay_ms, dispatch_queue_t queue,
                              void (^completion)(calculator_result_t result)) {
  send_attempt(client, make_request(op, a, b, delay_ms), 1, queue, Block_copy(completion));
}
