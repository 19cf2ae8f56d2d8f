// The file service's client library: one session, sync reads, async writes.
#include "files_client.h"

#include <Block.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct files_client_s {
  dispatch_queue_t queue;  // serial; the session's target queue
  xpc_session_t session;
  files_session_ended_t on_ended;
  // Written by the cancel handler before `ended` is set; read after.
  char end_reason[FILES_ERROR_MAX];
  bool end_can_retry;
  atomic_bool ended;
  // The rest is read and written on `queue` only (set during activation,
  // while the queue is suspended).
  bool activation_failed;  // files_client_create returned NULL: stay silent
  bool destroyed;          // nobody holds the client any more
};

static void free_client(files_client_t client) {
  if (client->on_ended != NULL) Block_release(client->on_ended);
  xpc_release(client->session);
  dispatch_release(client->queue);
  free(client);
}

static void copy_reason(xpc_rich_error_t error, char *out) {
  char *description = xpc_rich_error_copy_description(error);
  snprintf(out, FILES_ERROR_MAX, "%s", description != NULL ? description : "the session ended");
  free(description);
}

// The outcome of a request: the reply, or the session's rich error (S122, S123).
static files_status_t status_from(xpc_object_t reply, xpc_rich_error_t error) {
  files_status_t status = {.ok = false};
  if (error != NULL) {
    copy_reason(error, status.error);
    status.can_retry = xpc_rich_error_can_retry(error);
    return status;
  }
  const char *service_error = xpc_dictionary_get_string(reply, "error");
  if (service_error != NULL) {
    snprintf(status.error, sizeof status.error, "%s", service_error);
    return status;
  }
  status.ok = true;
  return status;
}

// The session's end: runs once (S124), on the client's queue.
static void session_ended(files_client_t client, xpc_rich_error_t error) {
  copy_reason(error, client->end_reason);
  client->end_can_retry = xpc_rich_error_can_retry(error);
  atomic_store(&client->ended, true);
  if (client->on_ended != NULL && !client->activation_failed) {
    client->on_ended(client->end_reason, client->end_can_retry);
  }
  if (client->destroyed) free_client(client);
}

files_client_t files_client_create(const char *name, files_session_ended_t on_ended, char *why) {
  files_client_t client = calloc(1, sizeof *client);
  client->queue = dispatch_queue_create("com.example.files.client", DISPATCH_QUEUE_SERIAL);
  client->on_ended = on_ended != NULL ? Block_copy(on_ended) : NULL;
  xpc_rich_error_t error = NULL;
  // Inactive: handlers may only be set before activation (S117, S118).
  client->session =
      xpc_session_create_mach_service(name, client->queue, XPC_SESSION_CREATE_INACTIVE, &error);
  if (client->session == NULL) {
    if (why != NULL) copy_reason(error, why);
    if (error != NULL) xpc_release(error);
    if (client->on_ended != NULL) Block_release(client->on_ended);
    dispatch_release(client->queue);
    free(client);
    return NULL;
  }
  xpc_session_set_incoming_message_handler(client->session, ^(xpc_object_t message) {
    (void)message;  // the service only ever answers requests
  });
  xpc_session_set_cancel_handler(client->session, ^(xpc_rich_error_t reason) {
    session_ended(client, reason);
  });
  // Nothing runs on the queue until the outcome of activation is written down.
  dispatch_suspend(client->queue);
  bool activated = xpc_session_activate(client->session, &error);
  if (!activated) {
    // S119: the failed activation cancelled the session. Its cancel handler
    // still runs, quietly, and frees the client.
    if (why != NULL) copy_reason(error, why);
    if (error != NULL) xpc_release(error);
    client->activation_failed = true;
    client->destroyed = true;
  }
  dispatch_resume(client->queue);
  return activated ? client : NULL;
}

void files_client_destroy(files_client_t client) {
  // S124: asynchronous; pending replies and then the cancel handler get the
  // rich error. Harmless when the session already ended.
  xpc_session_cancel(client->session);
  dispatch_async(client->queue, ^{
    client->destroyed = true;
    if (atomic_load(&client->ended)) free_client(client);
  });
}

void files_write(files_client_t client, const char *name, const void *data, size_t length,
                 void (^completion)(files_status_t status)) {
  void (^done)(files_status_t) = completion != NULL ? Block_copy(completion) : NULL;
  if (atomic_load(&client->ended)) {
    // S120: sending on a cancelled session is a (simulated) crash on macOS;
    // answer with the reason it ended instead.
    files_status_t status = {.ok = false, .can_retry = client->end_can_retry};
    snprintf(status.error, sizeof status.error, "%s", client->end_reason);
    dispatch_async(client->queue, ^{
      if (done != NULL) {
        done(status);
        Block_release(done);
      }
    });
    return;
  }
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "write");
  xpc_dictionary_set_string(request, "name", name);
  xpc_dictionary_set_data(request, "data", data, length);
  // S123: exactly one of a reply and a rich error.
  xpc_session_send_message_with_reply_async(
      client->session, request, ^(xpc_object_t reply, xpc_rich_error_t error) {
        files_status_t status = status_from(reply, error);
        if (done != NULL) {
          done(status);
          Block_release(done);
        }
      });
  xpc_release(request);
}

// Sends `request` and waits: the reply (+1), or NULL with *status saying why.
static xpc_object_t ask(files_client_t client, xpc_object_t request, files_status_t *status) {
  xpc_rich_error_t error = NULL;
  // S122: a reply (+1), or NULL and a rich error.
  xpc_object_t reply = xpc_session_send_message_with_reply_sync(client->session, request, &error);
  *status = status_from(reply, error);
  if (error != NULL) xpc_release(error);
  if (!status->ok && reply != NULL) {
    xpc_release(reply);
    return NULL;
  }
  return reply;
}

files_status_t files_read(files_client_t client, const char *name, void **data, size_t *length) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "read");
  xpc_dictionary_set_string(request, "name", name);
  files_status_t status;
  xpc_object_t reply = ask(client, request, &status);
  xpc_release(request);
  if (reply == NULL) return status;
  size_t size = 0;
  const void *bytes = xpc_dictionary_get_data(reply, "data", &size);
  *data = malloc(size > 0 ? size : 1);
  if (size > 0) memcpy(*data, bytes, size);
  *length = size;
  xpc_release(reply);
  return status;
}

files_status_t files_list(files_client_t client, char ***names, size_t *count) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "list");
  files_status_t status;
  xpc_object_t reply = ask(client, request, &status);
  xpc_release(request);
  if (reply == NULL) return status;
  xpc_object_t files = xpc_dictionary_get_array(reply, "files");
  size_t n = files != NULL ? xpc_array_get_count(files) : 0;
  char **list = calloc(n > 0 ? n : 1, sizeof *list);
  for (size_t i = 0; i < n; i++) {
    const char *file = xpc_array_get_string(files, i);
    list[i] = strdup(file != NULL ? file : "");
  }
  *names = list;
  *count = n;
  xpc_release(reply);
  return status;
}

void files_free_names(char **names, size_t count) {
  for (size_t i = 0; i < count; i++) free(names[i]);
  free(names);
}
