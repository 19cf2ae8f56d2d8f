// The app's side of the privileged helper: one request per connection.
#include "helper_client.h"

#include <stdio.h>
#include <xpc/xpc.h>

#include "privileged_helper.h"

helper_result_t helper_install(const char *name, const char *contents) {
  helper_result_t result = {0};
  // PRIVILEGED: only a daemon in the system domain answers to this name (S64).
  xpc_connection_t connection = xpc_connection_create_mach_service(
      HELPER_MACH_SERVICE, NULL, XPC_CONNECTION_MACH_SERVICE_PRIVILEGED);
  // S115c: an answer from anything but our helper becomes "Peer Forbidden".
  if (xpc_connection_set_peer_code_signing_requirement(connection, HELPER_REQUIREMENT) != 0) {
    snprintf(result.error, sizeof result.error, "the helper requirement is malformed");
  }
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
    // Errors also reach the reply below; nothing else comes on this connection.
    (void)event;
  });
  xpc_connection_activate(connection);  // S59: even to give it up
  if (result.error[0] == '\0') {
    xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
    xpc_dictionary_set_string(request, "op", "install");
    xpc_dictionary_set_string(request, "name", name);
    xpc_dictionary_set_string(request, "contents", contents);
    xpc_object_t reply = xpc_connection_send_message_with_reply_sync(connection, request);
    const char *error = xpc_get_type(reply) == XPC_TYPE_ERROR
                            ? xpc_dictionary_get_string(reply, XPC_ERROR_KEY_DESCRIPTION)
                            : xpc_dictionary_get_string(reply, "error");
    const char *installed = xpc_dictionary_get_string(reply, "installed");
    if (error == NULL && installed == NULL) error = "the reply says nothing";
    if (error != NULL) {
      snprintf(result.error, sizeof result.error, "%s", error);
    } else {
      result.ok = true;
      snprintf(result.installed, sizeof result.installed, "%s", installed);
    }
    xpc_release(reply);
    xpc_release(request);
  }
  xpc_connection_cancel(connection);
  xpc_release(connection);
  return result;
}
