// xpc/xpc.h — drop-in for Apple's <xpc/xpc.h>: the XPC object model.
//
// Declares every value type (null, bool, int64, uint64, double, date, data,
// string, uuid, fd, shmem, array, dictionary, error), reference counting,
// copy/equality/hash/description, and includes the connection, endpoint,
// session, listener, rich-error, peer-requirement, activity and debug headers,
// as Apple's umbrella does. Rule ids (S*, P*) are in docs/semantics.md (#s62, #p3).
//
//   xpc_object_t msg = xpc_dictionary_create_empty();
//   xpc_dictionary_set_string(msg, "op", "add");
//   xpc_dictionary_apply(msg, ^bool(const char *key, xpc_object_t value) {
//     return true;
//   });
//   xpc_release(msg);
//
// Threading: reference counting is atomic; a collection may be read from many
// threads at once but must not be mutated concurrently (as in libxpc).
// Misuse (over-release, out-of-range index, mutation during apply, a wrong
// kind passed to a typed call) is reported as "XPC API Misuse: ..." (S137).
#ifndef XPCTEST_XPC_XPC_H
#define XPCTEST_XPC_XPC_H

#define __XPC_INDIRECT__

#include <xpc/base.h>

#include <dispatch/dispatch.h>
// S103: the private audit-token calls bound to xpctest, never declared.
#include <xpctest/private_link_names.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#if __has_include(<uuid/uuid.h>)
#include <uuid/uuid.h>
#else
// The layout of <uuid/uuid.h>'s uuid_t; an identical typedef may repeat.
typedef unsigned char uuid_t[16];
#endif

#ifndef __BLOCKS__
#error "xpctest's XPC headers need blocks: compile with clang -fblocks."
#endif

#define XPC_API_VERSION 20200610

// Deprecation of the manual transaction calls is not enforced (S113).
#ifndef XPC_TRANSACTION_DEPRECATED
#define XPC_TRANSACTION_DEPRECATED
#endif

XPCTEST_BEGIN_DECLS

// S1: a type is identified by the address of its descriptor.
typedef const struct _xpc_type_s* xpc_type_t;
#define XPC_TYPE(type) const struct _xpc_type_s type

// Apple's plain-C branch: objects are untyped pointers, the service types are
// distinct struct pointers.
typedef void* xpc_object_t;
#define XPC_DECL(name) typedef struct _##name##_s* name##_t

// The address of a process-lifetime singleton (bools, errors), usable where an
// xpc_object_t is expected in C and C++ alike.
#define XPC_GLOBAL_OBJECT(object) ((xpc_object_t)(void*)&(object))
#define XPC_RETURNS_RETAINED

// Apple uses this only to fault early under Objective-C; nothing to check here.
XPC_INLINE void _xpc_object_validate(xpc_object_t object) { (void)object; }

// The handler of connections and replies (S19: the argument is borrowed).
typedef void (^xpc_handler_t)(xpc_object_t object);

#define XPC_TYPE_CONNECTION (&_xpc_type_connection)
XPC_EXPORT XPC_TYPE(_xpc_type_connection) XPCTEST_LINK_NAME(_xpc_type_connection);
XPC_DECL(xpc_connection);

// xpc_main's handler for each new peer (S112).
typedef void (*xpc_connection_handler_t)(xpc_connection_t connection);

#define XPC_TYPE_ENDPOINT (&_xpc_type_endpoint)
XPC_EXPORT XPC_TYPE(_xpc_type_endpoint) XPCTEST_LINK_NAME(_xpc_type_endpoint);
XPC_DECL(xpc_endpoint);

#define XPC_TYPE_NULL (&_xpc_type_null)
XPC_EXPORT XPC_TYPE(_xpc_type_null) XPCTEST_LINK_NAME(_xpc_type_null);

#define XPC_TYPE_BOOL (&_xpc_type_bool)
XPC_EXPORT XPC_TYPE(_xpc_type_bool) XPCTEST_LINK_NAME(_xpc_type_bool);

