// The app's side: a named connection to the service, an anonymous listener
// for its callbacks.
#include "jobs_client.h"

#include <Block.h>
#include <stdlib.h>

struct jobs_client_s {
  dispatch_queue_t queue;  // serial; every handler of the client runs on it
  xpc_connection_t service;
  xpc_connection_t listener;
  xpc_connection_t callback;  // the service's connection to us, once it came
  jobs_progress_handler_t on_progress;
  int subscriptions;
  int live_connections;  // freed when the last one has seen its final INVALID
};

static void connection_ended(jobs_client_t client) {
  if (--client->live_connections > 0) return;
  Block_release(client->on_progress);
  dispatch_release(client->queue);
  free(client);
}

static xpc_object_t subscribe_request(jobs_client_t client) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "subscribe");
  xpc_endpoint_t endpoint = xpc_endpoint_create(client->listener);
  xpc_dictionary_set_value(request, "callback", endpoint);
  xpc_release(endpoint);
  return request;
}

static void resubscribe(jobs_client_t client) {
  xpc_object_t request = subscribe_request(client);
  xpc_connection_send_message_with_reply(client->service, request, client->queue,
                                         ^(xpc_object_t reply) {
                                           if (xpc_dictionary_get_bool(reply, "subscribed")) {
                                             client->subscriptions++;
                                           }
                                         });
  xpc_release(request);
}

// A progress message from the service: hand it to the app with a way to answer.
static void handle_callback(jobs_client_t client, xpc_connection_t peer, xpc_object_t message) {
  xpc_object_t reply = xpc_dictionary_create_reply(message);
  if (reply == NULL) return;
  xpc_retain(peer);
  dispatch_block_t acknowledge = ^{
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
    xpc_release(peer);
  };
  client->on_progress(xpc_dictionary_get_string(message, "job"),
                      xpc_dictionary_get_int64(message, "step"),
                      xpc_dictionary_get_int64(message, "of"), acknowledge);
}

static void accept_callback(jobs_client_t client, xpc_connection_t peer) {
  // One service, one connection back to us: a newer one replaces the old.
  if (client->callback != NULL) xpc_connection_cancel(client->callback);
  client->callback = peer;
  client->live_connections++;
  xpc_connection_set_target_queue(peer, client->queue);  // S77
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_DICTIONARY) {
      handle_callback(client, peer, event);
    } else if (event == XPC_ERROR_CONNECTION_INVALID) {
      if (client->callback == peer) client->callback = NULL;
      connection_ended(client);  // S93: the service let go of us
    }
  });
  xpc_connection_activate(peer);
}

jobs_client_t jobs_client_create(const char *name, jobs_progress_handler_t on_progress) {
  jobs_client_t client = calloc(1, sizeof *client);
  client->queue = dispatch_queue_create("com.example.jobs.client", DISPATCH_QUEUE_SERIAL);
  client->on_progress = Block_copy(on_progress);
  client->live_connections = 2;

  client->listener = xpc_connection_create(NULL, client->queue);  // S95: anonymous
  xpc_connection_set_event_handler(client->listener, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_CONNECTION) {
      accept_callback(client, (xpc_connection_t)event);
    } else if (event == XPC_ERROR_CONNECTION_INVALID) {
      xpc_release(client->listener);  // S68: the last event; created above
      client->listener = NULL;
      connection_ended(client);
    }
  });
  xpc_connection_activate(client->listener);

  client->service = xpc_connection_create_mach_service(name, client->queue, 0);
  xpc_connection_set_event_handler(client->service, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INTERRUPTED) {
      // S62: the service lost our subscription with its process; the next
      // send relaunches it, and we tell it again.
      resubscribe(client);
    } else if (event == XPC_ERROR_CONNECTION_INVALID) {
      xpc_release(client->service);  // S68: the last event; created above
      client->service = NULL;
      connection_ended(client);
    }
  });
  xpc_connection_activate(client->service);
  return client;
}

bool jobs_client_subscribe(jobs_client_t client) {
  xpc_object_t request = subscribe_request(client);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client->service, request);
  bool subscribed = xpc_dictionary_get_bool(reply, "subscribed");
  xpc_release(reply);
  xpc_release(request);
  if (subscribed) {
    dispatch_sync(client->queue, ^{
      client->subscriptions++;
    });
  }
  return subscribed;
}

int jobs_client_subscriptions(jobs_client_t client) {
  __block int subscriptions;
  dispatch_sync(client->queue, ^{
    subscriptions = client->subscriptions;
  });
  return subscriptions;
}

void jobs_client_run(jobs_client_t client, const char *job, int64_t steps,
                     void (^completion)(int64_t steps_done, const char *error)) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "run");
  xpc_dictionary_set_string(request, "job", job);
  xpc_dictionary_set_int64(request, "steps", steps);
  void (^done)(int64_t, const char *) = Block_copy(completion);
  xpc_connection_send_message_with_reply(client->service, request, client->queue,
                                         ^(xpc_object_t reply) {
                                           const char *error =
                                               xpc_get_type(reply) == XPC_TYPE_ERROR
                                                   ? xpc_dictionary_get_string(
                                                         reply, XPC_ERROR_KEY_DESCRIPTION)
                                                   : xpc_dictionary_get_string(reply, "error");
                                           done(xpc_dictionary_get_int64(reply, "steps_done"),
                                                error);
                                           Block_release(done);
                                         });
  xpc_release(request);
}

void jobs_client_destroy(jobs_client_t client) {
  dispatch_async(client->queue, ^{
    if (client->service != NULL) xpc_connection_cancel(client->service);
    if (client->listener != NULL) xpc_connection_cancel(client->listener);
    if (client->callback != NULL) xpc_connection_cancel(client->callback);
  });
}
