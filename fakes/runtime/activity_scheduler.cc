#include "runtime/activity_scheduler.h"

#include <Block.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "base/block_release.h"
#include "dispatch/closure.h"
#include "dispatch/domain.h"
#include "runtime/process.h"
#include "runtime/system_timer.h"
#include "runtime/world.h"

namespace xpctest::fakes::runtime {
namespace {

constexpr uint64_t kNanosPerSecond = 1000000000;
// A deferred activity with no grace period is eligible again after this long
// (docs/launchd-and-sandbox.md; Apple does not say).
constexpr uint64_t kDeferRetryNs = 60 * kNanosPerSecond;
// A repeating activity runs at most this often, whatever its criteria say:
// the shortest interval activity.h names (XPC_ACTIVITY_INTERVAL_1_MIN).
constexpr uint64_t kShortestRepeatNs = 60 * kNanosPerSecond;

std::atomic<ActivityScheduler::ObjectFactory> g_object_factory{nullptr};

int64_t Seconds(xpc_object_t criteria, const char* key, int64_t fallback) {
  xpc_object_t value = xpc_dictionary_get_value(criteria, key);
  return value != nullptr && xpc_get_type(value) == XPC_TYPE_INT64 ? xpc_int64_get_value(value)
                                                                   : fallback;
}

bool Flag(xpc_object_t criteria, const char* key, bool fallback) {
  xpc_object_t value = xpc_dictionary_get_value(criteria, key);
  return value != nullptr && xpc_get_type(value) == XPC_TYPE_BOOL ? xpc_bool_get_value(value)
                                                                  : fallback;
}

// activity.h: an interval implies a delay and a grace period of half of it,
// and repeating.
uint64_t DelayNs(xpc_object_t criteria) {
  int64_t interval = Seconds(criteria, XPC_ACTIVITY_INTERVAL, 0);
  return static_cast<uint64_t>(Seconds(criteria, XPC_ACTIVITY_DELAY, interval / 2)) *
         kNanosPerSecond;
}

uint64_t GraceNs(xpc_object_t criteria) {
  int64_t interval = Seconds(criteria, XPC_ACTIVITY_INTERVAL, 0);
  return static_cast<uint64_t>(Seconds(criteria, XPC_ACTIVITY_GRACE_PERIOD, interval / 2)) *
         kNanosPerSecond;
}

bool Repeats(xpc_object_t criteria) {
  return Flag(criteria, XPC_ACTIVITY_REPEATING, Seconds(criteria, XPC_ACTIVITY_INTERVAL, 0) > 0);
}

}  // namespace

const char* ActivityStateName(long state) {
  switch (state) {
    case XPC_ACTIVITY_STATE_CHECK_IN: return "CHECK_IN";
    case XPC_ACTIVITY_STATE_WAIT: return "WAIT";
    case XPC_ACTIVITY_STATE_RUN: return "RUN";
    case XPC_ACTIVITY_STATE_DEFER: return "DEFER";
    case XPC_ACTIVITY_STATE_CONTINUE: return "CONTINUE";
    case XPC_ACTIVITY_STATE_DONE: return "DONE";
    case -1: return "none";
  }
  return "?";
}

// Forgets the activity handlers of a process that ended.
class ActivityScheduler::ProcessWatcher : public Resident {
 public:
  ProcessWatcher(ActivityScheduler& scheduler, Process& process)
      : scheduler_(scheduler), process_(process) {}
  void OnProcessEnded(ProcessEnd how) override {
    scheduler_.OnProcessEnded(process_, how == ProcessEnd::kCrash);
  }

