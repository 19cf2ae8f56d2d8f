// dispatch/api_util.h — handle checks shared by the C entry points.
//
//   Queue* q = RequireQueue(queue, "dispatch_async");
//   if (q == nullptr) return;   // reported
#ifndef XPCTEST_FAKES_DISPATCH_API_UTIL_H
#define XPCTEST_FAKES_DISPATCH_API_UTIL_H

#include <dispatch/dispatch.h>

#include <fmt/format.h>

#include <string_view>

#include "base/report.h"
#include "dispatch/domain.h"
#include "dispatch/domain_internal.h"
#include "dispatch/object_internal.h"
#include "dispatch/queue_internal.h"

namespace xpctest::fakes::dispatch {

// The queue behind a handle; reports "<call> called with a NULL queue".
inline Queue* RequireQueue(dispatch_queue_t handle, std::string_view call) {
  if (handle == nullptr) {
    ReportDispatchMisuse(call, fmt::format("{} called with a NULL queue", call));
    return nullptr;
  }
  return As<Queue>(handle, call);
}

// Reports "<call> called with a NULL block" naming the queue.
inline bool RequireWork(bool present, Queue* queue, std::string_view call) {
  if (present) return true;
  ReportDispatchMisuse(call, fmt::format("{} called with a NULL block", call),
                       queue != nullptr ? queue->Describe() : std::string());
  return false;
}

// The current domain's state, for objects being created.
inline std::shared_ptr<DomainState> CurrentDomainState() {
  return CurrentDomain().shared_state();
}

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_API_UTIL_H
