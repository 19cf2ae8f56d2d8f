// runtime/event_streams.h — launchd event streams (S114), in the world.
//
// A process registers a handler for a stream with
// xpc_set_event_stream_handler; the test posts events to it through the
// control interface (World::PostEvent). Events posted before the handler is
// set wait for it, as launchd queues them; each event is a dictionary that
// carries XPC_EVENT_KEY_NAME.
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_EVENT_STREAMS_H
#define XPCTEST_FAKES_RUNTIME_EVENT_STREAMS_H

#include <dispatch/dispatch.h>
#include <xpc/xpc.h>

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace xpctest::fakes::runtime {

class Process;

class EventStreams {
 public:
  ~EventStreams() { Clear(); }
  // A new (+1) event: a dictionary with XPC_EVENT_KEY_NAME set to `name` plus
  // `payload`'s entries (payload may be NULL).
  static xpc_object_t NewEvent(const std::string& name, xpc_object_t payload);
  // False when `process` already has a handler for `stream` (S114: undefined).
  bool SetHandler(Process& process, const std::string& stream, dispatch_queue_t queue,
                  xpc_handler_t handler);
  // Delivers `event` (retained here) to the process's handler, or keeps it until one is set.
  void Post(Process& process, const std::string& stream, xpc_object_t event);
  // Forgets every handler and waiting event; the world calls it before its
  // processes' queues go (a handler's queue may be a process's root queue).
  void Clear();

 private:
  struct Stream {
    dispatch_queue_t queue = nullptr;  // retained
    xpc_handler_t handler = nullptr;   // copied
    std::vector<xpc_object_t> waiting;  // retained
  };
  void Deliver(const Stream& stream, xpc_object_t event);

  std::mutex mutex_;
  std::map<std::pair<const Process*, std::string>, Stream> streams_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_EVENT_STREAMS_H
