// TN3113 in one file: an anonymous listener, its endpoint, a client made from
// the endpoint, one request and its reply. Plain XPC C code, unchanged from macOS.
#include <stdio.h>
#include <string.h>
#include <xpc/xpc.h>

static void handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;  // errors end the peer
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    int64_t a = xpc_dictionary_get_int64(message, "a");
    int64_t b = xpc_dictionary_get_int64(message, "b");
    xpc_dictionary_set_int64(reply, "sum", a + b);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

int main(void) {
  xpc_connection_t listener = xpc_connection_create(NULL, NULL);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) handle_peer((xpc_connection_t)peer);
  });
  xpc_connection_activate(listener);

  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) {});
  xpc_connection_activate(client);

  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_int64(request, "a", 2);
  xpc_dictionary_set_int64(request, "b", 3);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, request);
  int64_t sum = xpc_dictionary_get_int64(reply, "sum");
  printf("2 + 3 = %lld\n", (long long)sum);

  xpc_release(reply);
  xpc_release(request);
  xpc_connection_cancel(client);
  xpc_connection_cancel(listener);
  xpc_release(client);
  xpc_release(listener);
  return sum == 5 ? 0 : 1;
}
