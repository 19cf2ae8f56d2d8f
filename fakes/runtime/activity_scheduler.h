// runtime/activity_scheduler.h — the system's side of xpc_activity (activity.h).
//
// On macOS a system daemon decides when a registered background activity may
// run: after its delay, on its interval, when the device's conditions meet
// its criteria. Here the world does, on the world's clock (virtual on the
// deterministic executor, so a one-day interval costs nothing), under device
// conditions the test sets:
//
//   world.activities().SetDeviceConditions({.on_battery = true});
//   // a Maintenance activity now waits; a Utility one may run (activity.h)
//
// Each activity is an ActivityRecord, found by its namespace (the process's
// name: a launchd job's label, stable across relaunches) and identifier.
// Its state machine follows activity.h:
//
//   register(criteria)     -> WAIT ----(delay passed, conditions hold)----> RUN
//   register(CHECK_IN)     -> CHECK_IN (handler) -> WAIT
//   RUN:  handler returns -> DONE (unless the handler set another state)
//   RUN/CONTINUE -> set_state(DONE)     -> repeating: WAIT, timers reset; else completed
//   RUN/CONTINUE -> set_state(DEFER)    -> WAIT, still past due
//   RUN -> set_state(CONTINUE)          -> the work goes on after the handler
//   any other set_state                 -> false, nothing changes
//
// Rules where Apple is silent (docs/launchd-and-sandbox.md): an activity
// runs at the first moment it is eligible (its delay passed and the device
// allows it), never later; a deferred activity is eligible again when the
// device conditions next change, or after its grace period (one minute when
// it has none); the default priority is Maintenance.
//
// An activity declared in a job's LaunchEvents (com.apple.xpc.activity) is
// registered when the job is loaded; when it comes due and no process
// handles it, the job is launched (as launchd relaunches an idle-exited job)
// and runs once it checks in with XPC_ACTIVITY_CHECK_IN.
//
// Thread safety: all methods may be called from any thread. Handlers run on
// a serial queue of their process, one at a time per activity (never
// re-entered).
#ifndef XPCTEST_FAKES_RUNTIME_ACTIVITY_SCHEDULER_H
#define XPCTEST_FAKES_RUNTIME_ACTIVITY_SCHEDULER_H

#include <dispatch/dispatch.h>
#include <xpc/activity.h>
#include <xpc/xpc.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <xpctest/device.h>

#include "runtime/xpc_ref.h"

namespace xpctest::fakes::runtime {

class ActivityScheduler;
class Process;
class World;

using xpctest::DeviceConditions;
using xpctest::ThermalState;

// "CHECK_IN", "WAIT", "RUN", "DEFER", "CONTINUE", "DONE"; "none" for -1.
const char* ActivityStateName(long state);

// One registered activity. The xpc layer's activity object holds one, and
// the scheduler holds it while it is registered.
class ActivityRecord : public std::enable_shared_from_this<ActivityRecord> {
 public:
  ActivityRecord(ActivityScheduler* scheduler, std::string space, std::string identifier);
  ~ActivityRecord();

  const std::string& identifier() const { return identifier_; }
  const std::string& space() const { return space_; }
  xpc_activity_state_t state() const;
  // xpc_activity_set_state: false for a transition activity.h does not allow.
  bool SetState(xpc_activity_state_t state);
  bool ShouldDefer() const;
  // +1 copy of the criteria, or NULL once a non-repeating activity completed.
  xpc_object_t CopyCriteria() const;
  void SetCriteria(xpc_object_t criteria);

 private:
  friend class ActivityScheduler;