// S5: the two Boolean singletons, comparable by pointer.
#define XPC_BOOL_TRUE XPC_GLOBAL_OBJECT(_xpc_bool_true)
#define XPC_BOOL_FALSE XPC_GLOBAL_OBJECT(_xpc_bool_false)
XPC_EXPORT const struct _xpc_bool_s _xpc_bool_true XPCTEST_LINK_NAME(_xpc_bool_true);
XPC_EXPORT const struct _xpc_bool_s _xpc_bool_false XPCTEST_LINK_NAME(_xpc_bool_false);

#define XPC_TYPE_INT64 (&_xpc_type_int64)
XPC_EXPORT XPC_TYPE(_xpc_type_int64) XPCTEST_LINK_NAME(_xpc_type_int64);
#define XPC_TYPE_UINT64 (&_xpc_type_uint64)
XPC_EXPORT XPC_TYPE(_xpc_type_uint64) XPCTEST_LINK_NAME(_xpc_type_uint64);
#define XPC_TYPE_DOUBLE (&_xpc_type_double)
XPC_EXPORT XPC_TYPE(_xpc_type_double) XPCTEST_LINK_NAME(_xpc_type_double);
#define XPC_TYPE_DATE (&_xpc_type_date)
XPC_EXPORT XPC_TYPE(_xpc_type_date) XPCTEST_LINK_NAME(_xpc_type_date);
#define XPC_TYPE_DATA (&_xpc_type_data)
XPC_EXPORT XPC_TYPE(_xpc_type_data) XPCTEST_LINK_NAME(_xpc_type_data);
#define XPC_TYPE_STRING (&_xpc_type_string)
XPC_EXPORT XPC_TYPE(_xpc_type_string) XPCTEST_LINK_NAME(_xpc_type_string);
#define XPC_TYPE_UUID (&_xpc_type_uuid)
XPC_EXPORT XPC_TYPE(_xpc_type_uuid) XPCTEST_LINK_NAME(_xpc_type_uuid);
#define XPC_TYPE_FD (&_xpc_type_fd)
XPC_EXPORT XPC_TYPE(_xpc_type_fd) XPCTEST_LINK_NAME(_xpc_type_fd);
#define XPC_TYPE_SHMEM (&_xpc_type_shmem)
XPC_EXPORT XPC_TYPE(_xpc_type_shmem) XPCTEST_LINK_NAME(_xpc_type_shmem);
#define XPC_TYPE_ARRAY (&_xpc_type_array)
XPC_EXPORT XPC_TYPE(_xpc_type_array) XPCTEST_LINK_NAME(_xpc_type_array);
#define XPC_TYPE_DICTIONARY (&_xpc_type_dictionary)
XPC_EXPORT XPC_TYPE(_xpc_type_dictionary) XPCTEST_LINK_NAME(_xpc_type_dictionary);
// S8: the type reported for the XPC_ERROR_* singletons.
#define XPC_TYPE_ERROR (&_xpc_type_error)
XPC_EXPORT XPC_TYPE(_xpc_type_error) XPCTEST_LINK_NAME(_xpc_type_error);

// S60: the one key of an error dictionary; its value is "XPCErrorDescription".
#define XPC_ERROR_KEY_DESCRIPTION _xpc_error_key_description
XPC_EXPORT const char* const _xpc_error_key_description
    XPCTEST_LINK_NAME(_xpc_error_key_description);

// S114: the key carrying an event's name in an event-stream dictionary.
#define XPC_EVENT_KEY_NAME _xpc_event_key_name
XPC_EXPORT const char* const _xpc_event_key_name XPCTEST_LINK_NAME(_xpc_event_key_name);