 private:
  ActivityScheduler& scheduler_;
  Process& process_;
};

// --- ActivityRecord ----------------------------------------------------------

ActivityRecord::ActivityRecord(ActivityScheduler* scheduler, std::string space,
                               std::string identifier)
    : scheduler_(scheduler), space_(std::move(space)), identifier_(std::move(identifier)) {}

ActivityRecord::~ActivityRecord() = default;

xpc_activity_state_t ActivityRecord::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

bool ActivityRecord::SetState(xpc_activity_state_t state) {
  ActivityScheduler* scheduler;
  bool apply_now;
  xpc_activity_state_t from;
  {
    std::lock_guard lock(mutex_);
    from = state_;
    scheduler = scheduler_;
    // activity.h: the app may set DEFER, CONTINUE or DONE, and only while the
    // activity runs (RUN, or CONTINUE after its handler returned).
    bool settable = state == XPC_ACTIVITY_STATE_DEFER || state == XPC_ACTIVITY_STATE_CONTINUE ||
                    state == XPC_ACTIVITY_STATE_DONE;
    bool running = state_ == XPC_ACTIVITY_STATE_RUN || state_ == XPC_ACTIVITY_STATE_CONTINUE;
    if (!settable || !running || scheduler == nullptr) return false;
    state_ = state;
    // Inside the handler the effect comes when it returns (AfterHandler).
    apply_now = !in_handler_ && state != XPC_ACTIVITY_STATE_CONTINUE;
  }
  scheduler->Note(*this, fmt::format("set_state {} -> {}", ActivityStateName(from), ActivityStateName(state)));
  if (apply_now) {
    std::shared_ptr<ActivityRecord> self = shared_from_this();
    if (state == XPC_ACTIVITY_STATE_DONE) {
      scheduler->Complete(self);
    } else {
      scheduler->Defer(self);
    }
  }
  return true;
}

bool ActivityRecord::ShouldDefer() const {
  ActivityScheduler* scheduler;
  XpcRef criteria;
  {
    std::lock_guard lock(mutex_);
    bool running = state_ == XPC_ACTIVITY_STATE_RUN || state_ == XPC_ACTIVITY_STATE_CONTINUE;
    if (!running || scheduler_ == nullptr) return false;
    if (defer_requested_) return true;
    scheduler = scheduler_;
    criteria = criteria_;
  }
  // Not under our lock: the scheduler takes its own before a record's
  // (state() while it walks its records).
  return !scheduler->Allows(criteria.get());
}

xpc_object_t ActivityRecord::CopyCriteria() const {
  std::lock_guard lock(mutex_);
  if (completed_ || !criteria_) return nullptr;
  return xpc_copy(criteria_.get());
}

void ActivityRecord::SetCriteria(xpc_object_t criteria) {
  ActivityScheduler* scheduler;
  {
    std::lock_guard lock(mutex_);
    criteria_ = XpcRef::Adopt(xpc_copy(criteria));
    scheduler = scheduler_;
  }
  if (scheduler != nullptr) scheduler->Schedule(shared_from_this());
}

// --- ActivityScheduler -------------------------------------------------------

void ActivityScheduler::SetObjectFactory(ObjectFactory factory) { g_object_factory = factory; }

ActivityScheduler::ActivityScheduler(World& world) : world_(world) {}

ActivityScheduler::~ActivityScheduler() { Clear(); }

void ActivityScheduler::SetLauncher(std::function<bool(const std::string&)> launch) {
  std::lock_guard lock(mutex_);
  launch_ = std::move(launch);
}

uint64_t ActivityScheduler::Now() const { return world_.NowNs(); }

dispatch_queue_t ActivityScheduler::TimerQueue() {
  std::lock_guard lock(mutex_);
  if (timers_ == nullptr) timers_ = NewSystemQueue(world_, "xpctest.activity-scheduler");
  return timers_;
}

void ActivityScheduler::Note(const ActivityRecord& record, std::string text) {
  Process* process = nullptr;
  {
    std::lock_guard lock(record.mutex_);
    process = record.process_;
  }
  world_.Record(TraceKind::kNote, process != nullptr ? *process : world_.host(),
                "activity " + record.identifier_ + ": " + text);
}

std::shared_ptr<ActivityRecord> ActivityScheduler::FindOrCreate(const std::string& space,
                                                                const std::string& identifier,
                                                                bool* created) {
  std::lock_guard lock(mutex_);
  if (shut_down_) return nullptr;
  std::shared_ptr<ActivityRecord>& slot = records_[{space, identifier}];
  *created = slot == nullptr;
  if (slot == nullptr) {
    slot = std::make_shared<ActivityRecord>(this, space, identifier);
    slot->anchor_ns_ = Now();
    slot->criteria_ = XpcRef::Adopt(xpc_dictionary_create_empty());
    std::erase_if(all_, [](const std::weak_ptr<ActivityRecord>& r) { return r.expired(); });
    all_.push_back(slot);
  }
  return slot;
}

void ActivityScheduler::WatchProcess(Process& process) {
  std::shared_ptr<ProcessWatcher> watcher;
  {
    std::lock_guard lock(mutex_);
    std::shared_ptr<ProcessWatcher>& slot = watchers_[&process];
    if (slot != nullptr) return;
    slot = std::make_shared<ProcessWatcher>(*this, process);
    watcher = slot;
  }
  process.AddResident(watcher);
}

void ActivityScheduler::Register(Process& process, const std::string& identifier,
                                 xpc_object_t criteria, xpc_activity_handler_t handler) {
  bool created = false;
  std::shared_ptr<ActivityRecord> record = FindOrCreate(process.name(), identifier, &created);
  if (record == nullptr) return;
  WatchProcess(process);
  bool check_in = criteria == XPC_ACTIVITY_CHECK_IN;
  xpc_activity_handler_t old_handler;
  dispatch_queue_t old_queue;
  {
    std::lock_guard lock(record->mutex_);
    old_handler = std::exchange(record->handler_, Block_copy(handler));
    old_queue = std::exchange(record->queue_, nullptr);
    {
      dispatch::ScopedCurrentDomain as(process.domain());
      // activity.h: never invoked re-entrantly; a serial queue of the process.
      record->queue_ = dispatch_queue_create(("xpc.activity." + identifier).c_str(),
                                             DISPATCH_QUEUE_SERIAL);
    }
    record->process_ = &process;
    // The xpc layer, which registered the factory, is what calls Register.
    if (record->object_ == nullptr) record->object_ = g_object_factory.load()(record);
    if (!check_in) {
      // activity.h: new criteria override the existing ones.
      record->criteria_ = XpcRef::Adopt(xpc_copy(criteria));
      record->anchor_ns_ = Now();
      record->completed_ = false;
    }
    record->waiting_for_check_in_ = false;
    record->timer_generation_++;
    record->state_ = check_in ? XPC_ACTIVITY_STATE_CHECK_IN : XPC_ACTIVITY_STATE_WAIT;
  }
  if (old_handler) ReleaseBlock(old_handler);
  if (old_queue != nullptr) dispatch_release(old_queue);
  Note(*record, check_in ? (created ? "checked in (new, empty criteria)" : "checked in")
                         : "registered");
  if (check_in) {
    CallHandler(record);
  } else {
    Schedule(record);
  }
}

void ActivityScheduler::Declare(const std::string& space, const std::string& identifier,
                                xpc_object_t criteria) {
  bool created = false;
  std::shared_ptr<ActivityRecord> record = FindOrCreate(space, identifier, &created);
  if (record == nullptr) return;
  {
    std::lock_guard lock(record->mutex_);
    record->criteria_ = XpcRef::Adopt(xpc_copy(criteria));
    record->anchor_ns_ = Now();
  }
  world_.Record(TraceKind::kNote, world_.host(),
                "activity " + identifier + ": declared by the launchd job " + space);
  Schedule(record);
}

void ActivityScheduler::Unregister(Process& process, const std::string& identifier) {
  std::shared_ptr<ActivityRecord> record;
  {
    std::lock_guard lock(mutex_);
    auto it = records_.find({process.name(), identifier});
    if (it == records_.end()) return;
    record = it->second;
  }
  Note(*record, "unregistered");
  Forget(record);
}

void ActivityScheduler::RemoveSpace(const std::string& space) {
  std::vector<std::shared_ptr<ActivityRecord>> gone;
  {
    std::lock_guard lock(mutex_);
    for (auto& [key, record] : records_) {
      if (key.first == space) gone.push_back(record);
    }
  }
  for (auto& record : gone) Forget(record);
}

// No more handler calls; the record leaves the registry. A running handler
// finishes, and the objects the app holds keep their last state.
void ActivityScheduler::Forget(const std::shared_ptr<ActivityRecord>& record) {
  {
    std::lock_guard lock(mutex_);
    auto it = records_.find({record->space_, record->identifier_});
    if (it != records_.end() && it->second == record) records_.erase(it);
  }
  {
    std::lock_guard lock(record->mutex_);
    record->registered_ = false;
    record->timer_generation_++;
  }
  LetGo(*record);
}

// Releases what a record holds for its process: the handler (a running call
// holds its own copy), its queue, and the object (the factory's +1).
void ActivityScheduler::LetGo(ActivityRecord& record) {
  xpc_activity_handler_t handler;
  dispatch_queue_t queue;
  xpc_object_t object;
  {
    std::lock_guard lock(record.mutex_);
    handler = std::exchange(record.handler_, nullptr);
    queue = std::exchange(record.queue_, nullptr);
    object = std::exchange(record.object_, nullptr);
  }
  if (handler) ReleaseBlock(handler);
  if (queue != nullptr) dispatch_release(queue);
  if (object != nullptr) xpc_release(object);
}

bool ActivityScheduler::Allows(xpc_object_t criteria) const {
  DeviceConditions device;
  {
    std::lock_guard lock(mutex_);
    device = conditions_;
  }
  const char* priority = xpc_dictionary_get_string(criteria, XPC_ACTIVITY_PRIORITY);
  bool utility = priority != nullptr && strcmp(priority, XPC_ACTIVITY_PRIORITY_UTILITY) == 0;
  // activity.h: battery is allowed by default for utility, not for maintenance.
  if (device.on_battery && !Flag(criteria, XPC_ACTIVITY_ALLOW_BATTERY, utility)) return false;
  if (Flag(criteria, XPC_ACTIVITY_REQUIRE_SCREEN_SLEEP, false) && !device.screen_asleep) {
    return false;
  }
  // activity.h: maintenance needs a nominal thermal state and 20% battery;
  // utility at most a moderate (fair) one and 10%.
  if (utility) return device.thermal <= ThermalState::kFair && device.battery_level >= 10;
  return device.thermal == ThermalState::kNominal && device.battery_level >= 20;
}

void ActivityScheduler::Schedule(const std::shared_ptr<ActivityRecord>& record) {
  uint64_t due;
  uint64_t generation;
  XpcRef criteria;
  {
    std::lock_guard lock(record->mutex_);
    if (!record->registered_ || record->state_ != XPC_ACTIVITY_STATE_WAIT ||
        record->waiting_for_check_in_) {
      return;
    }
    criteria = record->criteria_;
    due = std::max({record->anchor_ns_ + DelayNs(criteria.get()), record->next_window_ns_,
                    record->retry_after_ns_});
    generation = ++record->timer_generation_;
  }
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) return;
  }
  uint64_t now = Now();
  if (now < due) {
    std::weak_ptr<ActivityRecord> weak = record;
    RunLater(world_, TimerQueue(), due - now, [this, weak, generation] {
      std::shared_ptr<ActivityRecord> due_record = weak.lock();
      if (due_record == nullptr) return;
      {
        std::lock_guard lock(due_record->mutex_);
        if (due_record->timer_generation_ != generation) return;
      }
      Schedule(due_record);
    });
    return;
  }
  // Due: it waits for the device (SetDeviceConditions re-evaluates).
  if (!Allows(criteria.get())) return;
  {
    std::lock_guard lock(record->mutex_);
    record->window_start_ns_ = due;
    record->retry_after_ns_ = 0;
  }
  Run(record);
}

