#include "xpc/activity_object.h"

#include <fmt/format.h>

namespace xpctest::fakes::xpc {

Activity::Activity(std::shared_ptr<runtime::ActivityRecord> record)
    : Object(XPC_TYPE_ACTIVITY), record_(std::move(record)) {}

// No real sample is known (S110); this follows the shape of the other kinds.
void Activity::AppendDescription(std::string& out, int depth) const {
  if (record_ == nullptr) {  // disposed
    out += fmt::format("<activity: {}>", static_cast<const void*>(this));
    return;
  }
  out += fmt::format("<activity: {}> {{ identifier = {}, state = {} }}",
                     static_cast<const void*>(this), record_->identifier(),
                     runtime::ActivityStateName(record_->state()));
}

xpc_object_t Activity::Make(std::shared_ptr<runtime::ActivityRecord> record) {
  return objects::ToHandle(new Activity(std::move(record)));
}

}  // namespace xpctest::fakes::xpc
