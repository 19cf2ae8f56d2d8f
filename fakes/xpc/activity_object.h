// xpc/activity_object.h — xpc_activity_t: the app's handle on one of its
// registered background activities (activity.h).
//
// The object is a thin handle on a runtime::ActivityRecord, where the state
// machine, the criteria and the schedule live (runtime/activity_scheduler.h);
// the same object is handed to every call of the activity's handler. It is
// not copyable (S44) and compares by identity.
//
// Thread safety: every call may come from any thread.
#ifndef XPCTEST_FAKES_XPC_ACTIVITY_OBJECT_H
#define XPCTEST_FAKES_XPC_ACTIVITY_OBJECT_H

#include <xpc/activity.h>
#include <xpc/xpc.h>

#include <memory>

#include "objects/object.h"
#include "runtime/activity_scheduler.h"

namespace xpctest::fakes::xpc {

class Activity : public objects::Object {
 public:
  static constexpr objects::Kind kKind = objects::Kind::kActivity;

  explicit Activity(std::shared_ptr<runtime::ActivityRecord> record);

  runtime::ActivityRecord& record() const { return *record_; }

  // Not copyable, like the other service objects (S44).
  Object* Copy() override { return nullptr; }
  void AppendDescription(std::string& out, int depth) const override;
  // The record goes with the last reference, not with the quarantined storage.
  void Dispose() override { record_.reset(); }

  // The factory the runtime's scheduler makes objects with (+1).
  static xpc_object_t Make(std::shared_ptr<runtime::ActivityRecord> record);

 private:
  std::shared_ptr<runtime::ActivityRecord> record_;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_ACTIVITY_OBJECT_H
