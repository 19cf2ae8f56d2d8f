// mach/mach_time.h — Mach absolute time (drop-in for Apple's header).
//
//   mach_timebase_info_data_t base;
//   mach_timebase_info(&base);
//   uint64_t start = mach_absolute_time();
//   ...
//   uint64_t nanos = (mach_absolute_time() - start) * base.numer / base.denom;
//
// The timebase is 1/1: a tick is a nanosecond, as on Intel Macs (Apple
// silicon's is 125/3; code that uses mach_timebase_info works with either).
// mach_absolute_time() reads the same clock as dispatch_time(DISPATCH_TIME_NOW,
// 0), CLOCK_UPTIME_RAW and CLOCK_MONOTONIC: inside a simulated process on the
// deterministic executor, the virtual clock; elsewhere the real one
// (docs/processes-and-the-os.md). The continuous clocks also count time the
// machine slept (CLOCK_BOOTTIME), which virtual time never does.
#ifndef XPCTEST_MACH_MACH_TIME_H
#define XPCTEST_MACH_MACH_TIME_H

#include <stdint.h>

#include <mach/kern_return.h>
#include <xpctest/darwin_time.h>
#include <xpctest/link_name.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mach_timebase_info {
  uint32_t numer;
  uint32_t denom;
};
typedef struct mach_timebase_info* mach_timebase_info_t;
typedef struct mach_timebase_info mach_timebase_info_data_t;

// Fills `info` with the tick's length in nanoseconds, numer/denom.
kern_return_t mach_timebase_info(mach_timebase_info_t info) XPCTEST_LINK_NAME(mach_timebase_info);
uint64_t mach_absolute_time(void) XPCTEST_LINK_NAME(mach_absolute_time);
uint64_t mach_approximate_time(void) XPCTEST_LINK_NAME(mach_approximate_time);
uint64_t mach_continuous_time(void) XPCTEST_LINK_NAME(mach_continuous_time);
uint64_t mach_continuous_approximate_time(void)
    XPCTEST_LINK_NAME(mach_continuous_approximate_time);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_MACH_MACH_TIME_H
