#include <fmt/format.h>

#include <algorithm>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/queue_internal.h"
#include "dispatch/scheduler.h"
#include "dispatch/source_internal.h"

const struct dispatch_source_type_s _dispatch_source_type_timer = {"timer"};

namespace xpctest::fakes::dispatch {

Source::Source(std::shared_ptr<DomainState> domain, uintptr_t handle, uintptr_t mask,
               Queue& target)
    : Object(ObjectKind::kSource, std::move(domain), Lifetime::kCounted),
      handle_(handle),
      mask_(mask),
      queue_(&target) {
  queue_->Retain();  // released in Dispose()
}

Source* Source::Create(std::shared_ptr<DomainState> domain, uintptr_t handle, uintptr_t mask,
                       Queue& target) {
  return new Source(std::move(domain), handle, mask, target);
}

void Source::SetHandler(Handler which, Closure handler) {
  auto shared = handler ? std::make_shared<Closure>(std::move(handler)) : nullptr;
  std::shared_ptr<Closure> previous;
  std::lock_guard lock(mu_);
  switch (which) {
    case Handler::kEvent: previous = std::exchange(event_handler_, shared); break;
    case Handler::kCancel: previous = std::exchange(cancel_handler_, shared); break;
    case Handler::kRegistration: previous = std::exchange(registration_handler_, shared); break;
  }
}

void Source::SetHandlerFunction(Handler which, dispatch_function_t function) {
  if (function == nullptr) {
    SetHandler(which, Closure());
    return;
  }
  // The raw pointer is safe: handlers only run while a delivery holds a reference.
  SetHandler(which, Closure([this, function] { function(context()); }));
}

namespace {

// libdispatch's clamping: 0 means 1 ns; anything above INT64_MAX (but
// DISPATCH_TIME_FOREVER, "one-shot") means INT64_MAX.
uint64_t ClampInterval(uint64_t interval) {
  if (interval == DISPATCH_TIME_FOREVER) return interval;
  if (interval == 0) return 1;
  return std::min<uint64_t>(interval, INT64_MAX);
}

}  // namespace

void Source::SetTimer(dispatch_time_t start, uint64_t interval) {
  Executor* executor = domain().scheduler().executor();
  if (executor == nullptr) return;
  Actions actions;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    timer_set_ = true;
    target_ = DeadlineFromDispatchTime(*executor, start);
    arm_at_ = target_;
    interval_ = ClampInterval(interval);
    pending_data_ = 0;
    rearm_on_delivery_ = false;
    actions.cancel_timer = std::exchange(timer_id_, 0);
    ++timer_generation_;
    if (!inactive_) actions.arm = true;
  }
  Perform(actions);
}

void Source::ArmLocked(Actions& actions) {
  if (timer_set_ && !cancelled_ && target_ != kForever) actions.arm = true;
}

uint64_t Source::CatchUpLocked(TimePoint now, Duration floor, Actions& actions) {
  rearm_on_delivery_ = false;
  uint64_t missed = now > target_ ? static_cast<uint64_t>((now - target_).count()) / interval_ : 0;
  // The first deadline after `now`, saturating at "never".
  unsigned __int128 next = static_cast<unsigned __int128>(target_.nanos) +
                           static_cast<unsigned __int128>(missed + 1) * interval_;
  target_ = next >= static_cast<unsigned __int128>(kForever.nanos)
                ? kForever
                : TimePoint{static_cast<int64_t>(next)};
  arm_at_ = std::max(target_, now + floor);
  ArmLocked(actions);
  return missed;
}

void Source::Perform(const Actions& actions) {
  if (actions.cancel_timer != 0) domain().scheduler().CancelTimer(actions.cancel_timer);
  if (actions.arm) {
    uint64_t generation;
    TimePoint deadline;
    bool repeating;
    {
      std::lock_guard lock(mu_);
      if (cancelled_ || !timer_set_ || target_ == kForever) return;
      generation = timer_generation_;
      deadline = arm_at_;
      repeating = interval_ != DISPATCH_TIME_FOREVER;
    }
    Ref<Source> self(this);  // the armed timer keeps the source alive
    TimerId id = domain().scheduler().AddTimer(
        shared_domain(), deadline, Closure([self, generation] { self->Fire(generation); }),
        repeating ? TimerKind::kRepeating : TimerKind::kOneShot);
    std::lock_guard lock(mu_);
    if (generation == timer_generation_) timer_id_ = id;
  }
  if (actions.deliver) {
    Ref<Source> self(this);  // the delivery keeps the source alive
    queue_->Async(Closure([self] { self->Deliver(); }), ItemKind::kAsync, nullptr);
  }
}

void Source::ScheduleDeliveryLocked(Actions& actions) {
  if (delivery_queued_ || inactive_ || suspend_count_ > 0) return;
  bool cancel_due = cancelled_ && !cancel_delivered_;
  if (!cancel_due && pending_data_ == 0 && !registration_pending_) return;
  delivery_queued_ = true;
  actions.deliver = true;
}

