#include "base/real_os.h"

#include <dlfcn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <xpctest/real_os.h>

namespace xpctest::fakes::real {
namespace {

// libc's definition of `name`: the next one after this library in the
// program's lookup order, so past our interposers. (A sanitizer's
// interceptor in the executable comes before us: it reaches our definition
// the same way, and through it this one.)
template <typename Function>
Function* Next(std::atomic<Function*>& slot, const char* name) {
  Function* function = slot.load(std::memory_order_acquire);
  if (function != nullptr) return function;
  function = reinterpret_cast<Function*>(dlsym(RTLD_NEXT, name));
  if (function == nullptr) {
    // Not through the reporter: this runs below everything, even in a
    // static constructor before main.
    std::fprintf(stderr,
                 "xpctest internal error: libc's %s is not found after libxpctest_fakes; "
                 "was libc linked before it?\n",
                 name);
    std::abort();
  }
  slot.store(function, std::memory_order_release);
  return function;
}

std::atomic<int (*)(clockid_t, struct timespec*)> g_clock_gettime{nullptr};
std::atomic<int (*)(const struct timespec*, struct timespec*)> g_nanosleep{nullptr};
std::atomic<unsigned (*)(unsigned)> g_sleep{nullptr};
std::atomic<int (*)(useconds_t)> g_usleep{nullptr};

int64_t Nanos(clockid_t clock) {
  struct timespec now;
  ClockGettime(clock, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace

// Credentials never change under the runtime and libc caches none of them:
// the system calls are exact.
pid_t Getpid() { return static_cast<pid_t>(syscall(SYS_getpid)); }
pid_t Getppid() { return static_cast<pid_t>(syscall(SYS_getppid)); }
uid_t Getuid() { return static_cast<uid_t>(syscall(SYS_getuid)); }
uid_t Geteuid() { return static_cast<uid_t>(syscall(SYS_geteuid)); }
gid_t Getgid() { return static_cast<gid_t>(syscall(SYS_getgid)); }
gid_t Getegid() { return static_cast<gid_t>(syscall(SYS_getegid)); }

int ClockGettime(clockid_t clock, struct timespec* now) {
  return Next(g_clock_gettime, "clock_gettime")(clock, now);
}
int Nanosleep(const struct timespec* duration, struct timespec* remaining) {
  return Next(g_nanosleep, "nanosleep")(duration, remaining);
}
unsigned Sleep(unsigned seconds) { return Next(g_sleep, "sleep")(seconds); }
int Usleep(useconds_t microseconds) { return Next(g_usleep, "usleep")(microseconds); }

int64_t MonotonicNanos() { return Nanos(CLOCK_MONOTONIC); }
int64_t WallNanos() { return Nanos(CLOCK_REALTIME); }

}  // namespace xpctest::fakes::real

namespace xpctest::real_os {

pid_t Pid() { return fakes::real::Getpid(); }
int64_t MonotonicNanos() { return fakes::real::MonotonicNanos(); }
int64_t WallNanos() { return fakes::real::WallNanos(); }

SteadyClock::time_point SteadyClock::now() noexcept {
  return time_point(duration(fakes::real::MonotonicNanos()));
}

}  // namespace xpctest::real_os
