// base/real_os.h — the real operating system, past xpctest's libc interposers.
//
// libxpctest_fakes defines getpid, clock_gettime, sleep and friends so that
// code running as a simulated process sees that process's pid and the
// executor's clock (fakes/os, docs/processes-and-the-os.md). The runtime
// itself must never see those answers: it calls the real functions here,
// which are libc's (found with dlsym(RTLD_NEXT), so the next definition after
// this library) or plain system calls.
//
//   identity.credentials.pid = real::Getpid();      // the test program's own pid
//   timespec now; real::ClockGettime(CLOCK_MONOTONIC, &now);
//
// Thread safety: every function may be called from any thread, at any time
// (also before this library's static constructors ran).
#ifndef XPCTEST_FAKES_BASE_REAL_OS_H
#define XPCTEST_FAKES_BASE_REAL_OS_H

#include <sys/types.h>
#include <time.h>

namespace xpctest::fakes::real {

pid_t Getpid();
pid_t Getppid();
uid_t Getuid();
uid_t Geteuid();
gid_t Getgid();
gid_t Getegid();

int ClockGettime(clockid_t clock, struct timespec* now);

// May return early with -1/EINTR when a signal arrives, as libc's does.
int Nanosleep(const struct timespec* duration, struct timespec* remaining);
unsigned Sleep(unsigned seconds);
int Usleep(useconds_t microseconds);

// CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds.
int64_t MonotonicNanos();
int64_t WallNanos();

}  // namespace xpctest::fakes::real

#endif  // XPCTEST_FAKES_BASE_REAL_OS_H
