// The metadata daemon's client library: one named connection, a watch list
// that is sent again whenever the daemon lost it.
#include "metadata_client.h"

#include <dispatch/dispatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct metadata_client_s {
  dispatch_queue_t queue;  // serial; the connection's handlers and every use of `watches`
  xpc_connection_t connection;
  xpc_object_t watches;  // tag -> fd object: what the daemon should be watching
  int resyncs;
  int references;  // the connection's (until its final INVALID) and one per resent watch
};

// One resynchronization: the resent watches whose answers are still to come.
typedef struct {
  int outstanding;
  bool refused;
} resync_t;

static void release_client(metadata_client_t client) {
  if (--client->references > 0) return;
  xpc_release(client->watches);
  xpc_release(client->connection);
  dispatch_release(client->queue);
  free(client);
}

static void copy_error(char *out, size_t size, const char *error) {
  if (out != NULL) snprintf(out, size, "%s", error != NULL ? error : "no reason given");
}

// The reason `reply` is not an answer: a connection error's description or
// the daemon's "error"; NULL for an answer.
static const char *failure(xpc_object_t reply) {
  if (xpc_get_type(reply) == XPC_TYPE_ERROR) {
    return xpc_dictionary_get_string(reply, XPC_ERROR_KEY_DESCRIPTION);
  }
  return xpc_dictionary_get_string(reply, "error");
}

static xpc_object_t watch_request(const char *tag, xpc_object_t fd) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "watch");
  xpc_dictionary_set_string(request, "tag", tag);
  xpc_dictionary_set_value(request, "fd", fd);
  return request;
}

// On the client's queue. S62: the daemon's new process knows nothing of us;
// tell it everything it watched for us, and count the resynchronization once
// all of it was accepted.
static void resync(metadata_client_t client) {
  size_t count = xpc_dictionary_get_count(client->watches);
  if (count == 0) {
    client->resyncs++;
    return;
  }
  resync_t *round = calloc(1, sizeof *round);
  round->outstanding = (int)count;
  xpc_dictionary_apply(client->watches, ^bool(const char *tag, xpc_object_t fd) {
    xpc_object_t request = watch_request(tag, fd);
    client->references++;  // released when the answer came
    xpc_connection_send_message_with_reply(client->connection, request, client->queue,
                                           ^(xpc_object_t reply) {
                                             // Another interruption starts another round.
                                             if (failure(reply) != NULL) round->refused = true;
                                             if (--round->outstanding == 0) {
                                               if (!round->refused) client->resyncs++;
                                               free(round);
                                             }
                                             release_client(client);
                                           });
    xpc_release(request);
    return true;
  });
}

metadata_client_t metadata_client_create(const char *name) {
  metadata_client_t client = calloc(1, sizeof *client);
  client->queue = dispatch_queue_create("com.example.metadata.client", DISPATCH_QUEUE_SERIAL);
  client->watches = xpc_dictionary_create(NULL, NULL, 0);
  client->references = 1;
  client->connection = xpc_connection_create_mach_service(name, client->queue, 0);
  xpc_connection_set_event_handler(client->connection, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INTERRUPTED) {
      resync(client);
    } else if (event == XPC_ERROR_CONNECTION_INVALID) {
      release_client(client);  // S68: the last event
    }
  });
  xpc_connection_activate(client->connection);
  return client;
}

void metadata_client_destroy(metadata_client_t client) {
  xpc_connection_cancel(client->connection);  // S68: its final INVALID frees the client
}

metadata_t metadata_client_stat(metadata_client_t client, int fd, size_t head_bytes) {
  metadata_t result = {0};
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "stat");
  xpc_dictionary_set_fd(request, "fd", fd);  // S38: a duplicate travels (S51)
  xpc_dictionary_set_int64(request, "head", (int64_t)head_bytes);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client->connection, request);
  const char *error = failure(reply);
  if (error != NULL) {
    copy_error(result.error, sizeof result.error, error);
  } else {
    result.ok = true;
    result.size = xpc_dictionary_get_int64(reply, "size");
    snprintf(result.type, sizeof result.type, "%s", xpc_dictionary_get_string(reply, "type"));
    result.mode = xpc_dictionary_get_int64(reply, "mode");
    size_t length = 0;
    const void *head = xpc_dictionary_get_data(reply, "head", &length);
    if (head != NULL) {
      if (length > sizeof result.head) length = sizeof result.head;
      memcpy(result.head, head, length);
      result.head_length = length;
    }
  }
  xpc_release(reply);
  xpc_release(request);
  return result;
}

bool metadata_client_watch(metadata_client_t client, const char *tag, int fd, char error[128]) {
  xpc_object_t fd_object = xpc_fd_create(fd);  // S38: our own duplicate
  if (fd_object == NULL) {
    copy_error(error, 128, "not an open file descriptor");
    return false;
  }
  // Recorded before it is sent: an interruption from here on resends it too.
  dispatch_sync(client->queue, ^{
    xpc_dictionary_set_value(client->watches, tag, fd_object);
  });
  xpc_object_t request = watch_request(tag, fd_object);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client->connection, request);
  // S63: an interrupted watch was lost with the daemon, and the resync that
  // the interruption starts sends it again.
  bool watched = reply == XPC_ERROR_CONNECTION_INTERRUPTED || failure(reply) == NULL;
  if (!watched) {
    copy_error(error, 128, failure(reply));
    dispatch_sync(client->queue, ^{
      if (xpc_dictionary_get_value(client->watches, tag) == fd_object) {
        xpc_dictionary_set_value(client->watches, tag, NULL);
      }
    });
  }
  xpc_release(reply);
  xpc_release(request);
  xpc_release(fd_object);
  return watched;
}

bool metadata_client_unwatch(metadata_client_t client, const char *tag, char error[128]) {
  dispatch_sync(client->queue, ^{
    xpc_dictionary_set_value(client->watches, tag, NULL);
  });
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "unwatch");
  xpc_dictionary_set_string(request, "tag", tag);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client->connection, request);
  // An interrupted daemon forgot the watch anyway.
  bool unwatched = reply == XPC_ERROR_CONNECTION_INTERRUPTED || failure(reply) == NULL;
  if (!unwatched) copy_error(error, 128, failure(reply));
  xpc_release(reply);
  xpc_release(request);
  return unwatched;
}

int metadata_client_poll(metadata_client_t client, metadata_watch_t *out, int capacity,
                         char error[128]) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "poll");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client->connection, request);
  int count = -1;
  xpc_object_t files = xpc_dictionary_get_dictionary(reply, "files");
  if (failure(reply) != NULL || files == NULL) {
    copy_error(error, 128, failure(reply));
  } else {
    __block int filled = 0;
    xpc_dictionary_apply(files, ^bool(const char *tag, xpc_object_t entry) {
      if (filled < capacity) {
        metadata_watch_t *watch = &out[filled];
        snprintf(watch->tag, sizeof watch->tag, "%s", tag);
        watch->size = xpc_dictionary_get_int64(entry, "size");
        const char *type = xpc_dictionary_get_string(entry, "type");
        snprintf(watch->type, sizeof watch->type, "%s", type != NULL ? type : "unknown");
      }
      filled++;
      return true;
    });
    count = filled;
  }
  xpc_release(reply);
  xpc_release(request);
  return count;
}

int metadata_client_resyncs(metadata_client_t client) {
  __block int resyncs;
  dispatch_sync(client->queue, ^{
    resyncs = client->resyncs;
  });
  return resyncs;
}