void Source::Fire(uint64_t generation) {
  Actions actions;
  {
    std::lock_guard lock(mu_);
    if (generation != timer_generation_ || cancelled_) return;
    timer_id_ = 0;
    ++pending_data_;
    // One-shot: done. Repeating: re-armed when this event is delivered.
    if (interval_ == DISPATCH_TIME_FOREVER) {
      target_ = kForever;
    } else {
      rearm_on_delivery_ = true;
    }
    ScheduleDeliveryLocked(actions);
  }
  Perform(actions);
}

void Source::Deliver() {
  Executor* executor = domain().scheduler().executor();
  std::shared_ptr<Closure> handler;
  bool cancelling = false;
  Actions rearm;
  {
    std::lock_guard lock(mu_);
    if (registration_pending_) {
      registration_pending_ = false;
      handler = registration_handler_;
    } else if (cancelled_ && !cancel_delivered_) {
      cancel_delivered_ = true;
      cancelling = true;
      handler = std::move(cancel_handler_);
      // libdispatch drops the handlers once cancelled.
      event_handler_.reset();
      registration_handler_.reset();
    } else if (pending_data_ > 0 && !cancelled_ && suspend_count_ == 0) {
      uint64_t data = std::exchange(pending_data_, 0);
      if (rearm_on_delivery_ && executor != nullptr) {
        data += CatchUpLocked(executor->Now(), executor->RepeatFloor(), rearm);
      }
      current_data_ = static_cast<uintptr_t>(data);
      handler = event_handler_;
    }
  }
  Perform(rearm);
  if (handler) ClientCallout(*handler);
  handler.reset();
  Actions actions;
  {
    std::lock_guard lock(mu_);
    delivery_queued_ = false;
    if (!cancelling) ScheduleDeliveryLocked(actions);
  }
  Perform(actions);
}

void Source::Cancel() {
  Actions actions;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    pending_data_ = 0;
    ++timer_generation_;
    actions.cancel_timer = std::exchange(timer_id_, 0);
    ScheduleDeliveryLocked(actions);
  }
  Perform(actions);
}

bool Source::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

uintptr_t Source::data() const {
  std::lock_guard lock(mu_);
  return current_data_;
}

void Source::Suspend() {
  std::lock_guard lock(mu_);
  ++suspend_count_;
}

void Source::Resume(std::string_view call) {
  Actions actions;
  {
    std::unique_lock lock(mu_);
    if (inactive_) {
      lock.unlock();
      Activate();
      return;
    }
    if (suspend_count_ == 0) {
      lock.unlock();
      ReportDispatchMisuse(call, "Over-resume of an object", Describe());
      return;
    }
    --suspend_count_;
    ScheduleDeliveryLocked(actions);
  }
  Perform(actions);
}

void Source::Activate() {
  Actions actions;
  {
    std::lock_guard lock(mu_);
    if (!inactive_) return;
    inactive_ = false;
    registration_pending_ = registration_handler_ != nullptr && !cancelled_;
    ArmLocked(actions);
    ScheduleDeliveryLocked(actions);
  }
  Perform(actions);
}

void Source::SetTarget(Queue* target) {
  if (target == nullptr) target = &domain().default_queue();
  target->Retain();
  Queue* previous;
  {
    std::lock_guard lock(mu_);
    previous = std::exchange(queue_, target);
  }
  previous->Release();
}

void Source::XrefDispose() {
  bool inactive, suspended;
  {
    std::lock_guard lock(mu_);
    inactive = inactive_;
    suspended = suspend_count_ > 0;
  }
  if (!inactive && !suspended) return;
  ReportDispatchMisuse("dispatch_release",
                       inactive ? "Release of an inactive object" : "Release of a suspended object",
                       Describe());
  // Continue safely: cancel, and let the cancellation run so the source can die.
  {
    std::lock_guard lock(mu_);
    suspend_count_ = 0;
  }
  Cancel();
  Activate();
}

void Source::Dispose() {
  queue_->Release();
  queue_ = nullptr;
}

Queue* Source::FinalizerQueue() const {
  std::lock_guard lock(mu_);
  return queue_;
}

std::string Source::Describe() const {
  std::lock_guard lock(mu_);
  return fmt::format(
      "<OS_dispatch_source: source[{}] = {{ xref = {}, ref = {}, type = timer, target = {}, "
      "suspend-cnt = {}, inactive = {}, cancelled = {}, pending = {} }}>",
      static_cast<const void*>(this), external_refs(), internal_refs(),
      queue_ != nullptr ? queue_->label() : std::string("(none)"), suspend_count_,
      inactive_ ? 1 : 0, cancelled_ ? 1 : 0, pending_data_);
}

}  // namespace xpctest::fakes::dispatch
