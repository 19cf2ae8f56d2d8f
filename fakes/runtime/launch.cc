#include "runtime/launch.h"

#include <fmt/format.h>

#include <algorithm>

#include "dispatch/executor.h"
#include "dispatch/parker.h"

namespace xpctest::fakes::runtime {

Launch::Launch(std::string name, pid_t pid, dispatch::Executor& executor)
    : name_(std::move(name)), pid_(pid), executor_(executor) {}

void Launch::CheckIn() {
  std::lock_guard lock(mutex_);
  checked_in_ = true;
  WakeLocked();
}

void Launch::Settle() {
  std::vector<std::function<void()>> unserved;
  {
    std::lock_guard lock(mutex_);
    if (settled_) return;
    settled_ = true;
    WakeLocked();
    if (!checked_in_) unserved.swap(unserved_);
    unserved_.clear();
  }
  for (auto& callback : unserved) callback();
}

bool Launch::checked_in() const {
  std::lock_guard lock(mutex_);
  return checked_in_;
}

bool Launch::settled() const {
  std::lock_guard lock(mutex_);
  return settled_;
}

bool Launch::WaitUntilResolved(std::string_view call) { return Wait(&Launch::resolved, call); }

bool Launch::WaitUntilSettled(std::string_view call) { return Wait(&Launch::settled_locked, call); }

void Launch::OnUnserved(std::function<void()> unserved) {
  {
    std::lock_guard lock(mutex_);
    if (!settled_) {
      unserved_.push_back(std::move(unserved));
      return;
    }
    if (checked_in_) return;
  }
  unserved();
}

bool Launch::Wait(bool (Launch::*done)() const, std::string_view call) {
  for (;;) {
    dispatch::Parker parker(executor_);
    {
      std::lock_guard lock(mutex_);
      if ((this->*done)()) return true;
      waiters_.push_back(&parker);
    }
    dispatch::ParkResult result = parker.Park(
        dispatch::kForever, call,
        fmt::format("\"{}\" (pid {}, launched on demand) to check in or park its main", name_,
                    pid_));
    std::lock_guard lock(mutex_);
    // Removed under the lock that WakeLocked holds: no wake touches it after.
    std::erase(waiters_, &parker);
    if (result != dispatch::ParkResult::kUnparked) return (this->*done)();
  }
}

void Launch::WakeLocked() {
  for (dispatch::Parker* parker : waiters_) parker->Unpark();
  waiters_.clear();
}

}  // namespace xpctest::fakes::runtime
