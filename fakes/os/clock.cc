// The clocks a process reads: libc's clock_gettime, gettimeofday and time
// (interposed), Darwin's clock_gettime_nsec_np and Mach time.
//
// Code running as a simulated process on the deterministic executor reads the
// executor's virtual clock: every monotonic clock gives the executor's time
// (the same numbers as dispatch_time(DISPATCH_TIME_NOW, 0)), every wall clock
// its virtual wall time. CPU-time clocks stay real: virtual time has no CPU.
// Everyone else — the host process, gtest, the runtime, and every process on
// the threaded executor, whose clock is the real one — reads the real clocks.
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#include <cstdint>

#include <mach/mach_time.h>
#include <xpctest/darwin_time.h>

#include "base/real_os.h"
#include "dispatch/domain.h"
#include "dispatch/executor.h"
#include "runtime/process.h"
#include "runtime/process_domain.h"

namespace xpctest::fakes::os {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

enum class ClockFamily { kMonotonic, kWall, kOther };

struct ClockRoute {
  ClockFamily family;
  // The clock libc reads for it (Darwin's ids have no Linux number).
  clockid_t real;
};

ClockRoute Route(clockid_t clock) {
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_REALTIME_ALARM:
    case CLOCK_TAI:
      return {ClockFamily::kWall, clock};
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_BOOTTIME_ALARM:
      return {ClockFamily::kMonotonic, clock};
    // Darwin: mach_absolute_time(), which is the executors' clock.
    case CLOCK_UPTIME_RAW:
    case CLOCK_UPTIME_RAW_APPROX:
      return {ClockFamily::kMonotonic, CLOCK_MONOTONIC};
    case CLOCK_MONOTONIC_RAW_APPROX:
      return {ClockFamily::kMonotonic, CLOCK_MONOTONIC_RAW};
    default:
      // CPU-time clocks, dynamic clocks, and ids libc will refuse.
      return {ClockFamily::kOther, clock};
  }
}

// The deterministic executor whose virtual clock the calling code reads, or
// null: the code does not run as a simulated process, or its clock is real.
const dispatch::Executor* VirtualClock() {
  runtime::Process* process = runtime::SimulatedProcessOnThisThread();
  if (process == nullptr) return nullptr;
  const dispatch::Executor& executor = process->domain().executor();
  return executor.kind() == dispatch::ExecutorKind::kDeterministic ? &executor : nullptr;
}

struct timespec FromNanos(int64_t nanos) {
  return {static_cast<time_t>(nanos / kNanosPerSecond), static_cast<long>(nanos % kNanosPerSecond)};
}

}  // namespace

int ClockGettime(clockid_t clock, struct timespec* now) {
  ClockRoute route = Route(clock);
  if (route.family != ClockFamily::kOther) {
    if (const dispatch::Executor* executor = VirtualClock()) {
      if (now == nullptr) {
        errno = EFAULT;
        return -1;
      }
      *now = FromNanos(route.family == ClockFamily::kWall ? executor->WallNow()
                                                           : executor->Now().nanos);
      return 0;
    }
  }
  return real::ClockGettime(route.real, now);
}

// Nanoseconds on `clock`, or 0 (errno EINVAL) when it is unknown.
uint64_t ClockNanos(clockid_t clock) {
  struct timespec now;
  if (ClockGettime(clock, &now) != 0) return 0;
  return static_cast<uint64_t>(now.tv_sec) * kNanosPerSecond + static_cast<uint64_t>(now.tv_nsec);
}

}  // namespace xpctest::fakes::os

using xpctest::fakes::os::ClockGettime;
using xpctest::fakes::os::ClockNanos;

extern "C" {

// --- libc, interposed --------------------------------------------------------

int clock_gettime(clockid_t clock, struct timespec* now) noexcept {
  return ClockGettime(clock, now);
}

// Both read CLOCK_REALTIME, as glibc's do, so that they agree with it.
int gettimeofday(struct timeval* now, void* zone) noexcept {
  struct timespec wall;
  if (ClockGettime(CLOCK_REALTIME, &wall) != 0) return -1;
  // glibc declares `now` nonnull.
  *now = {wall.tv_sec, static_cast<suseconds_t>(wall.tv_nsec / 1000)};
  // Obsolete; glibc fills it with zeros too.
  if (zone != nullptr) *static_cast<struct timezone*>(zone) = {0, 0};
  return 0;
}

time_t time(time_t* now) noexcept {
  struct timespec wall;
  if (ClockGettime(CLOCK_REALTIME, &wall) != 0) return static_cast<time_t>(-1);
  if (now != nullptr) *now = wall.tv_sec;
  return wall.tv_sec;
}

// --- Darwin ------------------------------------------------------------------

uint64_t clock_gettime_nsec_np(clockid_t clock) { return ClockNanos(clock); }

kern_return_t mach_timebase_info(mach_timebase_info_t info) {
  if (info == nullptr) return KERN_INVALID_ARGUMENT;
  // A tick is a nanosecond (see <mach/mach_time.h>).
  info->numer = 1;
  info->denom = 1;
  return KERN_SUCCESS;
}

uint64_t mach_absolute_time(void) { return ClockNanos(CLOCK_UPTIME_RAW); }
uint64_t mach_approximate_time(void) { return ClockNanos(CLOCK_UPTIME_RAW_APPROX); }
uint64_t mach_continuous_time(void) { return ClockNanos(CLOCK_BOOTTIME); }
uint64_t mach_continuous_approximate_time(void) { return ClockNanos(CLOCK_BOOTTIME); }

}  // extern "C"
