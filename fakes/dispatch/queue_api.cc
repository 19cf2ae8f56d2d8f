// C entry points of <dispatch/queue.h>: check handles, translate, call Queue.
#include <dispatch/dispatch.h>

#include "dispatch/api_util.h"
#include "dispatch/apply_internal.h"
#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "dispatch/thread_frame.h"

namespace dispatch = xpctest::fakes::dispatch;
using dispatch::Closure;
using dispatch::ItemKind;
using dispatch::Queue;
using dispatch::RequireQueue;
using dispatch::RequireWork;
using xpctest::fakes::ReportDispatchMisuse;

namespace {

void Submit(dispatch_queue_t queue, Closure work, bool present, ItemKind kind, const char* call) {
  Queue* q = RequireQueue(queue, call);
  if (q == nullptr || !RequireWork(present, q, call)) return;
  q->Async(std::move(work), kind, nullptr);
}

void SubmitSync(dispatch_queue_t queue, Closure work, bool present, ItemKind kind,
                const char* call) {
  Queue* q = RequireQueue(queue, call);
  if (q == nullptr || !RequireWork(present, q, call)) return;
  q->Sync(std::move(work), kind, call);
}

}  // namespace

dispatch_queue_t dispatch_queue_create(const char* label, dispatch_queue_attr_t attr) {
  Queue* queue = Queue::Create(dispatch::CurrentDomainState(), label != nullptr ? label : "",
                               dispatch::AttributesFromHandle(attr));
  return dispatch::ToHandle<dispatch_queue_t>(queue);
}

dispatch_queue_t dispatch_queue_create_with_target(const char* label, dispatch_queue_attr_t attr,
                                                   dispatch_queue_t target) {
  dispatch_queue_t queue = dispatch_queue_create(label, attr);
  if (target != nullptr) dispatch_set_target_queue(queue, target);
  return queue;
}

const char* dispatch_queue_get_label(dispatch_queue_t queue) {
  if (queue == DISPATCH_CURRENT_QUEUE_LABEL) {
    Queue* current = dispatch::CurrentQueue();
    if (current == nullptr) current = &dispatch::CurrentDomain().state().default_queue();
    return current->label().c_str();
  }
  Queue* q = dispatch::As<Queue>(queue, "dispatch_queue_get_label");
  return q != nullptr ? q->label().c_str() : "";
}

dispatch_qos_class_t dispatch_queue_get_qos_class(dispatch_queue_t queue, int* relative_priority) {
  Queue* q = RequireQueue(queue, "dispatch_queue_get_qos_class");
  if (relative_priority != nullptr) *relative_priority = q ? q->attributes().relative_priority : 0;
  return q != nullptr ? q->attributes().qos : QOS_CLASS_UNSPECIFIED;
}

dispatch_queue_attr_t dispatch_queue_attr_make_with_qos_class(dispatch_queue_attr_t attr,
                                                              dispatch_qos_class_t qos_class,
                                                              int relative_priority) {
  dispatch::QueueAttributes attributes = dispatch::AttributesFromHandle(attr);
  attributes.qos = qos_class;
  attributes.relative_priority = relative_priority;
  return dispatch::HandleForAttributes(attributes);
}

dispatch_queue_attr_t dispatch_queue_attr_make_initially_inactive(dispatch_queue_attr_t attr) {
  dispatch::QueueAttributes attributes = dispatch::AttributesFromHandle(attr);
  attributes.inactive = true;
  return dispatch::HandleForAttributes(attributes);
}

dispatch_queue_main_t dispatch_get_main_queue(void) {
  return dispatch::ToHandle<dispatch_queue_main_t>(&dispatch::CurrentDomain().state().main_queue());
}

dispatch_queue_global_t dispatch_get_global_queue(intptr_t identifier, uintptr_t flags) {
  if (flags != 0) return nullptr;
  Queue* queue = dispatch::CurrentDomain().state().global_queue(identifier);
  return queue != nullptr ? dispatch::ToHandle<dispatch_queue_global_t>(queue) : nullptr;
}

