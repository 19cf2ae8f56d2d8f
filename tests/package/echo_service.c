// An unmodified daemon: serves argv[0] and echoes "say" back as "echo", with
// the pid it runs as. The consumers build it as a service module.
#include <unistd.h>
#include <xpc/xpc.h>

int main(int argc, char** argv) {
  xpc_connection_t listener =
      xpc_connection_create_mach_service(argv[0], NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
    xpc_connection_t connection = (xpc_connection_t)peer;
    xpc_connection_set_event_handler(connection, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      xpc_dictionary_set_string(reply, "echo", xpc_dictionary_get_string(message, "say"));
      xpc_dictionary_set_int64(reply, "pid", getpid());
      xpc_connection_send_message(connection, reply);
      xpc_release(reply);
    });
    xpc_connection_activate(connection);
  });
  xpc_connection_activate(listener);
  dispatch_main();
}
