// dispatch/group_internal.h — Group, behind dispatch_group_t.
//
// A count of outstanding work, parked waiters, and notify blocks. Each time
// the count returns to zero every waiter is woken and every notify block is
// submitted to its queue.
//
// Lifetime: while the count is above zero the group holds an internal
// reference on itself (as libdispatch does), so releasing an entered group
// loses neither the leaves still to come nor the pending notify blocks.
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_DISPATCH_GROUP_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_GROUP_INTERNAL_H

#include <mutex>
#include <utility>
#include <vector>

#include "dispatch/closure.h"
#include "dispatch/object_internal.h"
#include "dispatch/parker.h"

namespace xpctest::fakes::dispatch {

class Queue;

class Group final : public Object {
 public:
  static constexpr ObjectKind kKind = ObjectKind::kGroup;

  static Group* Create(std::shared_ptr<DomainState> domain);

  void Enter();
  // Reports "Unbalanced call to dispatch_group_leave()" naming `call` when the
  // group is empty, and then does nothing.
  void Leave(std::string_view call);
  intptr_t Wait(dispatch_time_t timeout);
  void Notify(Queue& queue, Closure work);
  // dispatch_group_async: enters, and submits `work` to leave afterwards.
  void Async(Queue& queue, Closure work);
  std::string Describe() const override;

 private:
  explicit Group(std::shared_ptr<DomainState> domain);
  void Dispose() override;

  mutable std::mutex mu_;
  int64_t count_ = 0;
  std::vector<Parker*> waiters_;
  std::vector<std::pair<Ref<Queue>, Closure>> notifies_;
};

// Leaves the group of a dispatch_group_async item and drops the item's
// reference on it; pairs with Group::Async.
void LeaveGroupForItem(Group* group);

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_GROUP_INTERNAL_H
