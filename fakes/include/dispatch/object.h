// dispatch/object.h — the dispatch object types and the calls every object
// shares (drop-in for Apple's header of the same name).
//
// In C the object types are distinct struct pointers and dispatch_object_t is a
// transparent union of them, so dispatch_retain(queue) type-checks; in C++ the
// structs form a hierarchy for the same effect.
//
// Every object starts with one reference owned by its creator. Queues and
// sources that still have work to do keep themselves alive until it has run,
// so releasing them early is safe. Global and main queues ignore retain and
// release.
#ifndef XPCTEST_DISPATCH_OBJECT_H
#define XPCTEST_DISPATCH_OBJECT_H

#include <xpctest/link_name.h>

#ifdef __cplusplus
struct dispatch_object_s {};
typedef struct dispatch_object_s* dispatch_object_t;
#define XPCTEST_DISPATCH_DECL(name) \
  struct name##_s : public dispatch_object_s {}; \
  typedef struct name##_s* name##_t
#define XPCTEST_DISPATCH_DECL_SUBCLASS(name, base) \
  struct name##_s : public base##_s {};            \
  typedef struct name##_s* name##_t
#else
#define XPCTEST_DISPATCH_DECL(name) typedef struct name##_s* name##_t
// In C a subclass is its base type, so it passes wherever the base is expected.
#define XPCTEST_DISPATCH_DECL_SUBCLASS(name, base) typedef base##_t name##_t
#endif

XPCTEST_DISPATCH_DECL(dispatch_queue);
XPCTEST_DISPATCH_DECL(dispatch_queue_attr);
XPCTEST_DISPATCH_DECL(dispatch_group);
XPCTEST_DISPATCH_DECL(dispatch_semaphore);
XPCTEST_DISPATCH_DECL(dispatch_source);
XPCTEST_DISPATCH_DECL(dispatch_data);

#ifndef __cplusplus
typedef union {
  struct dispatch_object_s* _do;
  struct dispatch_queue_s* _dq;
  struct dispatch_queue_attr_s* _dqa;
  struct dispatch_group_s* _dg;
  struct dispatch_semaphore_s* _dsema;
  struct dispatch_source_s* _ds;
  struct dispatch_data_s* _ddata;
} dispatch_object_t __attribute__((__transparent_union__));
#endif

typedef void (^dispatch_block_t)(void);
typedef void (*dispatch_function_t)(void* context);

#ifdef __cplusplus
extern "C" {
#endif

// dispatch_retain
//
// Adds a reference. Global and main queues ignore it.
void dispatch_retain(dispatch_object_t object) XPCTEST_LINK_NAME(dispatch_retain);

// dispatch_release
//
// Drops a reference. Dropping the last one of a suspended or inactive queue or
// source is misuse ("Release of a suspended object"); dropping more than were
// held is misuse ("Over-release of an object").
void dispatch_release(dispatch_object_t object) XPCTEST_LINK_NAME(dispatch_release);

// dispatch_get_context / dispatch_set_context
//
// One application pointer per object; the finalizer receives it.
void* dispatch_get_context(dispatch_object_t object) XPCTEST_LINK_NAME(dispatch_get_context);
void dispatch_set_context(dispatch_object_t object, void* context)
    XPCTEST_LINK_NAME(dispatch_set_context);

// dispatch_set_finalizer_f
//
// When the object is destroyed and its context is not NULL, `finalizer`
// runs asynchronously with the context, on the object's target queue (the
// default global queue for objects without one).
void dispatch_set_finalizer_f(dispatch_object_t object, dispatch_function_t finalizer)
    XPCTEST_LINK_NAME(dispatch_set_finalizer_f);

// dispatch_activate
//
// Activates an inactive queue or source; no effect on an active one.
void dispatch_activate(dispatch_object_t object) XPCTEST_LINK_NAME(dispatch_activate);

// dispatch_suspend / dispatch_resume
//
// Suspension is counted and never interrupts a running block: a suspended
// queue or source starts nothing new until resumed as often as suspended.
// Resuming an inactive object activates it. Resuming more often than
// suspended is misuse ("Over-resume of an object").
void dispatch_suspend(dispatch_object_t object) XPCTEST_LINK_NAME(dispatch_suspend);
void dispatch_resume(dispatch_object_t object) XPCTEST_LINK_NAME(dispatch_resume);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_OBJECT_H
