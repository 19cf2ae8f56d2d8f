// dispatch/queue.h — queues and the blocks submitted to them (drop-in for
// Apple's header).
//
//   dispatch_queue_t q = dispatch_queue_create("com.example.worker", DISPATCH_QUEUE_SERIAL);
//   dispatch_async(q, ^{ step_one(); });
//   dispatch_sync(q, ^{ step_two(); });   // runs after step_one, on the calling thread
//   dispatch_release(q);                  // pending blocks still run
//
// Ordering and exclusion: a serial queue runs one block at a time, in
// submission order. A queue's target queue bounds it: a block runs only while
// every serial queue up its target chain is free, so queues that target one
// serial queue exclude one another. A concurrent queue runs blocks in
// submission order but may overlap them; a barrier block waits for everything
// before it and holds off everything after it.
//
// Where blocks run: on the executor of the process-like "domain" the queue was
// created in (see fakes/dispatch/domain.h). The main queue and the global
// queues belong to the current domain. On the threaded executor, main-queue
// blocks run on worker threads (still one at a time) unless dispatch_main()
// hands the calling thread over to them.
#ifndef XPCTEST_DISPATCH_QUEUE_H
#define XPCTEST_DISPATCH_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include <dispatch/object.h>
#include <dispatch/time.h>

XPCTEST_DISPATCH_DECL_SUBCLASS(dispatch_queue_global, dispatch_queue);
XPCTEST_DISPATCH_DECL_SUBCLASS(dispatch_queue_serial, dispatch_queue);
XPCTEST_DISPATCH_DECL_SUBCLASS(dispatch_queue_main, dispatch_queue_serial);
XPCTEST_DISPATCH_DECL_SUBCLASS(dispatch_queue_concurrent, dispatch_queue);

// Quality-of-service classes. Apple takes them from <sys/qos.h>, which Linux
// lacks; the values are Apple's.
#if !defined(__QOS_ENUM) && !defined(XPCTEST_QOS_CLASS_DEFINED)
#define XPCTEST_QOS_CLASS_DEFINED 1
typedef enum {
  QOS_CLASS_USER_INTERACTIVE = 0x21,
  QOS_CLASS_USER_INITIATED = 0x19,
  QOS_CLASS_DEFAULT = 0x15,
  QOS_CLASS_UTILITY = 0x11,
  QOS_CLASS_BACKGROUND = 0x09,
  QOS_CLASS_UNSPECIFIED = 0x00,
} qos_class_t;
#endif
typedef qos_class_t dispatch_qos_class_t;

// Priorities accepted by dispatch_get_global_queue besides QoS classes.
#define DISPATCH_QUEUE_PRIORITY_HIGH 2
#define DISPATCH_QUEUE_PRIORITY_DEFAULT 0
#define DISPATCH_QUEUE_PRIORITY_LOW (-2)
#define DISPATCH_QUEUE_PRIORITY_BACKGROUND (-32768)

// Attributes for dispatch_queue_create.
#define DISPATCH_QUEUE_SERIAL ((dispatch_queue_attr_t)0)
#define DISPATCH_QUEUE_CONCURRENT (&_dispatch_queue_attr_concurrent)
#define DISPATCH_QUEUE_SERIAL_INACTIVE \
  dispatch_queue_attr_make_initially_inactive(DISPATCH_QUEUE_SERIAL)
#define DISPATCH_QUEUE_CONCURRENT_INACTIVE \
  dispatch_queue_attr_make_initially_inactive(DISPATCH_QUEUE_CONCURRENT)

// dispatch_queue_get_label(DISPATCH_CURRENT_QUEUE_LABEL) names the current queue.
#define DISPATCH_CURRENT_QUEUE_LABEL ((dispatch_queue_t)0)
// The default target (the default-QoS global queue of the queue's domain).
#define DISPATCH_TARGET_QUEUE_DEFAULT ((dispatch_queue_t)0)
// dispatch_apply's "pick a suitable queue".
#define DISPATCH_APPLY_AUTO ((dispatch_queue_t)0)

