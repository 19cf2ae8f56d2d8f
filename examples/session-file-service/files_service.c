// The file service: an xpc_listener handing out peer sessions, one in-memory
// store shared by all of them.
#include "files_service.h"

#include <dispatch/dispatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct peer_s {
  xpc_session_t session;  // retained while it is open
  struct peer_s *next;
} peer_t;

struct files_service_s {
  dispatch_queue_t queue;  // serial; the listener and every peer session run on it
  xpc_listener_t listener;
  files_reply_style_t reply_style;
  xpc_object_t files;  // name -> data
  xpc_object_t ended;  // for "status": why each peer session ended
  peer_t *peers;
  int64_t open_sessions;
  bool stopping;
  int references;  // the owner's (until files_service_stop), and one per open peer
};

static void release_service(files_service_t service) {
  if (--service->references > 0) return;
  xpc_release(service->listener);
  xpc_release(service->files);
  xpc_release(service->ended);
  dispatch_release(service->queue);
  free(service);
}

// Reads string `key`; writes why not into `reply` when it cannot.
static const char *require_string(xpc_object_t request, const char *key, xpc_object_t reply) {
  const char *value = xpc_dictionary_get_string(request, key);
  if (value == NULL || value[0] == '\0') {
    char error[128];
    snprintf(error, sizeof error, "missing string \"%s\"", key);
    xpc_dictionary_set_string(reply, "error", error);
  }
  return value != NULL && value[0] != '\0' ? value : NULL;
}

static void write_file(files_service_t service, xpc_object_t request, xpc_object_t reply) {
  const char *name = require_string(request, "name", reply);
  if (name == NULL) return;
  xpc_object_t data = xpc_dictionary_get_value(request, "data");
  if (data == NULL || xpc_get_type(data) != XPC_TYPE_DATA) {
    xpc_dictionary_set_string(reply, "error", "missing data \"data\"");
    return;
  }
  xpc_dictionary_set_value(service->files, name, data);  // retained by the store
  xpc_dictionary_set_string(reply, "name", name);
  xpc_dictionary_set_int64(reply, "size", (int64_t)xpc_data_get_length(data));
}

static void read_file(files_service_t service, xpc_object_t request, xpc_object_t reply) {
  const char *name = require_string(request, "name", reply);
  if (name == NULL) return;
  xpc_object_t data = xpc_dictionary_get_value(service->files, name);
  if (data == NULL) {
    char error[160];
    snprintf(error, sizeof error, "no such file \"%s\"", name);
    xpc_dictionary_set_string(reply, "error", error);
    return;
  }
  xpc_dictionary_set_string(reply, "name", name);
  xpc_dictionary_set_value(reply, "data", data);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void list_files(files_service_t service, xpc_object_t reply) {
  size_t count = xpc_dictionary_get_count(service->files);
  const char **names = calloc(count > 0 ? count : 1, sizeof *names);
  __block size_t n = 0;
  xpc_dictionary_apply(service->files, ^bool(const char *key, xpc_object_t value) {
    (void)value;
    names[n++] = key;  // borrowed from the store, which does not change meanwhile
    return true;
  });
  qsort(names, n, sizeof *names, compare_names);
  xpc_object_t files = xpc_array_create_empty();
  for (size_t i = 0; i < n; i++) xpc_array_set_string(files, XPC_ARRAY_APPEND, names[i]);
  xpc_dictionary_set_value(reply, "files", files);
  xpc_release(files);
  free(names);
}

static void answer(files_service_t service, xpc_object_t request, xpc_object_t reply) {
  const char *op = xpc_dictionary_get_string(request, "op");
  if (op == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing string \"op\"");
  } else if (strcmp(op, "write") == 0) {
    write_file(service, request, reply);
  } else if (strcmp(op, "read") == 0) {
    read_file(service, request, reply);
  } else if (strcmp(op, "list") == 0) {
    list_files(service, reply);
  } else if (strcmp(op, "status") == 0) {
    xpc_dictionary_set_int64(reply, "sessions", service->open_sessions);
    xpc_dictionary_set_value(reply, "ended", service->ended);
  } else {
    char error[160];
    snprintf(error, sizeof error, "unknown op \"%s\"", op);
    xpc_dictionary_set_string(reply, "error", error);
  }
}

static xpc_object_t make_reply(files_service_t service, xpc_object_t request) {
  if (service->reply_style == FILES_REPLY_WITH_FRESH_DICTIONARY) {
    // The mistake: this dictionary is not tied to the request, so libxpc
    // delivers it as a plain message and the request stays unanswered (P2).
    return xpc_dictionary_create(NULL, NULL, 0);
  }
  // NULL for a message sent without a reply handler: nobody waits (S85).
  return xpc_dictionary_create_reply(request);
}

