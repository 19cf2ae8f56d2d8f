// A C-only user of xpctest: an XPC round trip through an anonymous listener
// and an endpoint, in a project that enables no C++ at all (project(x C)).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xpc/xpc.h>

int main(void) {
  xpc_connection_t listener = xpc_connection_create(NULL, NULL);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      xpc_dictionary_set_int64(reply, "sum", xpc_dictionary_get_int64(message, "a") +
                                                 xpc_dictionary_get_int64(message, "b"));
      xpc_connection_send_message(peer, reply);
      xpc_release(reply);
    });
    xpc_connection_activate(peer);
  });
  xpc_connection_activate(listener);

  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) {});
  xpc_connection_activate(client);

  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_int64(request, "a", 2);
  xpc_dictionary_set_int64(request, "b", 40);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, request);
  int ok = xpc_get_type(reply) == XPC_TYPE_DICTIONARY && xpc_dictionary_get_int64(reply, "sum") == 42;

  xpc_release(reply);
  xpc_release(request);
  xpc_connection_cancel(client);
  xpc_release(client);
  xpc_release(endpoint);
  xpc_connection_cancel(listener);
  xpc_release(listener);
  if (!ok) {
    fprintf(stderr, "c_consumer: the round trip did not answer 42\n");
    return EXIT_FAILURE;
  }
  puts("c_consumer: ok");
  return EXIT_SUCCESS;
}
