// dispatch/data.h — immutable byte buffers (a minimal drop-in for Apple's).
//
//   dispatch_data_t d = dispatch_data_create(bytes, n, NULL, DISPATCH_DATA_DESTRUCTOR_DEFAULT);
//   xpc_object_t x = xpc_data_create_with_dispatch_data(d);
//   dispatch_release(d);
//
// Every object here is one contiguous region (Apple's may be discontiguous;
// dispatch_data_apply then visits several regions, here always one).
#ifndef XPCTEST_DISPATCH_DATA_H
#define XPCTEST_DISPATCH_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include <dispatch/object.h>

// The empty data object; immortal.
#define dispatch_data_empty (&_dispatch_data_empty)
// Copy the buffer at creation.
#define DISPATCH_DATA_DESTRUCTOR_DEFAULT ((dispatch_block_t)0)
// Take ownership of a malloc'ed buffer and free() it.
#define DISPATCH_DATA_DESTRUCTOR_FREE (_dispatch_data_destructor_free)
// Take ownership of an mmap'ed buffer and munmap() it.
#define DISPATCH_DATA_DESTRUCTOR_MUNMAP (_dispatch_data_destructor_munmap)

typedef bool (^dispatch_data_applier_t)(dispatch_data_t region, size_t offset, const void* buffer,
                                        size_t size);

#ifdef __cplusplus
extern "C" {
#endif

extern struct dispatch_data_s _dispatch_data_empty XPCTEST_LINK_NAME(_dispatch_data_empty);
extern const dispatch_block_t _dispatch_data_destructor_free
    XPCTEST_LINK_NAME(_dispatch_data_destructor_free);
extern const dispatch_block_t _dispatch_data_destructor_munmap
    XPCTEST_LINK_NAME(_dispatch_data_destructor_munmap);

// dispatch_data_create
//
// With DISPATCH_DATA_DESTRUCTOR_DEFAULT the bytes are copied now. With FREE or
// MUNMAP the object takes the buffer. With any other block the buffer is
// borrowed until the object dies, then `destructor` is submitted to `queue`
// (NULL: the default global queue). A NULL buffer or zero size gives
// dispatch_data_empty.
dispatch_data_t dispatch_data_create(const void* buffer, size_t size, dispatch_queue_t queue,
                                     dispatch_block_t destructor)
    XPCTEST_LINK_NAME(dispatch_data_create);

size_t dispatch_data_get_size(dispatch_data_t data) XPCTEST_LINK_NAME(dispatch_data_get_size);

// dispatch_data_create_map
//
// A data object (+1) whose bytes are contiguous, and where they are. The
// bytes stay valid while the returned object lives.
dispatch_data_t dispatch_data_create_map(dispatch_data_t data, const void** buffer_ptr,
                                         size_t* size_ptr)
    XPCTEST_LINK_NAME(dispatch_data_create_map);

// dispatch_data_create_concat / dispatch_data_create_subrange: new objects (+1).
dispatch_data_t dispatch_data_create_concat(dispatch_data_t data1, dispatch_data_t data2)
    XPCTEST_LINK_NAME(dispatch_data_create_concat);
dispatch_data_t dispatch_data_create_subrange(dispatch_data_t data, size_t offset, size_t length)
    XPCTEST_LINK_NAME(dispatch_data_create_subrange);

// dispatch_data_apply
//
// Calls `applier` for each contiguous region until it returns false; returns
// whether every call returned true.
bool dispatch_data_apply(dispatch_data_t data, dispatch_data_applier_t applier)
    XPCTEST_LINK_NAME(dispatch_data_apply);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_DATA_H