// Sessions and rich errors (macOS 13+). XPC_TYPE_SESSION is repeated by session.h.
#define XPC_TYPE_SESSION (&_xpc_type_session)
XPC_EXPORT XPC_TYPE(_xpc_type_session) XPCTEST_LINK_NAME(_xpc_type_session);
#define XPC_TYPE_RICH_ERROR (&_xpc_type_rich_error)
XPC_EXPORT XPC_TYPE(_xpc_type_rich_error) XPCTEST_LINK_NAME(_xpc_type_rich_error);
XPC_DECL(xpc_session);
XPC_DECL(xpc_rich_error);
XPC_DECL(xpc_listener);
XPC_DECL(xpc_peer_requirement);

XPCTEST_END_DECLS

#include <xpc/debug.h>
#include <xpc/endpoint.h>
#include <xpc/activity.h>
#include <xpc/connection.h>
#include <xpc/rich_error.h>
#include <xpc/session.h>
#include <xpc/listener.h>
#include <xpc/peer_requirement.h>

XPCTEST_BEGIN_DECLS

// ---- Reference counting (S14–S19) ----

// S15: adds a reference and returns `object`. No effect on singletons (S7).
XPC_EXPORT xpc_object_t xpc_retain(xpc_object_t object) XPCTEST_LINK_NAME(xpc_retain);

// S16: drops a reference; releasing more often than retained is misuse.
XPC_EXPORT void xpc_release(xpc_object_t object) XPCTEST_LINK_NAME(xpc_release);

// S1: the descriptor of the object's type.
XPC_EXPORT XPC_WARN_RESULT xpc_type_t xpc_get_type(xpc_object_t object)
    XPCTEST_LINK_NAME(xpc_get_type);

// P4: a static short name such as "int64"; never freed.
XPC_EXPORT const char* xpc_type_get_name(xpc_type_t type) XPCTEST_LINK_NAME(xpc_type_get_name);

// S44: +1 copy, deep for collections; NULL for kinds that cannot be copied.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_copy(xpc_object_t object)
    XPCTEST_LINK_NAME(xpc_copy);

// S45: same type and equal value; fd and shmem only by identity (S41).
XPC_EXPORT XPC_WARN_RESULT bool xpc_equal(xpc_object_t object1, xpc_object_t object2)
    XPCTEST_LINK_NAME(xpc_equal);

// S46: equal objects hash equally.
XPC_EXPORT XPC_WARN_RESULT size_t xpc_hash(xpc_object_t object) XPCTEST_LINK_NAME(xpc_hash);

// S47, S106–S110: a malloc'd debug description; the caller frees it.
XPC_EXPORT XPC_MALLOC XPC_WARN_RESULT char* xpc_copy_description(xpc_object_t object)
    XPCTEST_LINK_NAME(xpc_copy_description);

// ---- Boxed values (S4–S13) ----

// S6: the null singleton.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_null_create(void) XPCTEST_LINK_NAME(xpc_null_create);

// S5: XPC_BOOL_TRUE or XPC_BOOL_FALSE.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_bool_create(bool value)
    XPCTEST_LINK_NAME(xpc_bool_create);
// S12: false for a non-Boolean.
XPC_EXPORT bool xpc_bool_get_value(xpc_object_t xbool) XPCTEST_LINK_NAME(xpc_bool_get_value);

XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_int64_create(int64_t value)
    XPCTEST_LINK_NAME(xpc_int64_create);
// S12: 0 for a non-int64.
XPC_EXPORT int64_t xpc_int64_get_value(xpc_object_t xint) XPCTEST_LINK_NAME(xpc_int64_get_value);

XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_uint64_create(uint64_t value)
    XPCTEST_LINK_NAME(xpc_uint64_create);
// S12: 0 for a non-uint64.
XPC_EXPORT uint64_t xpc_uint64_get_value(xpc_object_t xuint)
    XPCTEST_LINK_NAME(xpc_uint64_get_value);

XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_double_create(double value)
    XPCTEST_LINK_NAME(xpc_double_create);
