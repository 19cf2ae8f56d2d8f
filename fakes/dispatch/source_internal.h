// dispatch/source_internal.h — Source, behind dispatch_source_t (timers only).
//
// A source delivers through its target queue, one delivery item at a time,
// so its handlers never overlap. A timer firing makes one pending event; the
// delivery hands the event handler the number of intervals that have passed
// (dispatch_source_get_data). Cancellation stops the timer, and the next
// delivery runs the cancel handler once instead.
//
// Timers follow libdispatch: an interval of 0 means 1 ns, one above INT64_MAX
// means INT64_MAX, DISPATCH_TIME_FOREVER means "fire once". A repeating timer
// is re-armed only when its event is delivered, never while the event waits
// (source or target queue suspended, handler still running): the firings in
// between coalesce into that one event, counted arithmetically when it is
// delivered, and the next deadline is the first one after that moment. The
// executor may hold a repeat back a little longer (Executor::RepeatFloor: on
// the deterministic executor, whose clock stands still while handlers run).
//
// Lifetime: the armed timer and any queued delivery hold internal references,
// so an active, uncancelled timer keeps firing after the last release (as in
// libdispatch). Killing the domain discards both, and the source dies.
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_DISPATCH_SOURCE_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_SOURCE_INTERNAL_H

#include <memory>
#include <mutex>

#include "dispatch/closure.h"
#include "dispatch/executor.h"
#include "dispatch/object_internal.h"

struct dispatch_source_type_s {
  const char* name;
};

namespace xpctest::fakes::dispatch {

class Queue;

class Source final : public Object {
 public:
  static constexpr ObjectKind kKind = ObjectKind::kSource;

  static Source* Create(std::shared_ptr<DomainState> domain, uintptr_t handle, uintptr_t mask,
                        Queue& target);

  enum class Handler { kEvent, kCancel, kRegistration };
  void SetHandler(Handler which, Closure handler);
  // For the _f setters: the function receives the source's context at the time it runs.
  void SetHandlerFunction(Handler which, dispatch_function_t function);
  void SetTimer(dispatch_time_t start, uint64_t interval);
  void Cancel();
  bool cancelled() const;
  uintptr_t handle() const { return handle_; }
  uintptr_t mask() const { return mask_; }
  uintptr_t data() const;

  void Suspend();
  void Resume(std::string_view call);
  void Activate();
  void SetTarget(Queue* target);

  std::string Describe() const override;

 private:
  Source(std::shared_ptr<DomainState> domain, uintptr_t handle, uintptr_t mask, Queue& target);
  void XrefDispose() override;
  void Dispose() override;
  Queue* FinalizerQueue() const override;

  // What to do once the lock is dropped.
  struct Actions {
    bool deliver = false;
    bool arm = false;
    TimerId cancel_timer = 0;
  };
  void Perform(const Actions& actions);
  void ScheduleDeliveryLocked(Actions& actions);
  void ArmLocked(Actions& actions);
  // On delivery of a repeating timer's event: counts the intervals passed
  // since target_ fired, moves target_ past `now`, arms it. Returns the count
  // of intervals after target_ (0 when delivered before the next one).
  uint64_t CatchUpLocked(TimePoint now, Duration floor, Actions& actions);
  void Fire(uint64_t generation);
  void Deliver();

  mutable std::mutex mu_;
  const uintptr_t handle_;
  const uintptr_t mask_;
  Queue* queue_;  // internal reference
  std::shared_ptr<Closure> event_handler_;
  std::shared_ptr<Closure> cancel_handler_;
  std::shared_ptr<Closure> registration_handler_;
  int suspend_count_ = 0;
  bool inactive_ = true;
  bool cancelled_ = false;
  bool cancel_delivered_ = false;
  bool registration_pending_ = false;
  bool delivery_queued_ = false;
  uint64_t pending_data_ = 0;
  uintptr_t current_data_ = 0;
  // Timer configuration and the armed timer.
  bool timer_set_ = false;
  TimePoint target_;       // the next firing's deadline (or the one that fired)
  TimePoint arm_at_;       // when the timer is armed for target_ (never earlier)
  uint64_t interval_ = 0;  // in (0, INT64_MAX], or DISPATCH_TIME_FOREVER: one-shot
  bool rearm_on_delivery_ = false;  // target_ fired; its event is not delivered yet
  TimerId timer_id_ = 0;
  uint64_t timer_generation_ = 0;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_SOURCE_INTERNAL_H
