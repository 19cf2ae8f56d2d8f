#include "runtime/event_streams.h"

#include <Block.h>

#include "dispatch/domain.h"
#include "runtime/process.h"

namespace xpctest::fakes::runtime {

xpc_object_t EventStreams::NewEvent(const std::string& name, xpc_object_t payload) {
  xpc_object_t event = xpc_dictionary_create_empty();
  if (payload != nullptr) {
    xpc_dictionary_apply(payload, ^bool(const char* key, xpc_object_t value) {
      xpc_dictionary_set_value(event, key, value);
      return true;
    });
  }
  xpc_dictionary_set_string(event, XPC_EVENT_KEY_NAME, name.c_str());
  return event;
}

void EventStreams::Clear() {
  std::map<std::pair<const Process*, std::string>, Stream> streams;
  {
    std::lock_guard lock(mutex_);
    streams.swap(streams_);
  }
  for (auto& [key, stream] : streams) {
    if (stream.queue != nullptr) dispatch_release(stream.queue);
    if (stream.handler) Block_release(stream.handler);
    for (xpc_object_t event : stream.waiting) xpc_release(event);
  }
}

bool EventStreams::SetHandler(Process& process, const std::string& name, dispatch_queue_t queue,
                              xpc_handler_t handler) {
  std::vector<xpc_object_t> waiting;
  Stream copy;
  {
    std::lock_guard lock(mutex_);
    Stream& stream = streams_[{&process, name}];
    if (stream.handler) return false;
    // Events keep their order even on a concurrent target queue: they pass
    // through a serial queue of the process's own, as launchd delivers them.
    dispatch::ScopedCurrentDomain as(process.domain());
    stream.queue = dispatch_queue_create("xpc.event-stream", DISPATCH_QUEUE_SERIAL);
    dispatch_set_target_queue(stream.queue, queue);
    stream.handler = Block_copy(handler);
    waiting.swap(stream.waiting);
    copy = stream;
  }
  // Registering is race-free (S114): what waited is delivered first, in order.
  for (xpc_object_t event : waiting) {
    Deliver(copy, event);
    xpc_release(event);
  }
  return true;
}

void EventStreams::Post(Process& process, const std::string& name, xpc_object_t event) {
  Stream copy;
  {
    std::lock_guard lock(mutex_);
    Stream& stream = streams_[{&process, name}];
    if (!stream.handler) {
      stream.waiting.push_back(xpc_retain(event));
      return;
    }
    copy = stream;
  }
  Deliver(copy, event);
}

void EventStreams::Deliver(const Stream& stream, xpc_object_t event) {
  xpc_handler_t handler = stream.handler;
  xpc_object_t held = xpc_retain(event);
  dispatch_async(stream.queue, ^{
    handler(held);
    xpc_release(held);
  });
}

}  // namespace xpctest::fakes::runtime
