// The metadata daemon: fstat over XPC, one watch list per client connection.
#include "metadata_server.h"

#include <dispatch/dispatch.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xpc/xpc.h>

static const char *type_name(mode_t mode) {
  if (S_ISREG(mode)) return "regular";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISFIFO(mode)) return "fifo";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character-device";
  if (S_ISBLK(mode)) return "block-device";
  return "unknown";
}

// The descriptor in the request's "fd", duplicated for us (S39: we close it);
// -1, with why in `error`, when there is none.
static int dup_request_fd(xpc_object_t request, char *error, size_t error_size) {
  xpc_object_t value = xpc_dictionary_get_value(request, "fd");
  if (value == NULL) {
    snprintf(error, error_size, "missing fd \"fd\"");
    return -1;
  }
  if (xpc_get_type(value) != XPC_TYPE_FD) {
    snprintf(error, error_size, "\"fd\" is a %s, not an fd", xpc_type_get_name(xpc_get_type(value)));
    return -1;
  }
  int fd = xpc_fd_dup(value);
  if (fd < 0) snprintf(error, error_size, "cannot duplicate \"fd\": %s", strerror(errno));
  return fd;
}

// Writes size, type and mode of `fd` into `out`; false, with why in `error`.
static bool describe(int fd, xpc_object_t out, struct stat *st, char *error, size_t error_size) {
  if (fstat(fd, st) != 0) {
    snprintf(error, error_size, "fstat: %s", strerror(errno));
    return false;
  }
  xpc_dictionary_set_int64(out, "size", (int64_t)st->st_size);
  xpc_dictionary_set_string(out, "type", type_name(st->st_mode));
  xpc_dictionary_set_int64(out, "mode", (int64_t)(st->st_mode & 07777));
  return true;
}

// Up to `wanted` bytes from the start of `fd`, without blocking.
static xpc_object_t read_head(int fd, const struct stat *st, size_t wanted) {
  uint8_t buffer[METADATA_MAX_HEAD];
  if (wanted > sizeof buffer) wanted = sizeof buffer;
  ssize_t n = 0;
  if (S_ISREG(st->st_mode)) {
    // S40: the descriptor shares its offset with the client's; pread leaves it be.
    n = pread(fd, buffer, wanted, 0);
  } else if (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode)) {
    struct pollfd readable = {.fd = fd, .events = POLLIN};
    if (poll(&readable, 1, 0) == 1 && (readable.revents & POLLIN)) n = read(fd, buffer, wanted);
  }
  return xpc_data_create(buffer, n > 0 ? (size_t)n : 0);
}

static void handle_stat(xpc_object_t request, xpc_object_t reply) {
  char error[128];
  int64_t head = 0;
  xpc_object_t head_value = xpc_dictionary_get_value(request, "head");
  if (head_value != NULL) {
    if (xpc_get_type(head_value) != XPC_TYPE_INT64) {
      snprintf(error, sizeof error, "\"head\" is a %s, not an int64",
               xpc_type_get_name(xpc_get_type(head_value)));
      xpc_dictionary_set_string(reply, "error", error);
      return;
    }
    head = xpc_int64_get_value(head_value);
    if (head < 0) {
      xpc_dictionary_set_string(reply, "error", "\"head\" must not be negative");
      return;
    }
  }
  int fd = dup_request_fd(request, error, sizeof error);
  if (fd < 0) {
    xpc_dictionary_set_string(reply, "error", error);
    return;
  }
  struct stat st;
  if (!describe(fd, reply, &st, error, sizeof error)) {
    xpc_dictionary_set_string(reply, "error", error);
  } else if (head > 0) {
    xpc_object_t bytes = read_head(fd, &st, (size_t)head);
    xpc_dictionary_set_value(reply, "head", bytes);
    xpc_release(bytes);
  }
  close(fd);
}

