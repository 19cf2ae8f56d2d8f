// C entry points of <dispatch/source.h>.
#include <dispatch/dispatch.h>

#include "dispatch/api_util.h"
#include "dispatch/source_internal.h"

namespace dispatch = xpctest::fakes::dispatch;
using dispatch::Closure;
using dispatch::Queue;
using dispatch::Source;

dispatch_source_t dispatch_source_create(dispatch_source_type_t type, uintptr_t handle,
                                         uintptr_t mask, dispatch_queue_t queue) {
  if (type != DISPATCH_SOURCE_TYPE_TIMER) return nullptr;
  Queue* target = queue != nullptr ? dispatch::As<Queue>(queue, "dispatch_source_create")
                                   : &dispatch::CurrentDomain().state().default_queue();
  if (target == nullptr) return nullptr;
  return dispatch::ToHandle<dispatch_source_t>(
      Source::Create(dispatch::CurrentDomainState(), handle, mask, *target));
}

namespace {

void SetBlock(dispatch_source_t source, Source::Handler which, dispatch_block_t block,
              const char* call) {
  if (Source* s = dispatch::As<Source>(source, call)) {
    s->SetHandler(which, block != nullptr ? Closure::FromBlock(block) : Closure());
  }
}

void SetFunction(dispatch_source_t source, Source::Handler which, dispatch_function_t function,
                 const char* call) {
  if (Source* s = dispatch::As<Source>(source, call)) s->SetHandlerFunction(which, function);
}

}  // namespace

void dispatch_source_set_event_handler(dispatch_source_t source, dispatch_block_t handler) {
  SetBlock(source, Source::Handler::kEvent, handler, "dispatch_source_set_event_handler");
}
void dispatch_source_set_event_handler_f(dispatch_source_t source, dispatch_function_t handler) {
  SetFunction(source, Source::Handler::kEvent, handler, "dispatch_source_set_event_handler_f");
}
void dispatch_source_set_cancel_handler(dispatch_source_t source, dispatch_block_t handler) {
  SetBlock(source, Source::Handler::kCancel, handler, "dispatch_source_set_cancel_handler");
}
void dispatch_source_set_cancel_handler_f(dispatch_source_t source, dispatch_function_t handler) {
  SetFunction(source, Source::Handler::kCancel, handler, "dispatch_source_set_cancel_handler_f");
}
void dispatch_source_set_registration_handler(dispatch_source_t source, dispatch_block_t handler) {
  SetBlock(source, Source::Handler::kRegistration, handler,
           "dispatch_source_set_registration_handler");
}
void dispatch_source_set_registration_handler_f(dispatch_source_t source,
                                                dispatch_function_t handler) {
  SetFunction(source, Source::Handler::kRegistration, handler,
              "dispatch_source_set_registration_handler_f");
}

void dispatch_source_cancel(dispatch_source_t source) {
  if (Source* s = dispatch::As<Source>(source, "dispatch_source_cancel")) s->Cancel();
}

intptr_t dispatch_source_testcancel(dispatch_source_t source) {
  Source* s = dispatch::As<Source>(source, "dispatch_source_testcancel");
  return s != nullptr && s->cancelled() ? 1 : 0;
}

uintptr_t dispatch_source_get_handle(dispatch_source_t source) {
  Source* s = dispatch::As<Source>(source, "dispatch_source_get_handle");
  return s != nullptr ? s->handle() : 0;
}

uintptr_t dispatch_source_get_mask(dispatch_source_t source) {
  Source* s = dispatch::As<Source>(source, "dispatch_source_get_mask");
  return s != nullptr ? s->mask() : 0;
}

uintptr_t dispatch_source_get_data(dispatch_source_t source) {
  Source* s = dispatch::As<Source>(source, "dispatch_source_get_data");
  return s != nullptr ? s->data() : 0;
}

void dispatch_source_set_timer(dispatch_source_t source, dispatch_time_t start, uint64_t interval,
                               uint64_t leeway) {
  if (Source* s = dispatch::As<Source>(source, "dispatch_source_set_timer")) {
    s->SetTimer(start, interval);
  }
}
