// The C entry points of <xpc/activity.h>: each checks its arguments and asks
// the world's activity scheduler (runtime/activity_scheduler.h).
#include <xpc/activity.h>

#include <string>

#include "base/report.h"
#include "objects/dictionary.h"
#include "runtime/launchd_plist.h"
#include "runtime/world.h"
#include "xpc/activity_object.h"

using xpctest::fakes::ReportWarning;
using xpctest::fakes::ReportXpcMisuse;
using xpctest::fakes::objects::As;
using xpctest::fakes::runtime::ActivityScheduler;
using xpctest::fakes::runtime::World;
using xpctest::fakes::xpc::Activity;

namespace {

// The scheduler makes activity objects through the xpc layer (it sits below it).
const bool g_factory_installed = [] {
  ActivityScheduler::SetObjectFactory(&Activity::Make);
  return true;
}();

// A criteria dictionary, or XPC_ACTIVITY_CHECK_IN where that is allowed.
bool CheckCriteria(const char* call, xpc_object_t criteria, bool check_in_allowed) {
  if (criteria == nullptr) {
    ReportXpcMisuse(call, "The criteria must not be NULL.");
    return false;
  }
  if (criteria == XPC_ACTIVITY_CHECK_IN) {
    if (check_in_allowed) return true;
    ReportXpcMisuse(call, "XPC_ACTIVITY_CHECK_IN is not a set of criteria.");
    return false;
  }
  if (xpc_get_type(criteria) != XPC_TYPE_DICTIONARY) {
    char* description = xpc_copy_description(criteria);
    std::string text = description;
    free(description);
    ReportXpcMisuse(call, "The criteria must be a dictionary.", text);
    return false;
  }
  std::string error;
  if (!xpctest::fakes::runtime::CheckActivityCriteria(criteria, "criteria", &error)) {
    // libxpc does not say what it does with a mistyped key; the scheduler
    // ignores it, and the mistake is worth a warning.
    ReportWarning(call, error);
  }
  return true;
}

}  // namespace

extern "C" {

void xpc_activity_register(const char* identifier, xpc_object_t criteria,
                           xpc_activity_handler_t handler) {
  (void)g_factory_installed;
  if (identifier == nullptr || !handler) {
    ReportXpcMisuse("xpc_activity_register", "The identifier and the handler must not be NULL.");
    return;
  }
  if (!CheckCriteria("xpc_activity_register", criteria, true)) return;
  World& world = World::Current();
  world.activities().Register(world.CurrentProcess(), identifier, criteria, handler);
}

xpc_object_t xpc_activity_copy_criteria(xpc_activity_t activity) {
  Activity* object = As<Activity>(activity, "xpc_activity_copy_criteria");
  return object != nullptr ? object->record().CopyCriteria() : nullptr;
}

void xpc_activity_set_criteria(xpc_activity_t activity, xpc_object_t criteria) {
  Activity* object = As<Activity>(activity, "xpc_activity_set_criteria");
  if (object == nullptr || !CheckCriteria("xpc_activity_set_criteria", criteria, false)) return;
  object->record().SetCriteria(criteria);
}

xpc_activity_state_t xpc_activity_get_state(xpc_activity_t activity) {
  Activity* object = As<Activity>(activity, "xpc_activity_get_state");
  return object != nullptr ? object->record().state() : XPC_ACTIVITY_STATE_DONE;
}

bool xpc_activity_set_state(xpc_activity_t activity, xpc_activity_state_t state) {
  Activity* object = As<Activity>(activity, "xpc_activity_set_state");
  return object != nullptr && object->record().SetState(state);
}

bool xpc_activity_should_defer(xpc_activity_t activity) {
  Activity* object = As<Activity>(activity, "xpc_activity_should_defer");
  return object != nullptr && object->record().ShouldDefer();
}

void xpc_activity_unregister(const char* identifier) {
  if (identifier == nullptr) {
    ReportXpcMisuse("xpc_activity_unregister", "The identifier must not be NULL.");
    return;
  }
  World& world = World::Current();
  world.activities().Unregister(world.CurrentProcess(), identifier);
}

}  // extern "C"
