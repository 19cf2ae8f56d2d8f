// A service with process-wide state, as real ones have: a store made once per
// process with dispatch_once, counting the requests the process answered.
// Each reply carries "count" and the process's "pid".
//
// Built twice: as a module (counter_service_module, a fresh copy per launch)
// and linked into the test program (counter_service_linked.c).
#include <dispatch/dispatch.h>
#include <stdlib.h>
#include <unistd.h>
#include <xpc/xpc.h>

static int64_t* counter_store(void) {
  static dispatch_once_t once;
  static int64_t* store;
  dispatch_once(&once, ^{
    store = calloc(1, sizeof *store);
  });
  return store;
}

static void handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    xpc_dictionary_set_int64(reply, "count", ++*counter_store());
    xpc_dictionary_set_int64(reply, "pid", getpid());
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

int main(int argc, char** argv) {
  xpc_connection_t listener =
      xpc_connection_create_mach_service(argv[0], NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) handle_peer(peer);
  });
  xpc_connection_activate(listener);
  dispatch_main();
}
