// dispatch/semaphore_internal.h — Semaphore, behind dispatch_semaphore_t.
//
// A counter plus a FIFO of parked waiters. Signal hands its unit straight to
// the oldest waiter (unparking it under the semaphore's lock, so a waiter that
// times out concurrently either got the unit or is no longer listed).
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_DISPATCH_SEMAPHORE_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_SEMAPHORE_INTERNAL_H

#include <deque>
#include <mutex>

#include "dispatch/object_internal.h"
#include "dispatch/parker.h"

namespace xpctest::fakes::dispatch {

// What dispatch_semaphore_wait and dispatch_group_wait return on timeout
// (KERN_OPERATION_TIMED_OUT, as on macOS).
inline constexpr intptr_t kWaitTimedOut = 49;

class Semaphore final : public Object {
 public:
  static constexpr ObjectKind kKind = ObjectKind::kSemaphore;

  static Semaphore* Create(std::shared_ptr<DomainState> domain, intptr_t value);

  intptr_t Wait(dispatch_time_t timeout);
  intptr_t Signal();
  std::string Describe() const override;

 private:
  Semaphore(std::shared_ptr<DomainState> domain, intptr_t value);
  void Dispose() override;

  mutable std::mutex mu_;
  intptr_t value_;
  const intptr_t original_;
  std::deque<Parker*> waiters_;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_SEMAPHORE_INTERNAL_H
