// dispatch/semaphore.h — counting semaphores (drop-in for Apple's).
//
//   dispatch_semaphore_t done = dispatch_semaphore_create(0);
//   dispatch_async(q, ^{ work(); dispatch_semaphore_signal(done); });
//   if (dispatch_semaphore_wait(done, dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC)) != 0) {
//     // timed out
//   }
//
// On the deterministic executor a wait runs other work on the calling thread
// until the semaphore is signalled; a wait that can never be satisfied is
// reported as a deadlock and returns as a timeout.
#ifndef XPCTEST_DISPATCH_SEMAPHORE_H
#define XPCTEST_DISPATCH_SEMAPHORE_H

#include <stdint.h>

#include <dispatch/object.h>
#include <dispatch/time.h>

#ifdef __cplusplus
extern "C" {
#endif

// dispatch_semaphore_create
//
// A semaphore with `value` available units; NULL when `value` is negative.
// Destroying it while its value is below `value` is misuse
// ("Semaphore object deallocated while in use").
dispatch_semaphore_t dispatch_semaphore_create(intptr_t value)
    XPCTEST_LINK_NAME(dispatch_semaphore_create);

// dispatch_semaphore_wait
//
// Takes one unit, waiting until `timeout` for one. Returns 0 on success and
// non-zero on timeout.
intptr_t dispatch_semaphore_wait(dispatch_semaphore_t dsema, dispatch_time_t timeout)
    XPCTEST_LINK_NAME(dispatch_semaphore_wait);

// dispatch_semaphore_signal
//
// Returns one unit; non-zero when it woke a waiter, 0 otherwise.
intptr_t dispatch_semaphore_signal(dispatch_semaphore_t dsema)
    XPCTEST_LINK_NAME(dispatch_semaphore_signal);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_SEMAPHORE_H