// S12: NAN for a non-double.
XPC_EXPORT double xpc_double_get_value(xpc_object_t xdouble)
    XPCTEST_LINK_NAME(xpc_double_get_value);

// S9: signed nanoseconds relative to the Unix epoch.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_date_create(int64_t interval)
    XPCTEST_LINK_NAME(xpc_date_create);
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_date_create_from_current(void)
    XPCTEST_LINK_NAME(xpc_date_create_from_current);
// S12: 0 for a non-date.
XPC_EXPORT int64_t xpc_date_get_value(xpc_object_t xdate) XPCTEST_LINK_NAME(xpc_date_get_value);

// S35: copies the bytes; (NULL, 0) is an empty data object.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_data_create(const void* bytes, size_t length)
    XPCTEST_LINK_NAME(xpc_data_create);
// S36: implemented by the xpc layer.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_data_create_with_dispatch_data(dispatch_data_t ddata)
    XPCTEST_LINK_NAME(xpc_data_create_with_dispatch_data);
// S12: 0 for a non-data object.
XPC_EXPORT size_t xpc_data_get_length(xpc_object_t xdata) XPCTEST_LINK_NAME(xpc_data_get_length);
// S22: interior pointer, valid while the object lives; NULL for a non-data object.
XPC_EXPORT const void* xpc_data_get_bytes_ptr(xpc_object_t xdata)
    XPCTEST_LINK_NAME(xpc_data_get_bytes_ptr);
// S37: copies at most `length` bytes from `off`; returns the number copied.
XPC_EXPORT size_t xpc_data_get_bytes(xpc_object_t xdata, void* buffer, size_t off, size_t length)
    XPCTEST_LINK_NAME(xpc_data_get_bytes);

// S10: a copy of a NUL-terminated UTF-8 string.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_string_create(const char* string)
    XPCTEST_LINK_NAME(xpc_string_create);
// S11: printf semantics.
XPC_EXPORT XPC_WARN_RESULT XPC_PRINTF(1, 2) xpc_object_t
    xpc_string_create_with_format(const char* fmt, ...)
        XPCTEST_LINK_NAME(xpc_string_create_with_format);
XPC_EXPORT XPC_WARN_RESULT XPC_PRINTF(1, 0) xpc_object_t
    xpc_string_create_with_format_and_arguments(const char* fmt, va_list ap)
        XPCTEST_LINK_NAME(xpc_string_create_with_format_and_arguments);
// S10: strlen of the contents; 0 for a non-string.
XPC_EXPORT size_t xpc_string_get_length(xpc_object_t xstring)
    XPCTEST_LINK_NAME(xpc_string_get_length);
// S22: interior pointer; NULL for a non-string.
XPC_EXPORT const char* xpc_string_get_string_ptr(xpc_object_t xstring)
    XPCTEST_LINK_NAME(xpc_string_get_string_ptr);

XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_uuid_create(const uuid_t uuid)
    XPCTEST_LINK_NAME(xpc_uuid_create);
// S22: the 16 bytes, interior; NULL for a non-uuid.
XPC_EXPORT const uint8_t* xpc_uuid_get_bytes(xpc_object_t xuuid)
    XPCTEST_LINK_NAME(xpc_uuid_get_bytes);

// S38: boxes a dup() of `fd`; NULL for an invalid descriptor.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_fd_create(int fd) XPCTEST_LINK_NAME(xpc_fd_create);
// S39: a new descriptor each call, closed by the caller; -1 on failure.
XPC_EXPORT int xpc_fd_dup(xpc_object_t xfd) XPCTEST_LINK_NAME(xpc_fd_dup);

// S42: only MAP_SHARED regions; malloc(3) memory is misuse.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_shmem_create(void* region, size_t length)
    XPCTEST_LINK_NAME(xpc_shmem_create);
// S43: a new mapping each call; returns its page-rounded size, 0 on failure.
XPC_EXPORT size_t xpc_shmem_map(xpc_object_t xshmem, void** region)
    XPCTEST_LINK_NAME(xpc_shmem_map);

