#include <fmt/format.h>

#include <algorithm>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/executor.h"
#include "dispatch/group_internal.h"
#include "dispatch/queue_internal.h"
#include "dispatch/scheduler.h"
#include "dispatch/semaphore_internal.h"

namespace xpctest::fakes::dispatch {

Group::Group(std::shared_ptr<DomainState> domain)
    : Object(ObjectKind::kGroup, std::move(domain), Lifetime::kCounted) {}

Group* Group::Create(std::shared_ptr<DomainState> domain) { return new Group(std::move(domain)); }

void Group::Enter() {
  std::lock_guard lock(mu_);
  // As libdispatch: an entered group holds itself until it empties, so the
  // program may release it while work that will leave it is outstanding.
  if (count_++ == 0) Retain();
}

void Group::Leave(std::string_view call) {
  std::vector<std::pair<Ref<Queue>, Closure>> notifies;
  {
    std::unique_lock lock(mu_);
    if (count_ == 0) {
      lock.unlock();
      ReportDispatchMisuse(call, "Unbalanced call to dispatch_group_leave()", Describe());
      return;
    }
    if (--count_ > 0) return;
    for (Parker* waiter : waiters_) waiter->Unpark();  // under our lock, as Semaphore
    waiters_.clear();
    notifies.swap(notifies_);
  }
  for (auto& [queue, work] : notifies) queue->Async(std::move(work), ItemKind::kAsync, nullptr);
  Release();  // the reference the first Enter() took; the group may die here
}

intptr_t Group::Wait(dispatch_time_t timeout) {
  {
    std::lock_guard lock(mu_);
    if (count_ == 0) return 0;
  }
  Executor* executor = domain().scheduler().executor();
  if (executor == nullptr) return kWaitTimedOut;
  TimePoint deadline = DeadlineFromDispatchTime(*executor, timeout);
  if (deadline <= executor->Now()) return kWaitTimedOut;
  Parker parker(*executor);
  {
    std::lock_guard lock(mu_);
    if (count_ == 0) return 0;
    waiters_.push_back(&parker);
  }
  parker.Park(deadline, "dispatch_group_wait",
              fmt::format("group {} to empty", static_cast<void*>(this)));
  std::lock_guard lock(mu_);
  if (parker.unparked()) return 0;
  std::erase(waiters_, &parker);
  return kWaitTimedOut;
}

void Group::Notify(Queue& queue, Closure work) {
  {
    std::lock_guard lock(mu_);
    if (count_ > 0) {
      notifies_.emplace_back(Ref<Queue>(&queue), std::move(work));
      return;
    }
  }
  queue.Async(std::move(work), ItemKind::kAsync, nullptr);
}

void Group::Async(Queue& queue, Closure work) {
  Enter();
  Retain();  // released in LeaveGroupForItem
  queue.Async(std::move(work), ItemKind::kAsync, this);
}

void LeaveGroupForItem(Group* group) {
  group->Leave("dispatch_group_async");
  group->Release();
}

void Group::Dispose() {
  // Pending notify blocks hold queue references; dropping them releases those.
  notifies_.clear();
}

std::string Group::Describe() const {
  std::lock_guard lock(mu_);
  return fmt::format("<OS_dispatch_group: group[{}] = {{ xref = {}, ref = {}, count = {}, waiters = {} }}>",
                     static_cast<const void*>(this), external_refs(), internal_refs(), count_,
                     waiters_.size());
}

}  // namespace xpctest::fakes::dispatch