void ActivityScheduler::Run(const std::shared_ptr<ActivityRecord>& record) {
  bool has_handler;
  {
    std::lock_guard lock(record->mutex_);
    has_handler = record->handler_ != nullptr;
    if (has_handler) {
      record->state_ = XPC_ACTIVITY_STATE_RUN;
      record->defer_requested_ = false;
    } else {
      record->waiting_for_check_in_ = true;
    }
  }
  if (has_handler) {
    Note(*record, "runs");
    CallHandler(record);
    return;
  }
  // activity.h: a job that idle-exited is relaunched when its activity may
  // run; it runs once the job checks in again.
  std::function<bool(const std::string&)> launch;
  {
    std::lock_guard lock(mutex_);
    launch = launch_;
  }
  Note(*record, "due, and no process handles it: launching " + record->space_);
  if (!launch || !launch(record->space_)) {
    Note(*record, "due, but " + record->space_ + " is not a launchd job that can be launched");
  }
}

void ActivityScheduler::CallHandler(const std::shared_ptr<ActivityRecord>& record) {
  xpc_activity_handler_t handler;
  dispatch_queue_t queue;
  xpc_object_t object;
  {
    std::lock_guard lock(record->mutex_);
    handler = nullptr;
    if (record->handler_ != nullptr) handler = Block_copy(record->handler_);
    queue = record->queue_;
    object = record->object_ != nullptr ? xpc_retain(record->object_) : nullptr;
    if (handler == nullptr || queue == nullptr || object == nullptr) {
      if (handler) ReleaseBlock(handler);
      if (object != nullptr) xpc_release(object);
      return;
    }
    dispatch_retain(queue);
  }
  std::shared_ptr<ActivityRecord> held = record;
  dispatch_async(queue, ^{
    {
      std::lock_guard lock(held->mutex_);
      held->in_handler_ = true;
    }
    handler(static_cast<xpc_activity_t>(object));
    {
      std::lock_guard lock(held->mutex_);
      held->in_handler_ = false;
    }
    AfterHandler(held);
    xpc_release(object);
    ReleaseBlock(handler);
  });
  dispatch_release(queue);
}