// ---- Arrays (S24–S27, S31–S33) ----

typedef bool (^xpc_array_applier_t)(size_t index, xpc_object_t value);

// S25: retains the first `count` objects; `objects` may be NULL only when count is 0.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_array_create(const xpc_object_t* objects,
                                                         size_t count)
    XPCTEST_LINK_NAME(xpc_array_create);
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_array_create_empty(void)
    XPCTEST_LINK_NAME(xpc_array_create_empty);
// S26: replaces an existing index (or appends at XPC_ARRAY_APPEND); value non-NULL.
XPC_EXPORT void xpc_array_set_value(xpc_object_t xarray, size_t index, xpc_object_t value)
    XPCTEST_LINK_NAME(xpc_array_set_value);
XPC_EXPORT void xpc_array_append_value(xpc_object_t xarray, xpc_object_t value)
    XPCTEST_LINK_NAME(xpc_array_append_value);
// S12: 0 for a non-array.
XPC_EXPORT size_t xpc_array_get_count(xpc_object_t xarray) XPCTEST_LINK_NAME(xpc_array_get_count);
// S27/P6: the index must exist.
XPC_EXPORT xpc_object_t xpc_array_get_value(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_value);
// S31: index order; stops when the block returns false.
XPC_EXPORT bool xpc_array_apply(xpc_object_t xarray, XPC_NOESCAPE xpc_array_applier_t applier)
    XPCTEST_LINK_NAME(xpc_array_apply);

// S26: the index meaning "append" for the primitive setters.
#define XPC_ARRAY_APPEND ((size_t)(-1))

XPC_EXPORT void xpc_array_set_bool(xpc_object_t xarray, size_t index, bool value)
    XPCTEST_LINK_NAME(xpc_array_set_bool);
XPC_EXPORT void xpc_array_set_int64(xpc_object_t xarray, size_t index, int64_t value)
    XPCTEST_LINK_NAME(xpc_array_set_int64);
XPC_EXPORT void xpc_array_set_uint64(xpc_object_t xarray, size_t index, uint64_t value)
    XPCTEST_LINK_NAME(xpc_array_set_uint64);
XPC_EXPORT void xpc_array_set_double(xpc_object_t xarray, size_t index, double value)
    XPCTEST_LINK_NAME(xpc_array_set_double);
XPC_EXPORT void xpc_array_set_date(xpc_object_t xarray, size_t index, int64_t value)
    XPCTEST_LINK_NAME(xpc_array_set_date);
XPC_EXPORT void xpc_array_set_data(xpc_object_t xarray, size_t index, const void* bytes,
                                   size_t length) XPCTEST_LINK_NAME(xpc_array_set_data);
XPC_EXPORT void xpc_array_set_string(xpc_object_t xarray, size_t index, const char* string)
    XPCTEST_LINK_NAME(xpc_array_set_string);
XPC_EXPORT void xpc_array_set_uuid(xpc_object_t xarray, size_t index, const uuid_t uuid)
    XPCTEST_LINK_NAME(xpc_array_set_uuid);
XPC_EXPORT void xpc_array_set_fd(xpc_object_t xarray, size_t index, int fd)
    XPCTEST_LINK_NAME(xpc_array_set_fd);
// S23: implemented by the xpc layer.
XPC_EXPORT void xpc_array_set_connection(xpc_object_t xarray, size_t index,
                                         xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_array_set_connection);

// S12: each returns its default when the element has another type.
XPC_EXPORT bool xpc_array_get_bool(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_bool);
XPC_EXPORT int64_t xpc_array_get_int64(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_int64);
XPC_EXPORT uint64_t xpc_array_get_uint64(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_uint64);
XPC_EXPORT double xpc_array_get_double(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_double);
XPC_EXPORT int64_t xpc_array_get_date(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_date);
XPC_EXPORT const void* xpc_array_get_data(xpc_object_t xarray, size_t index, size_t* length)
    XPCTEST_LINK_NAME(xpc_array_get_data);