void dispatch_async(dispatch_queue_t queue, dispatch_block_t block) {
  Submit(queue, block ? Closure::FromBlock(block) : Closure(), block != nullptr, ItemKind::kAsync,
         "dispatch_async");
}

void dispatch_async_f(dispatch_queue_t queue, void* context, dispatch_function_t work) {
  Submit(queue, Closure::FromFunction(work, context), work != nullptr, ItemKind::kAsync,
         "dispatch_async_f");
}

void dispatch_barrier_async(dispatch_queue_t queue, dispatch_block_t block) {
  Submit(queue, block ? Closure::FromBlock(block) : Closure(), block != nullptr,
         ItemKind::kBarrier, "dispatch_barrier_async");
}

void dispatch_barrier_async_f(dispatch_queue_t queue, void* context, dispatch_function_t work) {
  Submit(queue, Closure::FromFunction(work, context), work != nullptr, ItemKind::kBarrier,
         "dispatch_barrier_async_f");
}

// dispatch_sync's block does not escape: wrap it without copying.
void dispatch_sync(dispatch_queue_t queue, dispatch_block_t block) {
  SubmitSync(queue, Closure([block] { block(); }), block != nullptr, ItemKind::kSync,
             "dispatch_sync");
}

void dispatch_sync_f(dispatch_queue_t queue, void* context, dispatch_function_t work) {
  SubmitSync(queue, Closure::FromFunction(work, context), work != nullptr, ItemKind::kSync,
             "dispatch_sync_f");
}

void dispatch_barrier_sync(dispatch_queue_t queue, dispatch_block_t block) {
  SubmitSync(queue, Closure([block] { block(); }), block != nullptr, ItemKind::kBarrierSync,
             "dispatch_barrier_sync");
}

void dispatch_barrier_sync_f(dispatch_queue_t queue, void* context, dispatch_function_t work) {
  SubmitSync(queue, Closure::FromFunction(work, context), work != nullptr,
             ItemKind::kBarrierSync, "dispatch_barrier_sync_f");
}

// dispatch_async_and_wait is dispatch_sync here (see <dispatch/queue.h>).
void dispatch_async_and_wait(dispatch_queue_t queue, dispatch_block_t block) {
  SubmitSync(queue, Closure([block] { block(); }), block != nullptr, ItemKind::kSync,
             "dispatch_async_and_wait");
}

void dispatch_async_and_wait_f(dispatch_queue_t queue, void* context, dispatch_function_t work) {
  SubmitSync(queue, Closure::FromFunction(work, context), work != nullptr, ItemKind::kSync,
             "dispatch_async_and_wait_f");
}

void dispatch_barrier_async_and_wait(dispatch_queue_t queue, dispatch_block_t block) {
  SubmitSync(queue, Closure([block] { block(); }), block != nullptr, ItemKind::kBarrierSync,
             "dispatch_barrier_async_and_wait");
}

void dispatch_barrier_async_and_wait_f(dispatch_queue_t queue, void* context,
                                       dispatch_function_t work) {
  SubmitSync(queue, Closure::FromFunction(work, context), work != nullptr,
             ItemKind::kBarrierSync, "dispatch_barrier_async_and_wait_f");
}

namespace {

void After(dispatch_time_t when, dispatch_queue_t queue, Closure work, bool present,
           const char* call) {
  Queue* q = RequireQueue(queue, call);
  if (q == nullptr || !RequireWork(present, q, call)) return;
  if (when == DISPATCH_TIME_FOREVER) return;  // as libdispatch: never runs
  dispatch::Executor* executor = q->scheduler().executor();
  if (executor == nullptr) return;
  if (when == DISPATCH_TIME_NOW) {
    q->Async(std::move(work), ItemKind::kAsync, nullptr);
    return;
  }
  q->After(dispatch::DeadlineFromDispatchTime(*executor, when), std::move(work));
}

}  // namespace

void dispatch_after(dispatch_time_t when, dispatch_queue_t queue, dispatch_block_t block) {
  After(when, queue, block ? Closure::FromBlock(block) : Closure(), block != nullptr,
        "dispatch_after");
}

