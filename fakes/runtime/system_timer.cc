#include "runtime/system_timer.h"

#include "dispatch/domain.h"
#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "runtime/world.h"

namespace xpctest::fakes::runtime {

void RunLater(World& world, dispatch_queue_t queue, uint64_t delay_ns,
              std::function<void()> work) {
  auto submit = [queue, work = std::move(work)] {
    std::function<void()> run = work;
    dispatch_async(queue, ^{
      run();
    });
  };
  if (delay_ns == 0) {
    submit();
    return;
  }
  dispatch::Executor& executor = world.environment().executor();
  // Timer callbacks only submit work (dispatch/executor.h).
  executor.ScheduleTimer(world.host().domain(), executor.Now() + dispatch::Duration(delay_ns),
                         std::move(submit), dispatch::TimerKind::kRepeating);
}

dispatch_queue_t NewSystemQueue(World& world, const char* label) {
  dispatch::ScopedCurrentDomain as(world.host().domain());
  return dispatch_queue_create(label, DISPATCH_QUEUE_SERIAL);
}

}  // namespace xpctest::fakes::runtime
