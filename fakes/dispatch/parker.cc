#include "dispatch/parker.h"

#include "dispatch/executor.h"

namespace xpctest::fakes::dispatch {

Parker::Parker(Executor& executor) : executor_(&executor) {}

void Parker::Unpark() { executor_->Unpark(*this); }

ParkResult Parker::Park(TimePoint deadline, std::string_view call, WaitLabel what) {
  if (unparked()) return ParkResult::kUnparked;
  return executor_->Park(*this, deadline, call, std::move(what));
}

}  // namespace xpctest::fakes::dispatch
