// runtime/system_timer.h — work the simulated system does later: launchd's
// throttled relaunches, the activity scheduler's due times.
//
//   RunLater(world, queue, delay_ns, [] { ... });
//
// The work runs on `queue` once the world's clock has advanced by `delay_ns`
// (at once when it is 0). The timer is of the kind RunUntilIdle does not wait
// for (dispatch::TimerKind::kRepeating): it is the system's background work,
// a repeating activity always has a next time, and a crash-looping job always
// has a next relaunch, so only RunFor and RunUntil move the clock to it.
//
// Thread safety: callable from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_SYSTEM_TIMER_H
#define XPCTEST_FAKES_RUNTIME_SYSTEM_TIMER_H

#include <dispatch/dispatch.h>

#include <cstdint>
#include <functional>

namespace xpctest::fakes::runtime {

class World;

void RunLater(World& world, dispatch_queue_t queue, uint64_t delay_ns,
              std::function<void()> work);

// A new serial queue (+1) for the system's own work: in the host's domain,
// which lives as long as the world.
dispatch_queue_t NewSystemQueue(World& world, const char* label);

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_SYSTEM_TIMER_H
