// C entry points of <dispatch/object.h>: retain/release, context, and the
// calls that apply to several kinds (suspend, resume, activate, target).
#include <dispatch/dispatch.h>

#include "dispatch/api_util.h"
#include "dispatch/source_internal.h"

namespace dispatch = xpctest::fakes::dispatch;
using dispatch::Object;
using dispatch::ObjectKind;
using dispatch::Queue;
using dispatch::Source;
using xpctest::fakes::ReportDispatchMisuse;

void dispatch_retain(dispatch_object_t object) {
  if (Object* o = dispatch::FromHandle(object, "dispatch_retain")) o->RetainExternal();
}

void dispatch_release(dispatch_object_t object) {
  if (Object* o = dispatch::FromHandle(object, "dispatch_release")) o->ReleaseExternal("dispatch_release");
}

void* dispatch_get_context(dispatch_object_t object) {
  Object* o = dispatch::FromHandle(object, "dispatch_get_context");
  return o != nullptr ? o->context() : nullptr;
}

void dispatch_set_context(dispatch_object_t object, void* context) {
  Object* o = dispatch::FromHandle(object, "dispatch_set_context");
  if (o != nullptr && !o->immortal()) o->set_context(context);
}

void dispatch_set_finalizer_f(dispatch_object_t object, dispatch_function_t finalizer) {
  Object* o = dispatch::FromHandle(object, "dispatch_set_finalizer_f");
  if (o != nullptr && !o->immortal()) o->set_finalizer(finalizer);
}

namespace {

// Suspend, resume, activate and retarget apply to queues and sources only.
template <class OnQueue, class OnSource>
void ForQueueOrSource(dispatch_object_t object, const char* call, OnQueue on_queue,
                      OnSource on_source) {
  Object* o = dispatch::FromHandle(object, call);
  if (o == nullptr) return;
  switch (o->kind()) {
    case ObjectKind::kQueue: on_queue(static_cast<Queue&>(*o)); return;
    case ObjectKind::kSource: on_source(static_cast<Source&>(*o)); return;
    default:
      ReportDispatchMisuse(call, fmt::format("{} called on an object that is neither a queue nor a source", call),
                           o->Describe());
  }
}

}  // namespace

void dispatch_activate(dispatch_object_t object) {
  ForQueueOrSource(object, "dispatch_activate", [](Queue& q) { q.Activate(); },
                   [](Source& s) { s.Activate(); });
}

void dispatch_suspend(dispatch_object_t object) {
  ForQueueOrSource(object, "dispatch_suspend", [](Queue& q) { q.Suspend(); },
                   [](Source& s) { s.Suspend(); });
}

void dispatch_resume(dispatch_object_t object) {
  ForQueueOrSource(object, "dispatch_resume", [](Queue& q) { q.Resume("dispatch_resume"); },
                   [](Source& s) { s.Resume("dispatch_resume"); });
}

void dispatch_set_target_queue(dispatch_object_t object, dispatch_queue_t queue) {
  Queue* target = nullptr;
  if (queue != nullptr) {
    target = dispatch::As<Queue>(queue, "dispatch_set_target_queue");
    if (target == nullptr) return;
  }
  ForQueueOrSource(object, "dispatch_set_target_queue", [&](Queue& q) { q.SetTarget(target); },
                   [&](Source& s) { s.SetTarget(target); });
}
