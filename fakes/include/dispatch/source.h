// dispatch/source.h — dispatch sources; only timers are implemented (drop-in
// for Apple's header).
//
//   dispatch_source_t t = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, q);
//   dispatch_source_set_timer(t, dispatch_time(DISPATCH_TIME_NOW, NSEC_PER_SEC),
//                             NSEC_PER_SEC, 0);
//   dispatch_source_set_event_handler(t, ^{ tick(dispatch_source_get_data(t)); });
//   dispatch_source_set_cancel_handler(t, ^{ dispatch_release(t); });
//   dispatch_activate(t);
//   ...
//   dispatch_source_cancel(t);
//
// A source is created inactive. Its handlers run on its target queue, never
// concurrently with one another. Firings that arrive while the event handler
// is pending or the source is suspended are coalesced; get_data tells how
// many. After dispatch_source_cancel the event handler never starts again and
// the cancel handler runs once, after any running event handler. An active,
// uncancelled timer keeps its source alive after the last release.
#ifndef XPCTEST_DISPATCH_SOURCE_H
#define XPCTEST_DISPATCH_SOURCE_H

#include <stdint.h>

#include <dispatch/object.h>
#include <dispatch/time.h>

typedef const struct dispatch_source_type_s* dispatch_source_type_t;

#define DISPATCH_SOURCE_TYPE_TIMER (&_dispatch_source_type_timer)
// Mask flag for timers: leeway is not applied (it never is here).
#define DISPATCH_TIMER_STRICT 0x1

#ifdef __cplusplus
extern "C" {
#endif

extern const struct dispatch_source_type_s _dispatch_source_type_timer
    XPCTEST_LINK_NAME(_dispatch_source_type_timer);

// dispatch_source_create
//
// An inactive source of `type` delivering to `queue` (NULL: the default global
// queue). NULL for types other than DISPATCH_SOURCE_TYPE_TIMER.
dispatch_source_t dispatch_source_create(dispatch_source_type_t type, uintptr_t handle,
                                         uintptr_t mask, dispatch_queue_t queue)
    XPCTEST_LINK_NAME(dispatch_source_create);

// Handlers. The _f variants receive the source's context.
void dispatch_source_set_event_handler(dispatch_source_t source, dispatch_block_t handler)
    XPCTEST_LINK_NAME(dispatch_source_set_event_handler);
void dispatch_source_set_event_handler_f(dispatch_source_t source, dispatch_function_t handler)
    XPCTEST_LINK_NAME(dispatch_source_set_event_handler_f);
void dispatch_source_set_cancel_handler(dispatch_source_t source, dispatch_block_t handler)
    XPCTEST_LINK_NAME(dispatch_source_set_cancel_handler);
void dispatch_source_set_cancel_handler_f(dispatch_source_t source, dispatch_function_t handler)
    XPCTEST_LINK_NAME(dispatch_source_set_cancel_handler_f);
// Runs once, on the target queue, when the source is first activated.
void dispatch_source_set_registration_handler(dispatch_source_t source, dispatch_block_t handler)
    XPCTEST_LINK_NAME(dispatch_source_set_registration_handler);
void dispatch_source_set_registration_handler_f(dispatch_source_t source,
                                                dispatch_function_t handler)
    XPCTEST_LINK_NAME(dispatch_source_set_registration_handler_f);

// dispatch_source_cancel / dispatch_source_testcancel
//
// Asynchronous cancellation; idempotent. testcancel is non-zero once cancelled.
void dispatch_source_cancel(dispatch_source_t source) XPCTEST_LINK_NAME(dispatch_source_cancel);
intptr_t dispatch_source_testcancel(dispatch_source_t source)
    XPCTEST_LINK_NAME(dispatch_source_testcancel);

// The creation arguments, and (inside the event handler) the number of timer
// firings the current invocation stands for.
uintptr_t dispatch_source_get_handle(dispatch_source_t source)
    XPCTEST_LINK_NAME(dispatch_source_get_handle);
uintptr_t dispatch_source_get_mask(dispatch_source_t source)
    XPCTEST_LINK_NAME(dispatch_source_get_mask);
uintptr_t dispatch_source_get_data(dispatch_source_t source)
    XPCTEST_LINK_NAME(dispatch_source_get_data);

// dispatch_source_set_timer
//
// First firing at `start`, then every `interval` nanoseconds
// (DISPATCH_TIME_FOREVER: once; 0 means 1 ns and anything above INT64_MAX
// means INT64_MAX, as in libdispatch). `leeway` is accepted and ignored:
// timers fire at their deadline, never early. As in libdispatch, a repeating
// timer is re-armed only when its event is delivered: firings while the
// source or its target queue is suspended, or the handler is still busy,
// coalesce into one event whose data counts them. On the deterministic
// executor, whose clock stands still while handlers run, a repeating timer
// fires at most once per virtual millisecond; its data still counts every
// interval.
void dispatch_source_set_timer(dispatch_source_t source, dispatch_time_t start, uint64_t interval,
                               uint64_t leeway) XPCTEST_LINK_NAME(dispatch_source_set_timer);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_SOURCE_H
