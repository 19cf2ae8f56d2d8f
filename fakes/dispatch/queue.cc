#include <fmt/format.h>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/queue_internal.h"
#include "dispatch/thread_frame.h"

namespace xpctest::fakes::dispatch {

Queue::Queue(std::shared_ptr<DomainState> domain, std::string_view label,
             const QueueAttributes& attributes)
    : Object(ObjectKind::kQueue, std::move(domain), Lifetime::kCounted),
      label_(label),
      attributes_(attributes),
      role_(QueueRole::kCustom) {}

Queue::Queue(DomainState* domain, std::string_view label, QueueWidth width, QueueRole role,
             dispatch_qos_class_t qos)
    : Object(ObjectKind::kQueue, domain),
      label_(label),
      attributes_{width, qos, 0, false},
      role_(role) {}

Queue::~Queue() = default;

Queue* Queue::Create(std::shared_ptr<DomainState> domain, std::string_view label,
                     const QueueAttributes& attributes) {
  Queue& target = domain->default_queue();
  auto* queue = new Queue(std::move(domain), label, attributes);
  std::lock_guard lock(queue->scheduler().mu());
  queue->id_ = queue->scheduler().NextQueueIdLocked();
  queue->inactive_ = attributes.inactive;
  queue->target_ = &target;  // a root queue of the same domain: no reference needed
  return queue;
}

Queue* Queue::CreateRoot(DomainState* domain, std::string_view label, QueueWidth width,
                         QueueRole role, dispatch_qos_class_t qos) {
  auto* queue = new Queue(domain, label, width, role, qos);
  std::lock_guard lock(queue->scheduler().mu());
  queue->id_ = queue->scheduler().NextQueueIdLocked();
  return queue;
}

Scheduler& Queue::scheduler() const { return domain().scheduler(); }

void Queue::Async(Closure work, ItemKind kind, Group* group) {
  Retain();  // the item's reference: released once it has run or been discarded
  Item item;
  item.work = std::move(work);
  item.kind = kind;
  item.group = group;
  scheduler().Enqueue(*this, std::move(item));
}

void Queue::Sync(Closure work, ItemKind kind, std::string_view call) {
  Scheduler& scheduler = this->scheduler();
  bool deadlock = false;
  {
    std::lock_guard lock(scheduler.mu());
    for (const Queue* q = this; q != nullptr && !deadlock; q = q->target_) {
      // A serial queue this thread already holds can never be granted to it;
      // neither can a barrier on a concurrent queue it is running on.
      bool exclusive = q->serial() || (q == this && IsBarrier(kind) && role_ == QueueRole::kCustom);
      deadlock = exclusive && ThreadFrame::Holds(q);
    }
  }
  if (deadlock) {
    ReportDispatchMisuse(call, "dispatch_sync called on queue already owned by current thread",
                         Describe());
    return;
  }
  Executor* executor = scheduler.executor();
  if (executor == nullptr) return;  // shut down: the block is discarded

  std::optional<Started> started;
  {
    std::lock_guard lock(scheduler.mu());
    if (!domain().killed()) started = scheduler.TryStartSyncLocked(*this, kind);
  }
  bool queued = false;
  SyncWaiter waiter(*executor);
  if (!started) {
    queued = true;
    Retain();  // the sync item's reference, released below
    Item item;
    item.kind = kind;
    item.waiter = &waiter;
    scheduler.Enqueue(*this, std::move(item));
    waiter.parker.Park(kForever, call, fmt::format("{} onto queue \"{}\"", call, label_));
    std::lock_guard lock(scheduler.mu());
    if (waiter.grant) {
      started = std::move(waiter.grant);
    } else {
      // Deadlock, shutdown or a killed domain: the block does not run.
      scheduler.WithdrawSyncLocked(*this, waiter);
    }
  }
  if (started) {
    {
      ThreadFrame frame(this, started->chain, ThreadFrame::Kind::kSync, IsBarrier(kind));
      std::optional<ScopedCurrentDomain> as_domain;
      if (Domain* owner = domain().owner()) as_domain.emplace(*owner);
      ClientCallout(work);
    }
    work.Reset();
    scheduler.Finish(*started);
  }
  if (queued) Release();
}

void Queue::After(TimePoint deadline, Closure work) {
  if (deadline == kForever) return;  // as libdispatch: never runs
  auto shared_work = std::make_shared<Closure>(std::move(work));
  Ref<Queue> self(this);  // the timer keeps the queue alive until it fires
  // Timers belong to the queue's domain: killing it drops them.
  scheduler().AddTimer(shared_domain(), deadline, Closure([self, shared_work] {
                         self->Async(std::move(*shared_work), ItemKind::kAsync, nullptr);
                       }),
                       TimerKind::kOneShot);
}

void Queue::Suspend() {
  if (role_ == QueueRole::kGlobal) return;  // global queues ignore suspension
  scheduler().Suspend(*this);
}

void Queue::Resume(std::string_view call) {
  if (role_ == QueueRole::kGlobal) return;
  if (!scheduler().Resume(*this)) {
    ReportDispatchMisuse(call, "Over-resume of an object", Describe());
  }
}

void Queue::Activate() { scheduler().Activate(*this); }

void Queue::SetTarget(Queue* target) {
  if (role_ != QueueRole::kCustom) return;  // root queues keep their place
  if (target == nullptr) target = &domain().default_queue();
  for (Queue* q = target; q != nullptr; q = q->target().get()) {
    if (q == this) {
      ReportDispatchMisuse("dispatch_set_target_queue", "Cycle in target queue hierarchy",
                           Describe());
      return;
    }
  }
  target->Retain();  // held while it is our target
  Queue* previous = scheduler().SetTarget(*this, target);
  if (previous != nullptr) previous->Release();
}

Ref<Queue> Queue::target() const {
  std::lock_guard lock(scheduler().mu());
  return Ref<Queue>(target_);
}

void Queue::XrefDispose() {
  bool suspended, inactive;
  {
    std::lock_guard lock(scheduler().mu());
    suspended = suspend_count_ > 0;
    inactive = inactive_;
  }
  if (!suspended && !inactive) return;
  ReportDispatchMisuse("dispatch_release",
                       inactive ? "Release of an inactive object" : "Release of a suspended object",
                       Describe());
  // Continue safely: let pending work run so the queue can die normally.
  std::lock_guard lock(scheduler().mu());
  suspend_count_ = 0;
  inactive_ = false;
  scheduler().WorkChangedLocked();
}

void Queue::Dispose() {
  if (role_ == QueueRole::kCustom && target_ != nullptr) target_->Release();
  target_ = nullptr;
  std::map<const void*, Specific> specifics;
  {
    std::lock_guard lock(specifics_mu_);
    specifics.swap(specifics_);
  }
  for (auto& [key, specific] : specifics) {
    if (specific.destructor != nullptr && specific.context != nullptr) {
      specific.destructor(specific.context);
    }
  }
}

Queue* Queue::FinalizerQueue() const {
  std::lock_guard lock(scheduler().mu());
  return target_ != nullptr ? target_ : &domain().default_queue();
}

void Queue::SetSpecific(const void* key, void* context, dispatch_function_t destructor) {
  if (key == nullptr) return;
  Specific previous{nullptr, nullptr};
  {
    std::lock_guard lock(specifics_mu_);
    auto it = specifics_.find(key);
    if (it != specifics_.end()) {
      previous = it->second;
      specifics_.erase(it);
    }
    if (context != nullptr) specifics_[key] = Specific{context, destructor};
  }
  if (previous.destructor != nullptr && previous.context != nullptr) {
    previous.destructor(previous.context);
  }
}

void* Queue::GetSpecific(const void* key) const {
  if (key == nullptr) return nullptr;
  std::lock_guard lock(specifics_mu_);
  auto it = specifics_.find(key);
  return it == specifics_.end() ? nullptr : it->second.context;
}

std::string Queue::Describe() const {
  const char* kind = role_ == QueueRole::kMain     ? "OS_dispatch_queue_main"
                     : role_ == QueueRole::kGlobal ? "OS_dispatch_queue_global"
                     : serial()                    ? "OS_dispatch_queue_serial"
                                                   : "OS_dispatch_queue_concurrent";
  std::lock_guard lock(scheduler().mu());
  std::string target =
      target_ != nullptr ? fmt::format("{}[{}]", target_->label(), static_cast<void*>(target_))
                         : std::string("(none)");
  return fmt::format(
      "<{}: {}[{}] = {{ xref = {}, ref = {}, target = {}, width = {}, suspend-cnt = {}, "
      "inactive = {}, in-flight = {}, pending = {}, domain = \"{}\" }}>",
      kind, label_, static_cast<const void*>(this), external_refs(), internal_refs(), target,
      serial() ? "0x1" : "unlimited", suspend_count_, inactive_ ? 1 : 0, running_, items_.size(),
      domain().label());
}

}  // namespace xpctest::fakes::dispatch
