#include <fmt/format.h>

#include <algorithm>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/executor.h"
#include "dispatch/scheduler.h"
#include "dispatch/semaphore_internal.h"

namespace xpctest::fakes::dispatch {

Semaphore::Semaphore(std::shared_ptr<DomainState> domain, intptr_t value)
    : Object(ObjectKind::kSemaphore, std::move(domain), Lifetime::kCounted),
      value_(value),
      original_(value) {}

Semaphore* Semaphore::Create(std::shared_ptr<DomainState> domain, intptr_t value) {
  return new Semaphore(std::move(domain), value);
}

intptr_t Semaphore::Wait(dispatch_time_t timeout) {
  {
    std::lock_guard lock(mu_);
    if (value_ > 0) {
      --value_;
      return 0;
    }
  }
  Executor* executor = domain().scheduler().executor();
  if (executor == nullptr) return kWaitTimedOut;
  TimePoint deadline = DeadlineFromDispatchTime(*executor, timeout);
  if (deadline <= executor->Now()) return kWaitTimedOut;
  Parker parker(*executor);
  {
    std::lock_guard lock(mu_);
    // A signal may have come in between.
    if (value_ > 0) {
      --value_;
      return 0;
    }
    waiters_.push_back(&parker);
  }
  parker.Park(deadline, "dispatch_semaphore_wait",
              fmt::format("semaphore {} to be signalled", static_cast<void*>(this)));
  std::lock_guard lock(mu_);
  if (parker.unparked()) return 0;  // Signal handed us its unit
  std::erase(waiters_, &parker);
  return kWaitTimedOut;
}

intptr_t Semaphore::Signal() {
  std::lock_guard lock(mu_);
  if (waiters_.empty()) {
    ++value_;
    return 0;
  }
  Parker* waiter = waiters_.front();
  waiters_.pop_front();
  waiter->Unpark();  // under our lock: see the header
  return 1;
}

void Semaphore::Dispose() {
  if (value_ < original_) {
    ReportDispatchMisuse("dispatch_release", "Semaphore object deallocated while in use",
                         Describe());
  }
}

std::string Semaphore::Describe() const {
  std::lock_guard lock(mu_);
  return fmt::format("<OS_dispatch_semaphore: semaphore[{}] = {{ xref = {}, ref = {}, value = {}, orig = {} }}>",
                     static_cast<const void*>(this), external_refs(), internal_refs(), value_,
                     original_);
}

}  // namespace xpctest::fakes::dispatch
