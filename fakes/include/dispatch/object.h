// dispatch/object.h — the dispatch object types (drop-in for Apple's header).
//
// In C the object types are distinct struct pointers and dispatch_object_t is a
// transparent union of them, so dispatch_retain(queue) type-checks; in C++ the
// structs form a hierarchy for the same effect.
#ifndef XPCTEST_DISPATCH_OBJECT_H
#define XPCTEST_DISPATCH_OBJECT_H

#include <xpctest/link_name.h>

#ifdef __cplusplus
struct dispatch_object_s {};
typedef struct dispatch_object_s* dispatch_object_t;
#define XPCTEST_DISPATCH_DECL(name) \
  struct name##_s : public dispatch_object_s {}; \
  typedef struct name##_s* name##_t
#else
#define XPCTEST_DISPATCH_DECL(name) typedef struct name##_s* name##_t
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

#endif  // XPCTEST_DISPATCH_OBJECT_H