XPC_EXPORT const char* xpc_array_get_string(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_string);
// P5: NULL when the element is not a uuid.
XPC_EXPORT const uint8_t* xpc_array_get_uuid(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_uuid);
XPC_EXPORT int xpc_array_dup_fd(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_dup_fd);
// S34: implemented by the xpc layer.
XPC_EXPORT XPC_WARN_RESULT xpc_connection_t xpc_array_create_connection(xpc_object_t xarray,
                                                                        size_t index)
    XPCTEST_LINK_NAME(xpc_array_create_connection);
// S33: NULL when the element is of another type.
XPC_EXPORT xpc_object_t xpc_array_get_dictionary(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_dictionary);
XPC_EXPORT xpc_object_t xpc_array_get_array(xpc_object_t xarray, size_t index)
    XPCTEST_LINK_NAME(xpc_array_get_array);

// ---- Dictionaries (S28–S33) ----

typedef bool (^xpc_dictionary_applier_t)(const char* key, xpc_object_t value);

// S29: keys copied, values retained, NULL values skipped.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_dictionary_create(const char* const* keys,
                                                              const xpc_object_t* values,
                                                              size_t count)
    XPCTEST_LINK_NAME(xpc_dictionary_create);
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_dictionary_create_empty(void)
    XPCTEST_LINK_NAME(xpc_dictionary_create_empty);
// S85: implemented by the xpc layer.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_dictionary_create_reply(xpc_object_t original)
    XPCTEST_LINK_NAME(xpc_dictionary_create_reply);
// S30: NULL removes the key.
XPC_EXPORT void xpc_dictionary_set_value(xpc_object_t xdict, const char* key, xpc_object_t value)
    XPCTEST_LINK_NAME(xpc_dictionary_set_value);
// S8, S12: NULL when absent or not a dictionary (errors read as dictionaries).
XPC_EXPORT xpc_object_t xpc_dictionary_get_value(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_value);
XPC_EXPORT size_t xpc_dictionary_get_count(xpc_object_t xdict)
    XPCTEST_LINK_NAME(xpc_dictionary_get_count);
// S31: unspecified order; stops when the block returns false.
XPC_EXPORT bool xpc_dictionary_apply(xpc_object_t xdict,
                                     XPC_NOESCAPE xpc_dictionary_applier_t applier)
    XPCTEST_LINK_NAME(xpc_dictionary_apply);
// S87: implemented by the xpc layer.
XPC_EXPORT xpc_connection_t xpc_dictionary_get_remote_connection(xpc_object_t xdict)
    XPCTEST_LINK_NAME(xpc_dictionary_get_remote_connection);

XPC_EXPORT void xpc_dictionary_set_bool(xpc_object_t xdict, const char* key, bool value)
    XPCTEST_LINK_NAME(xpc_dictionary_set_bool);
XPC_EXPORT void xpc_dictionary_set_int64(xpc_object_t xdict, const char* key, int64_t value)
    XPCTEST_LINK_NAME(xpc_dictionary_set_int64);
XPC_EXPORT void xpc_dictionary_set_uint64(xpc_object_t xdict, const char* key, uint64_t value)
    XPCTEST_LINK_NAME(xpc_dictionary_set_uint64);
XPC_EXPORT void xpc_dictionary_set_double(xpc_object_t xdict, const char* key, double value)
    XPCTEST_LINK_NAME(xpc_dictionary_set_double);
XPC_EXPORT void xpc_dictionary_set_date(xpc_object_t xdict, const char* key, int64_t value)
    XPCTEST_LINK_NAME(xpc_dictionary_set_date);
XPC_EXPORT void xpc_dictionary_set_data(xpc_object_t xdict, const char* key, const void* bytes,
                                        size_t length) XPCTEST_LINK_NAME(xpc_dictionary_set_data);