void ActivityScheduler::AfterHandler(const std::shared_ptr<ActivityRecord>& record) {
  xpc_activity_state_t state;
  {
    std::lock_guard lock(record->mutex_);
    state = record->state_;
    if (state == XPC_ACTIVITY_STATE_CHECK_IN) record->state_ = XPC_ACTIVITY_STATE_WAIT;
  }
  switch (state) {
    case XPC_ACTIVITY_STATE_CHECK_IN:
      Schedule(record);
      break;
    case XPC_ACTIVITY_STATE_RUN:
      // The handler returned without saying otherwise: the work is done.
      Note(*record, "handler returned in RUN: done");
      {
        std::lock_guard lock(record->mutex_);
        record->state_ = XPC_ACTIVITY_STATE_DONE;
      }
      Complete(record);
      break;
    case XPC_ACTIVITY_STATE_DONE: Complete(record); break;
    case XPC_ACTIVITY_STATE_DEFER: Defer(record); break;
    default: break;  // CONTINUE: the app finishes later
  }
}

void ActivityScheduler::Complete(const std::shared_ptr<ActivityRecord>& record) {
  bool repeats;
  {
    std::lock_guard lock(record->mutex_);
    repeats = Repeats(record->criteria_.get());
    if (repeats) {
      // activity.h: a repeating activity's timers are reset.
      record->state_ = XPC_ACTIVITY_STATE_WAIT;
      // activity.h: runs are an interval apart on average, and never closer
      // than the delay: the next window opens an interval after this one's.
      uint64_t interval =
          static_cast<uint64_t>(Seconds(record->criteria_.get(), XPC_ACTIVITY_INTERVAL, 0)) *
          kNanosPerSecond;
      record->anchor_ns_ = Now();
      record->next_window_ns_ =
          std::max(Now() + kShortestRepeatNs, record->window_start_ns_ + interval);
    } else {
      record->state_ = XPC_ACTIVITY_STATE_DONE;
      record->completed_ = true;
    }
  }
  Note(*record, repeats ? "done; waits for its next interval" : "done; completed");
  if (repeats) {
    Schedule(record);
  } else {
    Forget(record);
  }
}

