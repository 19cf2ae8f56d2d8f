#include "xpc/queues.h"

#include <fmt/format.h>

#include "base/report.h"
#include "dispatch/domain.h"
#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "dispatch/parker.h"
#include "dispatch/queue_internal.h"
#include "dispatch/thread_frame.h"
#include "objects/object.h"
#include "runtime/process.h"

namespace xpctest::fakes::xpc {

namespace dispatch = xpctest::fakes::dispatch;

dispatch_queue_t CreateSerialQueueIn(runtime::Process& process, const std::string& label,
                                     dispatch_queue_t target) {
  dispatch::ScopedCurrentDomain as(process.domain());
  dispatch_queue_t queue = dispatch_queue_create(label.c_str(), DISPATCH_QUEUE_SERIAL);
  if (target != nullptr) dispatch_set_target_queue(queue, target);
  return queue;
}

// Reads the marker word of memory that may hold any object or none; UBSan's
// vptr check must not fire before the word is read.
__attribute__((no_sanitize("vptr"))) bool AcceptableQueue(dispatch_queue_t queue,
                                                          const char* role, const char* call) {
  if (queue == nullptr) return true;
  // Both object models start with a marker word after the vtable, so either
  // can be asked about memory that belongs to the other.
  auto* object = reinterpret_cast<dispatch::Object*>(queue);
  if (object->alive() && object->kind() == dispatch::ObjectKind::kQueue) return true;
  auto* xpc_object = reinterpret_cast<objects::Object*>(queue);
  std::string description = xpc_object->IsHandle() ? xpc_object->Description()
                                                   : FormatAddress(queue);
  if (object->released()) {
    ReportXpcMisuse(call, fmt::format("The dispatch queue passed as the {} was already released.",
                                      role),
                    description);
  } else {
    ReportXpcMisuse(call,
                    fmt::format("The object passed as the {} is not a dispatch queue.", role),
                    description);
  }
  return false;
}

dispatch_queue_t DefaultQueueOf(runtime::Process& process) {
  return process.domain().global_queue(0);
}

void Async(dispatch_queue_t queue, std::function<void()> work) {
  auto* object = dispatch::As<dispatch::Queue>(queue, "xpc internal async");
  if (object == nullptr) return;
  // A Closure is destroyed unrun when the queue's process is killed, so the
  // captured references are released either way.
  object->Async(dispatch::Closure(std::move(work)), dispatch::ItemKind::kAsync, nullptr);
}

bool IsRunningOn(dispatch_queue_t queue) {
  auto* object = dispatch::As<dispatch::Queue>(queue, "xpc internal queue check");
  // Only serial queues make a blocking wait deadlock: the global queues are wide.
  for (dispatch::Ref<dispatch::Queue> q(object); q; q = q->target()) {
    if (q->serial() && dispatch::ThreadFrame::Holds(q.get())) return true;
  }
  return false;
}

struct BlockingWait::State {
  explicit State(dispatch::Executor& executor) : parker(executor) {}
  dispatch::Parker parker;
};

BlockingWait::BlockingWait()
    : state_(std::make_unique<State>(dispatch::CurrentExecutor())) {}

BlockingWait::~BlockingWait() = default;

void BlockingWait::Wake() { state_->parker.Unpark(); }

bool BlockingWait::Wait(std::function<std::string()> describe) {
  dispatch::ParkResult result =
      state_->parker.Park(dispatch::kForever, "xpc_connection_send_message_with_reply_sync",
                          dispatch::WaitLabel(std::move(describe)));
  return result == dispatch::ParkResult::kUnparked;
}

}  // namespace xpctest::fakes::xpc
