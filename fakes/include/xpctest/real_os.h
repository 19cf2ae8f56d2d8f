// xpctest/real_os.h — the real machine, for code that must not be simulated.
//
// Code running as a simulated process sees that process's pid and
// credentials from getpid() and friends, and on the deterministic executor
// the virtual clock from clock_gettime(), time(), std::chrono's clocks and
// mach_absolute_time() (docs/processes-and-the-os.md). Code that must see
// the real machine wherever it runs — a load test measuring wall time from a
// reply handler, a benchmark — reads it here:
//
//   auto start = xpctest::real_os::SteadyClock::now();
//   ... // handlers of simulated processes run meanwhile
//   auto wall = xpctest::real_os::SteadyClock::now() - start;
//
// Code that interrupts a simulated process and must not pass for it — a
// signal handler, such as a fuzzer's timeout alarm, which reads
// std::chrono's clocks and getpid() — runs inside a ScopedRealOs.
//
// Thread safety: every function may be called from any thread.
#ifndef XPCTEST_REAL_OS_H
#define XPCTEST_REAL_OS_H

#include <sys/types.h>

#include <chrono>
#include <cstdint>

namespace xpctest::real_os {

// The test program's own pid, as the kernel knows it.
pid_t Pid();
// CLOCK_MONOTONIC and CLOCK_REALTIME, in nanoseconds, never virtual.
int64_t MonotonicNanos();
int64_t WallNanos();

// std::chrono::steady_clock, but always real time (CLOCK_MONOTONIC).
struct SteadyClock {
  using rep = int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<SteadyClock>;
  static constexpr bool is_steady = true;
  static time_point now() noexcept;
};

// Everything in its scope, on this thread, runs as the test program rather
// than as the simulated process whose code the thread was running: getpid(),
// the credentials, the clocks and sleep() are the real ones. Nests. Safe in a
// signal handler (it swaps one thread-local pointer).
class ScopedRealOs {
 public:
  ScopedRealOs() noexcept;
  ~ScopedRealOs();
  ScopedRealOs(const ScopedRealOs&) = delete;
  ScopedRealOs& operator=(const ScopedRealOs&) = delete;

 private:
  void* interrupted_;  // the domain the thread was running as
};

}  // namespace xpctest::real_os

#endif  // XPCTEST_REAL_OS_H