void ActivityScheduler::Defer(const std::shared_ptr<ActivityRecord>& record) {
  {
    std::lock_guard lock(record->mutex_);
    // activity.h: back to WAIT, still past due (the anchor stays).
    record->state_ = XPC_ACTIVITY_STATE_WAIT;
    uint64_t grace = GraceNs(record->criteria_.get());
    record->retry_after_ns_ = Now() + (grace > 0 ? grace : kDeferRetryNs);
  }
  Note(*record, "deferred; waits for the device or its grace period");
  Schedule(record);
}

void ActivityScheduler::OnProcessEnded(Process& process, bool crashed) {
  std::vector<std::shared_ptr<ActivityRecord>> affected;
  {
    std::lock_guard lock(mutex_);
    watchers_.erase(&process);
    for (auto& [key, record] : records_) affected.push_back(record);
  }
  for (auto& record : affected) {
    xpc_activity_handler_t handler = nullptr;
    dispatch_queue_t queue = nullptr;
    bool was_running = false;
    {
      std::lock_guard lock(record->mutex_);
      if (record->process_ != &process) continue;
      handler = std::exchange(record->handler_, nullptr);
      queue = std::exchange(record->queue_, nullptr);
      record->process_ = nullptr;
      record->in_handler_ = false;
      was_running = record->state_ == XPC_ACTIVITY_STATE_RUN ||
                    record->state_ == XPC_ACTIVITY_STATE_CONTINUE ||
                    record->state_ == XPC_ACTIVITY_STATE_CHECK_IN;
    }
    // A dead process's handler is abandoned with what it captured (dispatch::Bury).
    if (handler) dispatch::Bury(handler);
    if (queue != nullptr) dispatch_release(queue);
    if (was_running) {
      Note(*record, crashed ? "its process crashed while it ran" : "its process ended while it ran");
      Defer(record);
    }
  }
}

