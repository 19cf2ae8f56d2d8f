// The Notes renderer. Requests: {op: "render", text} -> {html}.
#include "notes_renderer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xpc/xpc.h>

static void handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t request) {
    if (xpc_get_type(request) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(request);
    if (reply == NULL) return;
    const char *text = xpc_dictionary_get_string(request, "text");
    if (text == NULL) {
      xpc_dictionary_set_string(reply, "error", "render needs a \"text\"");
    } else {
      size_t size = strlen(text) + sizeof "<p></p>";
      char *html = malloc(size);
      snprintf(html, size, "<p>%s</p>", text);
      xpc_dictionary_set_string(reply, "html", html);
      free(html);
    }
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

int notes_renderer_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  xpc_main(handle_peer);
}
