// dispatch/dispatch.h — drop-in for Apple's libdispatch umbrella header.
//
// Everything a client of libdispatch includes. Each declaration binds Apple's
// name to the prefixed symbol `xpctest_<name>` (see xpctest/link_name.h); the
// implementation lives in fakes/dispatch/.
//
// Like Apple's, it first includes the C headers that code written against it
// relies on without naming them (<string.h>, <unistd.h>, <fcntl.h>, ...), and
// it ends with the type-generic calls Apple's <dispatch/object.h> declares:
//
//   dispatch_wait(group_or_semaphore, timeout);   // dispatch_group_wait / _semaphore_wait
//   dispatch_notify(group, queue, ^{ ... });      // dispatch_group_notify
//   dispatch_cancel(source);                      // dispatch_source_cancel
//   dispatch_testcancel(source);                  // dispatch_source_testcancel
//
// C11 selects the function with _Generic, C++ with overloads. They live here,
// after every object header, because the C++ overloads need the functions
// declared. Apple's also accept dispatch_block_t, for the dispatch_block_*
// calls xpctest does not offer; a block argument does not compile.
#ifndef XPCTEST_DISPATCH_DISPATCH_H
#define XPCTEST_DISPATCH_DISPATCH_H

#if defined(__has_include)
#if __has_include(<sys/cdefs.h>)
#include <sys/cdefs.h>
#endif
#endif
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#define DISPATCH_API_VERSION 20181008

#include <dispatch/object.h>
#include <dispatch/time.h>
#include <dispatch/queue.h>
#include <dispatch/once.h>
#include <dispatch/semaphore.h>
#include <dispatch/group.h>
#include <dispatch/source.h>
#include <dispatch/data.h>

#ifdef __cplusplus
inline intptr_t dispatch_wait(dispatch_group_t group, dispatch_time_t timeout) {
  return dispatch_group_wait(group, timeout);
}
inline intptr_t dispatch_wait(dispatch_semaphore_t semaphore, dispatch_time_t timeout) {
  return dispatch_semaphore_wait(semaphore, timeout);
}
inline void dispatch_notify(dispatch_group_t group, dispatch_queue_t queue,
                            dispatch_block_t notification) {
  dispatch_group_notify(group, queue, notification);
}
inline void dispatch_cancel(dispatch_source_t source) { dispatch_source_cancel(source); }
inline intptr_t dispatch_testcancel(dispatch_source_t source) {
  return dispatch_source_testcancel(source);
}
#else
#define dispatch_wait(object, timeout)                                           \
  _Generic((object), dispatch_group_t: dispatch_group_wait,                      \
           dispatch_semaphore_t: dispatch_semaphore_wait)((object), (timeout))
#define dispatch_notify(object, queue, notification_block)                       \
  _Generic((object), dispatch_group_t: dispatch_group_notify)((object), (queue), \
                                                              (notification_block))
#define dispatch_cancel(object) \
  _Generic((object), dispatch_source_t: dispatch_source_cancel)((object))
#define dispatch_testcancel(object) \
  _Generic((object), dispatch_source_t: dispatch_source_testcancel)((object))
#endif

#endif  // XPCTEST_DISPATCH_DISPATCH_H