void ActivityScheduler::SetDeviceConditions(DeviceConditions conditions) {
  std::vector<std::shared_ptr<ActivityRecord>> waiting;
  {
    std::lock_guard lock(mutex_);
    conditions_ = conditions;
    for (auto& [key, record] : records_) waiting.push_back(record);
  }
  world_.Record(TraceKind::kNote, world_.host(),
                fmt::format("device: {}, battery {}%, screen {}, thermal {}",
                            conditions.on_battery ? "on battery" : "on power",
                            conditions.battery_level, conditions.screen_asleep ? "asleep" : "awake",
                            static_cast<int>(conditions.thermal)));
  // A change of conditions is the next opportunity for a deferred activity.
  for (auto& record : waiting) {
    {
      std::lock_guard lock(record->mutex_);
      record->retry_after_ns_ = 0;
    }
    Schedule(record);
  }
}

DeviceConditions ActivityScheduler::device_conditions() const {
  std::lock_guard lock(mutex_);
  return conditions_;
}

bool ActivityScheduler::AskToDefer(const std::string& space, const std::string& identifier) {
  std::shared_ptr<ActivityRecord> record;
  {
    std::lock_guard lock(mutex_);
    auto it = records_.find({space, identifier});
    if (it == records_.end()) return false;
    record = it->second;
  }
  {
    std::lock_guard lock(record->mutex_);
    if (record->state_ != XPC_ACTIVITY_STATE_RUN && record->state_ != XPC_ACTIVITY_STATE_CONTINUE) {
      return false;
    }
    record->defer_requested_ = true;
  }
  Note(*record, "the system asks it to defer");
  return true;
}

long ActivityScheduler::StateOf(const std::string& space, const std::string& identifier) const {
  std::lock_guard lock(mutex_);
  auto it = records_.find({space, identifier});
  return it == records_.end() ? -1 : it->second->state();
}

void ActivityScheduler::Shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
}

void ActivityScheduler::Clear() {
  std::map<Key, std::shared_ptr<ActivityRecord>> records;
  std::vector<std::weak_ptr<ActivityRecord>> all;
  {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    records.swap(records_);
    all.swap(all_);
    watchers_.clear();
  }
  // Objects the app still holds outlive the world; they no longer reach it.
  for (auto& weak : all) {
    if (std::shared_ptr<ActivityRecord> record = weak.lock()) {
      std::lock_guard lock(record->mutex_);
      record->scheduler_ = nullptr;
      record->registered_ = false;
    }
  }
  for (auto& [key, record] : records) LetGo(*record);
  if (timers_ != nullptr) {
    dispatch_release(timers_);
    timers_ = nullptr;
  }
}

}  // namespace xpctest::fakes::runtime
