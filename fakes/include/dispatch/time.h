// dispatch/time.h — dispatch_time_t and its constructors (drop-in for Apple's).
//
// A dispatch_time_t is either a point on the monotonic clock of the current
// executor (real CLOCK_MONOTONIC on the threaded executor, the virtual clock on
// the deterministic one), or, with its top bit set, a point in wall-clock time
// made by dispatch_walltime(). DISPATCH_TIME_NOW and DISPATCH_TIME_FOREVER are
// the two special values.
//
//   dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ ... });
#ifndef XPCTEST_DISPATCH_TIME_H
#define XPCTEST_DISPATCH_TIME_H

#include <stdint.h>
#include <time.h>

#include <xpctest/darwin_time.h>
#include <xpctest/link_name.h>

#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_MSEC 1000000ull
#define USEC_PER_SEC 1000000ull
#define NSEC_PER_USEC 1000ull

typedef uint64_t dispatch_time_t;

#define DISPATCH_TIME_NOW (0ull)
#define DISPATCH_TIME_FOREVER (~0ull)
// "Now" on the wall clock, for dispatch_time().
#define DISPATCH_WALLTIME_NOW (~1ull)

#ifdef __cplusplus
extern "C" {
#endif

// dispatch_time
//
// `when` plus `delta` nanoseconds. `when` may be DISPATCH_TIME_NOW,
// DISPATCH_WALLTIME_NOW, a value from dispatch_time or dispatch_walltime.
// FOREVER stays FOREVER; an overflow saturates to FOREVER.
dispatch_time_t dispatch_time(dispatch_time_t when, int64_t delta)
    XPCTEST_LINK_NAME(dispatch_time);

// dispatch_walltime
//
// A wall-clock time: `when` (NULL means now) plus `delta` nanoseconds. On the
// deterministic executor the wall clock is virtual too, and moves with the
// virtual monotonic clock.
dispatch_time_t dispatch_walltime(const struct timespec* when, int64_t delta)
    XPCTEST_LINK_NAME(dispatch_walltime);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_TIME_H