static void handle_message(files_service_t service, xpc_session_t peer, xpc_object_t message) {
  xpc_object_t reply = make_reply(service, message);
  if (reply == NULL) return;
  answer(service, message, reply);
  // S125: the reply goes back on the peer session it came from.
  xpc_rich_error_t error = xpc_session_send_message(peer, reply);
  if (error != NULL) xpc_release(error);  // S121: the client is gone; nobody to tell
  xpc_release(reply);
}

static void peer_ended(files_service_t service, peer_t *peer, xpc_rich_error_t error) {
  char *why = xpc_rich_error_copy_description(error);
  xpc_array_set_string(service->ended, XPC_ARRAY_APPEND, why != NULL ? why : "(no reason)");
  free(why);
  for (peer_t **link = &service->peers; *link != NULL; link = &(*link)->next) {
    if (*link == peer) {
      *link = peer->next;
      break;
    }
  }
  service->open_sessions--;
  xpc_release(peer->session);  // retained in accept_peer
  free(peer);
  release_service(service);
}

static void accept_peer(files_service_t service, xpc_session_t session) {
  peer_t *peer = calloc(1, sizeof *peer);
  peer->session = xpc_retain(session);  // released in peer_ended
  peer->next = service->peers;
  service->peers = peer;
  service->open_sessions++;
  service->references++;
  // S129: set before the handler returns; the listener then activates the peer.
  xpc_session_set_target_queue(session, service->queue);
  xpc_session_set_incoming_message_handler(session, ^(xpc_object_t message) {
    handle_message(service, session, message);
  });
  // S116, S124: runs once, when either end lets go; the session never comes back.
  xpc_session_set_cancel_handler(session, ^(xpc_rich_error_t error) {
    peer_ended(service, peer, error);
  });
}

files_service_t files_service_start_with_reply_style(files_reply_style_t style) {
  files_service_t service = calloc(1, sizeof *service);
  service->queue = dispatch_queue_create("com.example.files", DISPATCH_QUEUE_SERIAL);
  service->reply_style = style;
  service->files = xpc_dictionary_create(NULL, NULL, 0);
  service->ended = xpc_array_create_empty();
  service->references = 1;  // the owner's; released by files_service_stop
  xpc_rich_error_t error = NULL;
  // Inactive, so that everything is in place before the first peer arrives (S128).
  service->listener = xpc_listener_create(
      FILES_MACH_SERVICE, service->queue, XPC_LISTENER_CREATE_INACTIVE,
      ^(xpc_session_t peer) {
        if (service->stopping) {
          xpc_listener_reject_peer(peer, "the file service is stopping");  // S130
          return;
        }
        accept_peer(service, peer);
      },
      &error);
  if (service->listener == NULL || !xpc_listener_activate(service->listener, &error)) {
    char *why = error != NULL ? xpc_rich_error_copy_description(error) : NULL;
    fprintf(stderr, "files: cannot listen on %s: %s\n", FILES_MACH_SERVICE,
            why != NULL ? why : "unknown error");
    free(why);
    if (error != NULL) xpc_release(error);
    // S131: a failed activation cancelled the listener already.
    if (service->listener != NULL) xpc_release(service->listener);
    xpc_release(service->files);
    xpc_release(service->ended);
    dispatch_release(service->queue);
    free(service);
    return NULL;
  }
  return service;
}

files_service_t files_service_start(void) {
  return files_service_start_with_reply_style(FILES_REPLY_WITH_CREATE_REPLY);
}

void files_service_stop(files_service_t service) {
  dispatch_async(service->queue, ^{
    service->stopping = true;
    xpc_listener_cancel(service->listener);  // S132: asynchronous
    // Each cancel handler releases its peer's reference (S124).
    for (peer_t *peer = service->peers; peer != NULL; peer = peer->next) {
      xpc_session_cancel(peer->session);
    }
    release_service(service);
  });
}

int files_service_main(int argc, char **argv) {
  files_reply_style_t style = FILES_REPLY_WITH_CREATE_REPLY;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reply-with-fresh-dictionary") == 0) {
      style = FILES_REPLY_WITH_FRESH_DICTIONARY;
    }
  }
  if (files_service_start_with_reply_style(style) == NULL) return 1;
  dispatch_main();  // never returns (P11 in a simulated process)
}
