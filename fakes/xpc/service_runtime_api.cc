// The service runtime of <xpc/xpc.h>: xpc_main and transactions (S112, S113).
#include <xpc/xpc.h>

#include "base/report.h"
#include "dispatch/domain.h"
#include "runtime/world.h"

using xpctest::fakes::runtime::Process;
using xpctest::fakes::runtime::World;

extern "C" {

void xpc_main(xpc_connection_handler_t handler) {
  Process& process = World::Current().CurrentProcess();
  // A reference, not a copy: nothing on this stack is ever destroyed (P11).
  const std::string& name = process.service_name();
  if (name.empty()) {
    // Only a launched XPC service has a name to serve.
    xpctest::fakes::ReportXpcMisuse(
        "xpc_main", "xpc_main() called by a process that is not a launched XPC service.");
  } else {
    // S112: the bundled service's listener; each new client's peer goes to
    // `handler`, then the process serves its queues forever.
    xpc_connection_t listener = xpc_connection_create_mach_service(
        name.c_str(), nullptr, XPC_CONNECTION_MACH_SERVICE_LISTENER);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
      if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) handler(static_cast<xpc_connection_t>(peer));
    });
    xpc_connection_activate(listener);
  }
  dispatch_main();
  __builtin_unreachable();
}

void xpc_transaction_begin(void) { World::Current().CurrentProcess().BeginTransaction(); }

void xpc_transaction_end(void) { World::Current().CurrentProcess().EndTransaction(); }

}  // extern "C"

extern "C" void xpc_set_event_stream_handler(const char* stream, dispatch_queue_t targetq,
                                             xpc_handler_t handler) {
  if (stream == nullptr || !handler) {
    xpctest::fakes::ReportXpcMisuse("xpc_set_event_stream_handler",
                                    "The stream name and the handler must not be NULL.");
    return;
  }
  Process& process = World::Current().CurrentProcess();
  dispatch_queue_t queue = targetq != nullptr ? targetq : process.domain().global_queue(0);
  if (!World::Current().event_streams().SetHandler(process, stream, queue, handler)) {
    // S114: a second handler for one stream is undefined; P6 makes it misuse.
    xpctest::fakes::ReportXpcMisuse("xpc_set_event_stream_handler",
                                    "A handler is already set for this event stream.", stream);
  }
}
