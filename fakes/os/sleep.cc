// sleep, usleep and nanosleep, interposed: code running as a simulated
// process sleeps on its executor's clock instead of blocking the thread.
//
// The sleep parks through the executor's Parker with a deadline, exactly as
// dispatch_semaphore_wait with a timeout does: on the deterministic executor
// its one thread runs other work meanwhile and virtual time jumps to the
// deadline (a service main's sleep(10) costs microseconds); on the threaded
// executor the thread waits in real time, counted as blocked so the pool
// starts another worker, as GCD's does for a blocked thread. A sleeping
// process that ends wakes at once; if the sleeper is its main (on its own
// fiber, outside any queue), main never continues: the dead process's stack
// is abandoned, as a crash abandons a real one (P11).
//
// Everyone else (the host process, threads the runtime does not know) sleeps
// for real, through libc.
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "base/real_os.h"
#include "dispatch/domain.h"
#include "dispatch/executor.h"
#include "dispatch/parker.h"
#include "dispatch/thread_frame.h"
#include "dispatch/fiber.h"
#include "runtime/process.h"
#include "runtime/process_domain.h"

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define XPCTEST_TSAN 1
#include <sanitizer/tsan_interface.h>
#endif
#endif

namespace xpctest::fakes::os {
namespace {

#if XPCTEST_TSAN
// ThreadSanitizer's own sleep, usleep and nanosleep run first and call ours
// as a blocking call, inside which TSan ignores every interceptor: the locks
// and condition variables of a simulated sleep would be invisible to it, and
// all the sleeper wrote under them a false race. The sleep runs in a TSan
// context of its own (a TSan fiber on the same stack), where interceptors
// count again; the switches in and out synchronize both ways. A sleep whose
// process dies never comes back: its context is abandoned with its stack.
class TsanSeesTheSleep {
 public:
  TsanSeesTheSleep() : sleeper_(__tsan_get_current_fiber()), visible_(__tsan_create_fiber(0)) {
    __tsan_switch_to_fiber(visible_, 0);
  }
  ~TsanSeesTheSleep() {
    __tsan_switch_to_fiber(sleeper_, 0);
    __tsan_destroy_fiber(visible_);
  }
  TsanSeesTheSleep(const TsanSeesTheSleep&) = delete;
  TsanSeesTheSleep& operator=(const TsanSeesTheSleep&) = delete;

 private:
  void* sleeper_;
  void* visible_;
};
#else
struct TsanSeesTheSleep {};
#endif

using dispatch::Duration;
using runtime::Process;

// Wakes a sleep when its process ends. Owns the Parker, so that a wake
// racing the sleep's own timeout never touches a parker that is gone.
class SleepWaker final : public runtime::Resident {
 public:
  explicit SleepWaker(dispatch::Executor& executor) : parker_(executor) {}
  void OnProcessEnded(runtime::ProcessEnd) override { parker_.Unpark(); }
  dispatch::Parker& parker() { return parker_; }

 private:
  dispatch::Parker parker_;
};

// A dead process's main does not run on (P11): its fiber switches away for
// good. Only at main's own level — inside a queue's work, the stack is not
// main's alone.
void AbandonMainIfDead(Process& process) {
  if (process.alive()) return;
  dispatch::Fiber& fiber = dispatch::Fiber::Current();
  if (fiber.main_thread_of() != process.domain().shared_state() || fiber.starter() == nullptr) return;
  if (dispatch::ThreadFrame::Innermost() != nullptr) return;
  fiber.ReturnToStarter();
}

// Sleeps `duration` as `process`; returns the time left when the sleep was
// cut short (the process or its world ended), else zero.
Duration SleepAs(Process& process, Duration duration, const char* call) {
  if (duration <= Duration::zero()) return Duration::zero();
  [[maybe_unused]] TsanSeesTheSleep seen;
  if (!process.alive()) {
    // Work of a dead process still running on the threaded executor: it
    // does not get to wait for anything.
    AbandonMainIfDead(process);
    return duration;
  }
  dispatch::Executor& executor = process.domain().executor();
  auto waker = std::make_shared<SleepWaker>(executor);
  process.AddResident(waker);
  // Ended between the check above and AddResident: nobody will tell us.
  if (!process.alive()) waker->parker().Unpark();
  dispatch::TimePoint deadline = executor.Now() + duration;
  waker->parker().Park(deadline, call,
                       fmt::format("{}.{:09}s to pass in pid {} ({})",
                                   duration.count() / 1'000'000'000,
                                   duration.count() % 1'000'000'000, process.pid(),
                                   process.name()));
  AbandonMainIfDead(process);
  dispatch::TimePoint now = executor.Now();
  return now < deadline ? deadline - now : Duration::zero();
}

}  // namespace
}  // namespace xpctest::fakes::os

using xpctest::fakes::dispatch::Duration;
using xpctest::fakes::os::SleepAs;
using xpctest::fakes::runtime::Process;
using xpctest::fakes::runtime::SimulatedProcessOnThisThread;
namespace real = xpctest::fakes::real;

extern "C" {

unsigned sleep(unsigned seconds) {
  Process* process = SimulatedProcessOnThisThread();
  if (process == nullptr) return real::Sleep(seconds);
  auto left = SleepAs(*process, std::chrono::seconds(seconds), "sleep");
  // Whole seconds not slept, rounded up, as sleep(3) reports them.
  return static_cast<unsigned>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

int usleep(useconds_t microseconds) {
  Process* process = SimulatedProcessOnThisThread();
  if (process == nullptr) return real::Usleep(microseconds);
  if (SleepAs(*process, std::chrono::microseconds(microseconds), "usleep") > Duration::zero()) {
    errno = EINTR;
    return -1;
  }
  return 0;
}

int nanosleep(const struct timespec* duration, struct timespec* remaining) {
  Process* process = SimulatedProcessOnThisThread();
  if (process == nullptr) return real::Nanosleep(duration, remaining);
  if (duration == nullptr) {
    errno = EFAULT;
    return -1;
  }
  if (duration->tv_sec < 0 || duration->tv_nsec < 0 || duration->tv_nsec >= 1'000'000'000) {
    errno = EINVAL;
    return -1;
  }
  Duration requested =
      std::chrono::seconds(duration->tv_sec) + std::chrono::nanoseconds(duration->tv_nsec);
  Duration left = SleepAs(*process, requested, "nanosleep");
  if (left > Duration::zero()) {
    // Cut short, as by a signal: the time left, and EINTR.
    if (remaining != nullptr) {
      remaining->tv_sec = static_cast<time_t>(left.count() / 1'000'000'000);
      remaining->tv_nsec = static_cast<long>(left.count() % 1'000'000'000);
    }
    errno = EINTR;
    return -1;
  }
  return 0;
}

}  // extern "C"
