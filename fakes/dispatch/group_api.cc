// C entry points of <dispatch/group.h>.
#include <dispatch/dispatch.h>

#include "dispatch/api_util.h"
#include "dispatch/group_internal.h"
#include "dispatch/semaphore_internal.h"

namespace dispatch = xpctest::fakes::dispatch;
using dispatch::Closure;
using dispatch::Group;
using dispatch::Queue;

dispatch_group_t dispatch_group_create(void) {
  return dispatch::ToHandle<dispatch_group_t>(Group::Create(dispatch::CurrentDomainState()));
}

namespace {

void GroupAsync(dispatch_group_t group, dispatch_queue_t queue, Closure work, bool present,
                const char* call) {
  Group* g = dispatch::As<Group>(group, call);
  Queue* q = dispatch::RequireQueue(queue, call);
  if (g == nullptr || q == nullptr || !dispatch::RequireWork(present, q, call)) return;
  g->Async(*q, std::move(work));
}

void GroupNotify(dispatch_group_t group, dispatch_queue_t queue, Closure work, bool present,
                 const char* call) {
  Group* g = dispatch::As<Group>(group, call);
  Queue* q = dispatch::RequireQueue(queue, call);
  if (g == nullptr || q == nullptr || !dispatch::RequireWork(present, q, call)) return;
  g->Notify(*q, std::move(work));
}

}  // namespace

void dispatch_group_async(dispatch_group_t group, dispatch_queue_t queue, dispatch_block_t block) {
  GroupAsync(group, queue, block ? Closure::FromBlock(block) : Closure(), block != nullptr,
             "dispatch_group_async");
}

void dispatch_group_async_f(dispatch_group_t group, dispatch_queue_t queue, void* context,
                            dispatch_function_t work) {
  GroupAsync(group, queue, Closure::FromFunction(work, context), work != nullptr,
             "dispatch_group_async_f");
}

intptr_t dispatch_group_wait(dispatch_group_t group, dispatch_time_t timeout) {
  Group* g = dispatch::As<Group>(group, "dispatch_group_wait");
  return g != nullptr ? g->Wait(timeout) : dispatch::kWaitTimedOut;
}

void dispatch_group_notify(dispatch_group_t group, dispatch_queue_t queue, dispatch_block_t block) {
  GroupNotify(group, queue, block ? Closure::FromBlock(block) : Closure(), block != nullptr,
              "dispatch_group_notify");
}

void dispatch_group_notify_f(dispatch_group_t group, dispatch_queue_t queue, void* context,
                             dispatch_function_t work) {
  GroupNotify(group, queue, Closure::FromFunction(work, context), work != nullptr,
              "dispatch_group_notify_f");
}

void dispatch_group_enter(dispatch_group_t group) {
  if (Group* g = dispatch::As<Group>(group, "dispatch_group_enter")) g->Enter();
}

void dispatch_group_leave(dispatch_group_t group) {
  if (Group* g = dispatch::As<Group>(group, "dispatch_group_leave")) g->Leave("dispatch_group_leave");
}