#ifdef __cplusplus
extern "C" {
#endif

extern struct dispatch_queue_attr_s _dispatch_queue_attr_concurrent
    XPCTEST_LINK_NAME(_dispatch_queue_attr_concurrent);

// dispatch_queue_create
//
// A new queue with one reference, in the current domain, targeting that
// domain's default global queue. `label` is copied; NULL means "". `attr` is
// DISPATCH_QUEUE_SERIAL (NULL), DISPATCH_QUEUE_CONCURRENT, or an attribute
// derived from them (QoS is accepted and recorded; it does not reorder work).
dispatch_queue_t dispatch_queue_create(const char* label, dispatch_queue_attr_t attr)
    XPCTEST_LINK_NAME(dispatch_queue_create);

// dispatch_queue_create_with_target
//
// As dispatch_queue_create, then dispatch_set_target_queue(queue, target).
dispatch_queue_t dispatch_queue_create_with_target(const char* label, dispatch_queue_attr_t attr,
                                                   dispatch_queue_t target)
    XPCTEST_LINK_NAME(dispatch_queue_create_with_target);

// dispatch_queue_get_label
//
// The label given at creation ("" when none). DISPATCH_CURRENT_QUEUE_LABEL
// asks for the queue running the caller, or the default global queue's label
// outside any queue.
const char* dispatch_queue_get_label(dispatch_queue_t queue)
    XPCTEST_LINK_NAME(dispatch_queue_get_label);

// dispatch_queue_get_qos_class
//
// The QoS class from the queue's attribute; `relative_priority` may be NULL.
dispatch_qos_class_t dispatch_queue_get_qos_class(dispatch_queue_t queue, int* relative_priority)
    XPCTEST_LINK_NAME(dispatch_queue_get_qos_class);

// dispatch_queue_attr_make_with_qos_class / _make_initially_inactive
//
// Derived attributes; both accept and return DISPATCH_QUEUE_SERIAL (NULL) too.
dispatch_queue_attr_t dispatch_queue_attr_make_with_qos_class(dispatch_queue_attr_t attr,
                                                              dispatch_qos_class_t qos_class,
                                                              int relative_priority)
    XPCTEST_LINK_NAME(dispatch_queue_attr_make_with_qos_class);
dispatch_queue_attr_t dispatch_queue_attr_make_initially_inactive(dispatch_queue_attr_t attr)
    XPCTEST_LINK_NAME(dispatch_queue_attr_make_initially_inactive);

// dispatch_get_main_queue
//
// The current domain's main queue: serial, immortal. Unlike Apple's inline
// function this is a call, because every simulated process has its own.
dispatch_queue_main_t dispatch_get_main_queue(void) XPCTEST_LINK_NAME(dispatch_get_main_queue);

// dispatch_get_global_queue
//
// The current domain's concurrent global queue for a QoS class or a
// DISPATCH_QUEUE_PRIORITY_*; NULL for an unknown identifier or non-zero flags.
dispatch_queue_global_t dispatch_get_global_queue(intptr_t identifier, uintptr_t flags)
    XPCTEST_LINK_NAME(dispatch_get_global_queue);

// dispatch_set_target_queue
//
// Makes `queue` (the first object) run its work through `target`; NULL means
// the default global queue. Takes effect for blocks that start afterwards.
void dispatch_set_target_queue(dispatch_object_t object, dispatch_queue_t queue)
    XPCTEST_LINK_NAME(dispatch_set_target_queue);

// dispatch_async / dispatch_async_f
//
// Submits a block (copied) or a function and returns at once.
void dispatch_async(dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_async);
void dispatch_async_f(dispatch_queue_t queue, void* context, dispatch_function_t work)
    XPCTEST_LINK_NAME(dispatch_async_f);

// dispatch_sync / dispatch_sync_f
//
// Runs the block on the calling thread once the queue lets it run, and
// returns after it; no other thread is needed to hand the queue over. Called
// on a serial queue that the caller is already running on (directly or
// through target queues), it would never return: this is reported as misuse
// ("dispatch_sync called on queue already owned by current thread") and the
// block is not run. The main thread (the process's initial thread, which runs
// main() or the test body; a simulated process's main) always holds the main
// queue, as libdispatch binds it there: dispatch_sync onto the main queue, or
// a queue targeting it, from the main thread is that misuse too.
void dispatch_sync(dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_sync);
void dispatch_sync_f(dispatch_queue_t queue, void* context, dispatch_function_t work)
    XPCTEST_LINK_NAME(dispatch_sync_f);

// dispatch_async_and_wait / dispatch_barrier_async_and_wait (+_f)
//
// As dispatch_sync / dispatch_barrier_sync here: the block runs on the calling
// thread once the queue lets it, in order with the blocks submitted before it,
// and the call returns after it. (On macOS the difference is which thread runs
// the block and which QoS and autorelease pool it gets; neither is modelled.)
// Called on a serial queue the caller already runs on, it is reported as
// dispatch_sync is, and the block is not run.
void dispatch_async_and_wait(dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_async_and_wait);
void dispatch_async_and_wait_f(dispatch_queue_t queue, void* context, dispatch_function_t work)
    XPCTEST_LINK_NAME(dispatch_async_and_wait_f);
void dispatch_barrier_async_and_wait(dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_barrier_async_and_wait);
void dispatch_barrier_async_and_wait_f(dispatch_queue_t queue, void* context,
                                       dispatch_function_t work)
    XPCTEST_LINK_NAME(dispatch_barrier_async_and_wait_f);

// dispatch_barrier_async / _sync (+_f)
//
// On a concurrent queue made with dispatch_queue_create, the block runs alone:
// after every earlier block has finished and before any later one starts. On
// serial and global queues it behaves as dispatch_async / dispatch_sync.
void dispatch_barrier_async(dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_barrier_async);
void dispatch_barrier_async_f(dispatch_queue_t queue, void* context, dispatch_function_t work)
    XPCTEST_LINK_NAME(dispatch_barrier_async_f);
void dispatch_barrier_sync(dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_barrier_sync);
void dispatch_barrier_sync_f(dispatch_queue_t queue, void* context, dispatch_function_t work)
    XPCTEST_LINK_NAME(dispatch_barrier_sync_f);

// dispatch_after / dispatch_after_f
//
// Submits the block to `queue` no earlier than `when`. DISPATCH_TIME_NOW is
// dispatch_async; DISPATCH_TIME_FOREVER never runs it.
void dispatch_after(dispatch_time_t when, dispatch_queue_t queue, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_after);
void dispatch_after_f(dispatch_time_t when, dispatch_queue_t queue, void* context,
                      dispatch_function_t work) XPCTEST_LINK_NAME(dispatch_after_f);

// dispatch_apply / dispatch_apply_f
//
// Runs the block `iterations` times with indexes 0..iterations-1 and returns
// when all have finished. On a concurrent queue iterations may overlap.
void dispatch_apply(size_t iterations, dispatch_queue_t queue, void (^block)(size_t iteration))
    XPCTEST_LINK_NAME(dispatch_apply);
void dispatch_apply_f(size_t iterations, dispatch_queue_t queue, void* context,
                      void (*work)(void* context, size_t iteration))
    XPCTEST_LINK_NAME(dispatch_apply_f);

// dispatch_queue_set_specific / dispatch_queue_get_specific / dispatch_get_specific
//
// Key-value pairs attached to a queue. dispatch_get_specific looks at the
// queue running the caller, then up its target chain. Replacing or destroying
// a value calls its destructor. A NULL key is ignored.
void dispatch_queue_set_specific(dispatch_queue_t queue, const void* key, void* context,
                                 dispatch_function_t destructor)
    XPCTEST_LINK_NAME(dispatch_queue_set_specific);
void* dispatch_queue_get_specific(dispatch_queue_t queue, const void* key)
    XPCTEST_LINK_NAME(dispatch_queue_get_specific);
void* dispatch_get_specific(const void* key) XPCTEST_LINK_NAME(dispatch_get_specific);

// dispatch_assert_queue / _barrier / _not
//
// Misuse reports when the caller is not running on `queue` (or one that
// targets it), is not running on it as a barrier, or is running on it.
void dispatch_assert_queue(dispatch_queue_t queue) XPCTEST_LINK_NAME(dispatch_assert_queue);
void dispatch_assert_queue_barrier(dispatch_queue_t queue)
    XPCTEST_LINK_NAME(dispatch_assert_queue_barrier);
void dispatch_assert_queue_not(dispatch_queue_t queue)
    XPCTEST_LINK_NAME(dispatch_assert_queue_not);

// dispatch_main
//
// Never returns. Threaded executor: the calling thread serves the main queue
// forever. Deterministic executor: runs everything until nothing can ever run
// again, then reports the deadlock "dispatch_main: nothing left to run" (and
// exits the process with status 1 if a sink let the report return).
void dispatch_main(void) XPCTEST_LINK_NAME(dispatch_main) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_QUEUE_H
