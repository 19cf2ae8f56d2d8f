// dispatch/group.h — groups of blocks to wait for (drop-in for Apple's).
//
//   dispatch_group_t g = dispatch_group_create();
//   dispatch_group_async(g, q, ^{ fetch_a(); });
//   dispatch_group_enter(g); start_b(^{ dispatch_group_leave(g); });
//   dispatch_group_notify(g, dispatch_get_main_queue(), ^{ both_done(); });
//
// A group counts outstanding work. Notify blocks are submitted, and waiters
// woken, each time the count returns to zero. As in libdispatch, an entered
// group keeps itself alive until it empties: it may be released while work
// that will leave it (and notify blocks waiting for it) is outstanding.
#ifndef XPCTEST_DISPATCH_GROUP_H
#define XPCTEST_DISPATCH_GROUP_H

#include <stdint.h>

#include <dispatch/object.h>
#include <dispatch/time.h>

#ifdef __cplusplus
extern "C" {
#endif

dispatch_group_t dispatch_group_create(void) XPCTEST_LINK_NAME(dispatch_group_create);

// dispatch_group_async / _f: enter, submit, and leave once the block has run.
void dispatch_group_async(dispatch_group_t group, dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_group_async);
void dispatch_group_async_f(dispatch_group_t group, dispatch_queue_t queue, void* context,
                            dispatch_function_t work) XPCTEST_LINK_NAME(dispatch_group_async_f);

// dispatch_group_wait
//
// Waits until the group is empty or `timeout`; 0 when empty, non-zero on
// timeout. Pumps the scheduler on the deterministic executor.
intptr_t dispatch_group_wait(dispatch_group_t group, dispatch_time_t timeout)
    XPCTEST_LINK_NAME(dispatch_group_wait);

// dispatch_group_notify / _f
//
// Submits the block to `queue` when the group becomes empty (at once if it is).
void dispatch_group_notify(dispatch_group_t group, dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_group_notify);
void dispatch_group_notify_f(dispatch_group_t group, dispatch_queue_t queue, void* context,
                             dispatch_function_t work) XPCTEST_LINK_NAME(dispatch_group_notify_f);

// dispatch_group_enter / dispatch_group_leave
//
// Explicit counting; a leave without a matching enter is misuse
// ("Unbalanced call to dispatch_group_leave()") and is ignored.
void dispatch_group_enter(dispatch_group_t group) XPCTEST_LINK_NAME(dispatch_group_enter);
void dispatch_group_leave(dispatch_group_t group) XPCTEST_LINK_NAME(dispatch_group_leave);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_GROUP_H
