// The app's side. Each call makes a connection, sends one request with
// xpc_connection_send_message_with_reply_sync and gives the connection up.
#include "notes_app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xpc/xpc.h>

#include "notes.h"

static notes_result_t ask(xpc_connection_t connection, xpc_object_t request, const char *key) {
  notes_result_t result = {0};
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
    (void)event;  // errors also reach the reply below
  });
  xpc_connection_activate(connection);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(connection, request);
  if (xpc_get_type(reply) == XPC_TYPE_ERROR) {
    // S111: why the connection went invalid ("... error 159 - Sandbox restriction").
    char *reason = xpc_connection_copy_invalidation_reason(connection);
    snprintf(result.error, sizeof result.error, "%s%s%s",
             xpc_dictionary_get_string(reply, XPC_ERROR_KEY_DESCRIPTION), reason ? ": " : "",
             reason ? reason : "");
    free(reason);
  } else if (xpc_dictionary_get_string(reply, "error") != NULL) {
    snprintf(result.error, sizeof result.error, "%s", xpc_dictionary_get_string(reply, "error"));
  } else {
    result.ok = true;
    snprintf(result.value, sizeof result.value, "%s", xpc_dictionary_get_string(reply, key));
  }
  xpc_release(reply);
  xpc_connection_cancel(connection);
  xpc_release(connection);
  return result;
}

notes_result_t notes_save(const char *name, const char *text) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "save");
  xpc_dictionary_set_string(request, "name", name);
  xpc_dictionary_set_string(request, "text", text);
  notes_result_t result =
      ask(xpc_connection_create_mach_service(NOTES_HELPER_SERVICE, NULL, 0), request, "saved");
  xpc_release(request);
  return result;
}

notes_result_t notes_render(const char *text) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "render");
  xpc_dictionary_set_string(request, "text", text);
  notes_result_t result = ask(xpc_connection_create(NOTES_RENDERER_SERVICE, NULL), request, "html");
  xpc_release(request);
  return result;
}

notes_result_t notes_sync_now(void) {
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_string(request, "op", "sync");
  notes_result_t result =
      ask(xpc_connection_create_mach_service(NOTES_SYNC_SERVICE, NULL, 0), request, "synced");
  xpc_release(request);
  return result;
}