// `watches` maps each tag to the fd object the client sent (it keeps the
// descriptor open for us).
static void handle_watch(xpc_object_t watches, xpc_object_t request, xpc_object_t reply) {
  char error[128];
  const char *tag = xpc_dictionary_get_string(request, "tag");
  if (tag == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing string \"tag\"");
    return;
  }
  int fd = dup_request_fd(request, error, sizeof error);
  if (fd < 0) {
    xpc_dictionary_set_string(reply, "error", error);
    return;
  }
  close(fd);  // it was only a check; the fd object stays in the list
  xpc_dictionary_set_value(watches, tag, xpc_dictionary_get_value(request, "fd"));
  xpc_dictionary_set_int64(reply, "watching", (int64_t)xpc_dictionary_get_count(watches));
}

static void handle_unwatch(xpc_object_t watches, xpc_object_t request, xpc_object_t reply) {
  const char *tag = xpc_dictionary_get_string(request, "tag");
  if (tag == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing string \"tag\"");
    return;
  }
  if (xpc_dictionary_get_value(watches, tag) == NULL) {
    char error[128];
    snprintf(error, sizeof error, "not watching \"%s\"", tag);
    xpc_dictionary_set_string(reply, "error", error);
    return;
  }
  xpc_dictionary_set_value(watches, tag, NULL);  // removes the entry
  xpc_dictionary_set_int64(reply, "watching", (int64_t)xpc_dictionary_get_count(watches));
}

static void handle_poll(xpc_object_t watches, xpc_object_t reply) {
  xpc_object_t files = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_apply(watches, ^bool(const char *tag, xpc_object_t value) {
    xpc_object_t entry = xpc_dictionary_create(NULL, NULL, 0);
    char error[128];
    struct stat st;
    int fd = xpc_fd_dup(value);
    if (fd < 0) {
      snprintf(error, sizeof error, "cannot duplicate the descriptor: %s", strerror(errno));
      xpc_dictionary_set_string(entry, "error", error);
    } else {
      if (!describe(fd, entry, &st, error, sizeof error)) {
        xpc_dictionary_set_string(entry, "error", error);
      }
      close(fd);
    }
    xpc_dictionary_set_value(files, tag, entry);
    xpc_release(entry);
    return true;
  });
  xpc_dictionary_set_value(reply, "files", files);
  xpc_release(files);
}

static void handle_request(xpc_connection_t peer, xpc_object_t watches, xpc_object_t request) {
  // S85: only a request sent with a reply handler can be answered.
  xpc_object_t reply = xpc_dictionary_create_reply(request);
  if (reply == NULL) return;
  const char *op = xpc_dictionary_get_string(request, "op");
  if (op == NULL) {
    xpc_dictionary_set_string(reply, "error", "missing string \"op\"");
  } else if (strcmp(op, "stat") == 0) {
    handle_stat(request, reply);
  } else if (strcmp(op, "watch") == 0) {
    handle_watch(watches, request, reply);
  } else if (strcmp(op, "unwatch") == 0) {
    handle_unwatch(watches, request, reply);
  } else if (strcmp(op, "poll") == 0) {
    handle_poll(watches, reply);
  } else {
    char error[128];
    snprintf(error, sizeof error, "unknown op \"%s\"", op);
    xpc_dictionary_set_string(reply, "error", error);
  }
  xpc_connection_send_message(peer, reply);  // S86
  xpc_release(reply);
}

static void accept_peer(xpc_connection_t peer) {
  // This client's watch list. Only this peer's handler touches it, and that
  // handler never runs concurrently with itself (S73): no lock.
  xpc_object_t watches = xpc_dictionary_create(NULL, NULL, 0);
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_DICTIONARY) {
      handle_request(peer, watches, event);
    } else if (event == XPC_ERROR_CONNECTION_INVALID) {
      // S93: the client is gone; this is the peer's last event (S68).
      xpc_release(watches);
    }
  });
  xpc_connection_activate(peer);
}

int metadata_server_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  xpc_connection_t listener = xpc_connection_create_mach_service(
      METADATA_MACH_SERVICE, NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t event) {
    // S78: a listener gets peers, never messages.
    if (xpc_get_type(event) == XPC_TYPE_CONNECTION) accept_peer((xpc_connection_t)event);
  });
  xpc_connection_activate(listener);
  dispatch_main();  // never returns (P11 in a simulated process)
}
