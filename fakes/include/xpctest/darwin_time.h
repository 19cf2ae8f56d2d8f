// xpctest/darwin_time.h — Darwin's additions to <time.h>, on other systems.
//
// macOS code reads clocks Linux does not name (CLOCK_UPTIME_RAW and the
// *_APPROX variants) and calls clock_gettime_nsec_np(). <dispatch/time.h> and
// <mach/mach_time.h> include this header, so code that includes <xpc/xpc.h>
// or <dispatch/dispatch.h> and <time.h>, as on macOS, compiles unchanged:
//
//   uint64_t start = clock_gettime_nsec_np(CLOCK_UPTIME_RAW);
//   struct timespec now;
//   clock_gettime(CLOCK_UPTIME_RAW, &now);
//
// The Darwin-only clock ids lie outside Linux's (Darwin's own number in the
// low byte of 0x58500000), so only xpctest's clock_gettime answers them; libc
// would refuse them with EINVAL. Inside a simulated process on the
// deterministic executor every monotonic clock reads virtual time
// (docs/processes-and-the-os.md).
#ifndef XPCTEST_DARWIN_TIME_H
#define XPCTEST_DARWIN_TIME_H

#include <stdint.h>
#include <time.h>

#include <xpctest/link_name.h>

#if !defined(__APPLE__)

#define XPCTEST_DARWIN_CLOCK_BASE 0x58500000
// mach_absolute_time(): does not count time asleep, not slewed.
#ifndef CLOCK_UPTIME_RAW
#define CLOCK_UPTIME_RAW ((clockid_t)(XPCTEST_DARWIN_CLOCK_BASE + 8))
#endif
// CLOCK_UPTIME_RAW as of the last context switch.
#ifndef CLOCK_UPTIME_RAW_APPROX
#define CLOCK_UPTIME_RAW_APPROX ((clockid_t)(XPCTEST_DARWIN_CLOCK_BASE + 9))
#endif
// CLOCK_MONOTONIC_RAW as of the last context switch.
#ifndef CLOCK_MONOTONIC_RAW_APPROX
#define CLOCK_MONOTONIC_RAW_APPROX ((clockid_t)(XPCTEST_DARWIN_CLOCK_BASE + 5))
#endif

#ifdef __cplusplus
extern "C" {
#endif

// The clock's time in nanoseconds; 0 (errno EINVAL) for an unknown clock.
uint64_t clock_gettime_nsec_np(clockid_t clock_id) XPCTEST_LINK_NAME(clock_gettime_nsec_np);

#ifdef __cplusplus
}
#endif

#endif  // !defined(__APPLE__)

#endif  // XPCTEST_DARWIN_TIME_H