  ActivityScheduler* scheduler_;  // null once the world is gone (guarded by mutex_)
  const std::string space_;
  const std::string identifier_;
  mutable std::mutex mutex_;
  XpcRef criteria_;
  xpc_activity_state_t state_ = XPC_ACTIVITY_STATE_WAIT;
  bool completed_ = false;
  bool registered_ = true;
  bool in_handler_ = false;
  bool defer_requested_ = false;
  bool waiting_for_check_in_ = false;
  // The clock (ns since the world started) the delay and interval count from.
  uint64_t anchor_ns_ = 0;
  // Set while deferred: eligible again at this time or at a device change.
  uint64_t retry_after_ns_ = 0;
  // A repeating activity's next window opens here (an interval after the last).
  uint64_t next_window_ns_ = 0;
  // When the current (or last) run became due: the next interval counts from it.
  uint64_t window_start_ns_ = 0;
  uint64_t timer_generation_ = 0;
  // The registering process's handler and queue (null while none is set).
  Process* process_ = nullptr;
  xpc_activity_handler_t handler_ = nullptr;
  dispatch_queue_t queue_ = nullptr;
  xpc_object_t object_ = nullptr;  // the activity object handed to the handler (retained)
};

class ActivityScheduler {
 public:
  explicit ActivityScheduler(World& world);
  ~ActivityScheduler();

  // Makes the activity object for a new record (+1); set by the xpc layer.
  using ObjectFactory = xpc_object_t (*)(std::shared_ptr<ActivityRecord> record);
  static void SetObjectFactory(ObjectFactory factory);
  // Launches the launchd job `space` when its activity is due and nothing
  // handles it; false when there is no such job.
  void SetLauncher(std::function<bool(const std::string& space)> launch);

  // xpc_activity_register from code running in `process`. `criteria` is
  // XPC_ACTIVITY_CHECK_IN or a dictionary.
  void Register(Process& process, const std::string& identifier, xpc_object_t criteria,
                xpc_activity_handler_t handler);
  // xpc_activity_unregister from `process`.
  void Unregister(Process& process, const std::string& identifier);
  // An activity from a job's plist (LaunchEvents > com.apple.xpc.activity).
  void Declare(const std::string& space, const std::string& identifier, xpc_object_t criteria);
  // The job was unloaded: its activities go.
  void RemoveSpace(const std::string& space);

  void SetDeviceConditions(DeviceConditions conditions);
  DeviceConditions device_conditions() const;
  // The system asks a running activity to defer (xpc_activity_should_defer
  // then says true); false when no such activity is running.
  bool AskToDefer(const std::string& space, const std::string& identifier);
  // The state of a registered activity, or -1 when none is registered.
  long StateOf(const std::string& space, const std::string& identifier) const;

  // Stops all scheduling (the world is ending); Clear then lets go of
  // handlers, queues and objects.
  void Shutdown();
  void Clear();

 private:
  friend class ActivityRecord;
  using Key = std::pair<std::string, std::string>;
  class ProcessWatcher;

  std::shared_ptr<ActivityRecord> FindOrCreate(const std::string& space,
                                               const std::string& identifier, bool* created);
  void Schedule(const std::shared_ptr<ActivityRecord>& record);
  void Run(const std::shared_ptr<ActivityRecord>& record);
  void CallHandler(const std::shared_ptr<ActivityRecord>& record);
  void AfterHandler(const std::shared_ptr<ActivityRecord>& record);
  // The effect of DONE or DEFER, once the handler is not running.
  void Complete(const std::shared_ptr<ActivityRecord>& record);
  void Defer(const std::shared_ptr<ActivityRecord>& record);
  void Forget(const std::shared_ptr<ActivityRecord>& record);
  void LetGo(ActivityRecord& record);
  dispatch_queue_t TimerQueue();
  void OnProcessEnded(Process& process, bool crashed);
  void Note(const ActivityRecord& record, std::string text);
  bool Allows(xpc_object_t criteria) const;
  void WatchProcess(Process& process);
  uint64_t Now() const;

  World& world_;
  mutable std::mutex mutex_;
  bool shut_down_ = false;
  DeviceConditions conditions_;
  std::map<Key, std::shared_ptr<ActivityRecord>> records_;
  // Every record ever made, so that Clear can cut the ones the app still holds loose.
  std::vector<std::weak_ptr<ActivityRecord>> all_;
  std::map<const Process*, std::shared_ptr<ProcessWatcher>> watchers_;
  std::function<bool(const std::string&)> launch_;
  dispatch_queue_t timers_ = nullptr;  // in the host's domain
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_ACTIVITY_SCHEDULER_H
