// dispatch/parker.h — the one blocking primitive of the fakes.
//
// A Parker lets a thread wait for one event that another piece of work
// signals. dispatch_semaphore_wait, dispatch_group_wait and dispatch_sync are
// built on it, and so is the runtime's reply_sync.
//
//   Parker parker(executor);
//   StartSomething([&] { parker.Unpark(); });
//   if (parker.Park(deadline, "xpc_connection_send_message_with_reply_sync",
//                   "reply from \"com.example.svc\"") != ParkResult::kUnparked) { ... }
//
// What Park does depends on the executor:
//  - threaded: blocks the thread on a condition variable (a worker that parks
//    lets the pool start another worker, as GCD does);
//  - deterministic: suspends the fiber it is called on (the driving thread's
//    stack, or the runner fiber of the work item it is in) and runs other work
//    and timers on the same thread until this wait is unparked and the
//    scheduler resumes it (see deterministic_executor.cc). When nothing can
//    run and no timer can help before the deadline, a finite deadline simply
//    becomes "now" (kTimedOut); when every blocked wait is infinite it is a
//    deadlock: ReportDeadlock lists every blocked wait and the driving
//    thread's wait returns kDeadlock.
//
// Threading: Unpark() may be called from any thread, any number of times;
// Park() by one thread at a time. A Parker is one-shot: once unparked, Park
// returns at once. The Parker must outlive every Unpark() call.
#ifndef XPCTEST_FAKES_DISPATCH_PARKER_H
#define XPCTEST_FAKES_DISPATCH_PARKER_H

#include <atomic>
#include <condition_variable>
#include <functional>
#include <string>
#include <string_view>

#include "dispatch/time_internal.h"

namespace xpctest::fakes::dispatch {

class Executor;

enum class ParkResult {
  kUnparked,
  kTimedOut,
  // Deterministic executor: the wait could never complete (reported).
  kDeadlock,
  // The executor shut down while waiting.
  kShutdown,
};

// What a wait waits for, as deadlock reports say it: text, or a function
// that makes the text only when a report needs it (a wait on every round
// trip should not format a description that is almost never read).
//
//   parker.Park(kForever, call, WaitLabel([this] { return Describe(); }));
//
// The function runs while the wait is parked, on the thread that reports;
// what it reads must outlive the wait.
class WaitLabel {
 public:
  WaitLabel(std::string text) : text_(std::move(text)) {}  // NOLINT: implicit on purpose
  WaitLabel(const char* text) : text_(text) {}             // NOLINT: implicit on purpose
  explicit WaitLabel(std::function<std::string()> make) : make_(std::move(make)) {}
  std::string Text() const { return make_ ? make_() : text_; }

 private:
  std::string text_;
  std::function<std::string()> make_;
};

class Parker {
 public:
  explicit Parker(Executor& executor);
  Parker(const Parker&) = delete;
  Parker& operator=(const Parker&) = delete;

  // Wakes the parked thread (or makes the next Park return at once).
  void Unpark();
  // Waits until Unpark() or `deadline`. `call` names the API being waited in,
  // `what` says what it waits for; both appear in deadlock reports.
  ParkResult Park(TimePoint deadline, std::string_view call, WaitLabel what);
  bool unparked() const { return unparked_.load(std::memory_order_acquire); }
  Executor& executor() const { return *executor_; }

 private:
  friend class ThreadedExecutor;
  friend class DeterministicExecutor;

  Executor* executor_;
  std::atomic<bool> unparked_{false};
  // Threaded executor only; used with the scheduler's mutex.
  std::condition_variable cv_;
  // Deterministic executor only: the wait parked on this Parker, if any;
  // guarded by the scheduler's mutex.
  void* wait_ = nullptr;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_PARKER_H
