// The Notes helper. Requests: {op: "save", name, text} -> {saved: path} or {error}.
// Its backup activity (declared in its plist's LaunchEvents) appends a line
// to <store>/backups.log each time it runs.
#include "notes_helper.h"

#include <dispatch/dispatch.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <xpc/activity.h>
#include <xpc/xpc.h>

#include "notes.h"

static bool is_plain_name(const char *name) {
  return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, "..") != 0 &&
         strcmp(name, ".") != 0;
}

static void save(const char *store, xpc_object_t request, xpc_object_t reply) {
  const char *name = xpc_dictionary_get_string(request, "name");
  const char *text = xpc_dictionary_get_string(request, "text");
  if (name == NULL || text == NULL || !is_plain_name(name)) {
    xpc_dictionary_set_string(reply, "error", "save needs a plain \"name\" and a \"text\"");
    return;
  }
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s.note", store, name);
  FILE *file = fopen(path, "w");
  if (file == NULL || fputs(text, file) < 0) {
    xpc_dictionary_set_string(reply, "error", "cannot write the note");
    if (file != NULL) fclose(file);
    return;
  }
  fclose(file);
  xpc_dictionary_set_string(reply, "saved", path);
}

static void accept_peer(const char *store, dispatch_queue_t queue, xpc_connection_t peer) {
  xpc_connection_set_target_queue(peer, queue);  // S77: not inherited
  xpc_connection_set_event_handler(peer, ^(xpc_object_t request) {
    if (xpc_get_type(request) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(request);
    if (reply == NULL) return;
    const char *op = xpc_dictionary_get_string(request, "op");
    if (op != NULL && strcmp(op, "save") == 0) {
      save(store, request, reply);
    } else {
      xpc_dictionary_set_string(reply, "error", "unknown op");
    }
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

static void backup(const char *store) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/backups.log", store);
  FILE *log = fopen(path, "a");
  if (log == NULL) return;
  fputs("backup\n", log);
  fclose(log);
}

int notes_helper_main(int argc, char **argv) {
  const char *store = ".";
  for (int i = 1; i + 1 < argc; ++i) {
    if (strcmp(argv[i], "--store") == 0) store = argv[i + 1];
  }
  dispatch_queue_t queue = dispatch_queue_create("com.example.notes.helper", DISPATCH_QUEUE_SERIAL);
  xpc_connection_t listener = xpc_connection_create_mach_service(
      NOTES_HELPER_SERVICE, queue, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_CONNECTION) {
      accept_peer(store, queue, (xpc_connection_t)event);
    }
  });
  xpc_connection_activate(listener);
  // The criteria are in the plist; check in to be told when it may run.
  xpc_activity_register(NOTES_BACKUP_ACTIVITY, XPC_ACTIVITY_CHECK_IN, ^(xpc_activity_t activity) {
    if (xpc_activity_get_state(activity) != XPC_ACTIVITY_STATE_RUN) return;
    dispatch_sync(queue, ^{
      backup(store);
    });
    // Returning in RUN marks it done; the interval starts again.
  });
  dispatch_main();
}