void dispatch_after_f(dispatch_time_t when, dispatch_queue_t queue, void* context,
                      dispatch_function_t work) {
  After(when, queue, Closure::FromFunction(work, context), work != nullptr, "dispatch_after_f");
}

namespace {

void Apply(size_t iterations, dispatch_queue_t queue, std::function<void(size_t)> body,
           const char* call) {
  Queue* q = queue == DISPATCH_APPLY_AUTO ? &dispatch::CurrentDomain().state().default_queue()
                                          : RequireQueue(queue, call);
  if (q == nullptr) return;
  dispatch::Apply(iterations, *q, std::move(body), call);
}

}  // namespace

void dispatch_apply(size_t iterations, dispatch_queue_t queue, void (^block)(size_t)) {
  if (!RequireWork(block != nullptr, nullptr, "dispatch_apply")) return;
  Apply(iterations, queue, [block](size_t i) { block(i); }, "dispatch_apply");
}

void dispatch_apply_f(size_t iterations, dispatch_queue_t queue, void* context,
                      void (*work)(void*, size_t)) {
  if (!RequireWork(work != nullptr, nullptr, "dispatch_apply_f")) return;
  Apply(iterations, queue, [work, context](size_t i) { work(context, i); }, "dispatch_apply_f");
}

void dispatch_queue_set_specific(dispatch_queue_t queue, const void* key, void* context,
                                 dispatch_function_t destructor) {
  if (Queue* q = RequireQueue(queue, "dispatch_queue_set_specific")) {
    q->SetSpecific(key, context, destructor);
  }
}

void* dispatch_queue_get_specific(dispatch_queue_t queue, const void* key) {
  Queue* q = RequireQueue(queue, "dispatch_queue_get_specific");
  return q != nullptr ? q->GetSpecific(key) : nullptr;
}

void* dispatch_get_specific(const void* key) {
  if (key == nullptr) return nullptr;
  if (const dispatch::ThreadFrame* frame = dispatch::ThreadFrame::Innermost()) {
    for (Queue* q : frame->chain()) {
      if (void* value = q->GetSpecific(key)) return value;
    }
    return nullptr;
  }
  // On a main thread outside any block: the main queue's (a root: no chain).
  Queue* main_queue = dispatch::ThreadFrame::MainQueueHeld();
  return main_queue != nullptr ? main_queue->GetSpecific(key) : nullptr;
}

void dispatch_assert_queue(dispatch_queue_t queue) {
  Queue* q = RequireQueue(queue, "dispatch_assert_queue");
  if (q == nullptr || dispatch::ThreadFrame::Holds(q)) return;
  ReportDispatchMisuse("dispatch_assert_queue",
                       fmt::format("Block was expected to execute on queue [{}]", q->label()),
                       q->Describe());
}

void dispatch_assert_queue_barrier(dispatch_queue_t queue) {
  Queue* q = RequireQueue(queue, "dispatch_assert_queue_barrier");
  if (q == nullptr) return;
  // The main queue held by its main thread is serial: no frame needed.
  const dispatch::ThreadFrame* frame = dispatch::ThreadFrame::FrameHolding(q);
  bool ok = dispatch::ThreadFrame::Holds(q) &&
            (q->serial() || q->role() != dispatch::QueueRole::kCustom ||
             (frame != nullptr && frame->queue() == q && frame->barrier()));
  if (ok) return;
  ReportDispatchMisuse(
      "dispatch_assert_queue_barrier",
      fmt::format("Block was expected to act as a barrier on queue [{}]", q->label()),
      q->Describe());
}

void dispatch_assert_queue_not(dispatch_queue_t queue) {
  Queue* q = RequireQueue(queue, "dispatch_assert_queue_not");
  if (q == nullptr || !dispatch::ThreadFrame::Holds(q)) return;
  ReportDispatchMisuse("dispatch_assert_queue_not",
                       fmt::format("Block was not expected to execute on queue [{}]", q->label()),
                       q->Describe());
}

void dispatch_main(void) {
  if (auto hook = dispatch::DispatchMainHookForRuntime()) hook();
  dispatch::Domain& domain = dispatch::CurrentDomain();
  domain.executor().ServeMainQueue(domain);
}