XPC_EXPORT void xpc_dictionary_set_string(xpc_object_t xdict, const char* key,
                                          const char* string)
    XPCTEST_LINK_NAME(xpc_dictionary_set_string);
XPC_EXPORT void xpc_dictionary_set_uuid(xpc_object_t xdict, const char* key, const uuid_t uuid)
    XPCTEST_LINK_NAME(xpc_dictionary_set_uuid);
XPC_EXPORT void xpc_dictionary_set_fd(xpc_object_t xdict, const char* key, int fd)
    XPCTEST_LINK_NAME(xpc_dictionary_set_fd);
// S23: implemented by the xpc layer.
XPC_EXPORT void xpc_dictionary_set_connection(xpc_object_t xdict, const char* key,
                                              xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_dictionary_set_connection);

// S12: each returns its default when the key is missing or of another type.
XPC_EXPORT bool xpc_dictionary_get_bool(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_bool);
XPC_EXPORT int64_t xpc_dictionary_get_int64(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_int64);
XPC_EXPORT uint64_t xpc_dictionary_get_uint64(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_uint64);
XPC_EXPORT double xpc_dictionary_get_double(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_double);
XPC_EXPORT int64_t xpc_dictionary_get_date(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_date);
XPC_EXPORT const void* xpc_dictionary_get_data(xpc_object_t xdict, const char* key,
                                               size_t* length)
    XPCTEST_LINK_NAME(xpc_dictionary_get_data);
XPC_EXPORT const char* xpc_dictionary_get_string(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_string);
// P5: NULL when the value is not a uuid.
XPC_EXPORT const uint8_t* xpc_dictionary_get_uuid(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_uuid);
XPC_EXPORT int xpc_dictionary_dup_fd(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_dup_fd);
// S34: implemented by the xpc layer.
XPC_EXPORT XPC_WARN_RESULT xpc_connection_t xpc_dictionary_create_connection(xpc_object_t xdict,
                                                                             const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_create_connection);
// S33: NULL when absent or of another type.
XPC_EXPORT xpc_object_t xpc_dictionary_get_dictionary(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_dictionary);
XPC_EXPORT xpc_object_t xpc_dictionary_get_array(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_get_array);

// Mach send rights (§23): declared for source compatibility; implemented by the xpc layer.
#ifndef XPCTEST_MACH_PORT_T_DEFINED
#define XPCTEST_MACH_PORT_T_DEFINED
#if defined(__APPLE__)
#include <mach/port.h>
#else
typedef unsigned int mach_port_t;
#endif
#endif
XPC_EXPORT mach_port_t xpc_dictionary_copy_mach_send(xpc_object_t xdict, const char* key)
    XPCTEST_LINK_NAME(xpc_dictionary_copy_mach_send);
XPC_EXPORT void xpc_dictionary_set_mach_send(xpc_object_t xdict, const char* key,
                                             mach_port_t port)
    XPCTEST_LINK_NAME(xpc_dictionary_set_mach_send);

// ---- Service runtime (S112–S114), implemented by the xpc layer ----

// P11: never returns.
XPC_EXPORT XPC_NORETURN void xpc_main(xpc_connection_handler_t handler)
    XPCTEST_LINK_NAME(xpc_main);
XPC_EXPORT XPC_TRANSACTION_DEPRECATED void xpc_transaction_begin(void)
    XPCTEST_LINK_NAME(xpc_transaction_begin);
XPC_EXPORT XPC_TRANSACTION_DEPRECATED void xpc_transaction_end(void)
    XPCTEST_LINK_NAME(xpc_transaction_end);
XPC_EXPORT void xpc_set_event_stream_handler(const char* stream, dispatch_queue_t targetq,
                                             xpc_handler_t handler)
    XPCTEST_LINK_NAME(xpc_set_event_stream_handler);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_XPC_H
