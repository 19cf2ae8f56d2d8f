// xpc/connection.h — drop-in for Apple's connection API (S53–S105).
//
// Declarations only; the xpc layer (fakes/xpc/) implements them. The error
// singletons are defined by the object model: each is of type XPC_TYPE_ERROR,
// compared by pointer, and readable with the dictionary getters (S8, S60, S61).
#ifndef XPCTEST_XPC_CONNECTION_H
#define XPCTEST_XPC_CONNECTION_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

// S62: the remote end went away; a named connection stays usable.
#define XPC_ERROR_CONNECTION_INTERRUPTED XPC_GLOBAL_OBJECT(_xpc_error_connection_interrupted)
XPC_EXPORT const struct _xpc_dictionary_s _xpc_error_connection_interrupted
    XPCTEST_LINK_NAME(_xpc_error_connection_interrupted);

// S64: the connection is unusable for good.
#define XPC_ERROR_CONNECTION_INVALID XPC_GLOBAL_OBJECT(_xpc_error_connection_invalid)
XPC_EXPORT const struct _xpc_dictionary_s _xpc_error_connection_invalid
    XPCTEST_LINK_NAME(_xpc_error_connection_invalid);

// S66: service-side peers only; the process is about to be told to exit.
#define XPC_ERROR_TERMINATION_IMMINENT XPC_GLOBAL_OBJECT(_xpc_error_termination_imminent)
XPC_EXPORT const struct _xpc_dictionary_s _xpc_error_termination_imminent
    XPCTEST_LINK_NAME(_xpc_error_termination_imminent);

// S115c: the peer failed the connection's peer requirement ("Peer Forbidden").
#define XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT \
  XPC_GLOBAL_OBJECT(_xpc_error_peer_code_signing_requirement)
XPC_EXPORT const struct _xpc_dictionary_s _xpc_error_peer_code_signing_requirement
    XPCTEST_LINK_NAME(_xpc_error_peer_code_signing_requirement);

// Flags of xpc_connection_create_mach_service.
#define XPC_CONNECTION_MACH_SERVICE_LISTENER (1 << 0)
#define XPC_CONNECTION_MACH_SERVICE_PRIVILEGED (1 << 1)

// S105: disposes of the context when the connection is freed.
typedef void (*xpc_finalizer_t)(void* value);

// S53, S95: a new inactive connection; NULL name makes an anonymous listener.
XPC_EXPORT XPC_WARN_RESULT xpc_connection_t xpc_connection_create(const char* name,
                                                                  dispatch_queue_t targetq)
    XPCTEST_LINK_NAME(xpc_connection_create);
XPC_EXPORT XPC_WARN_RESULT xpc_connection_t xpc_connection_create_mach_service(
    const char* name, dispatch_queue_t targetq, uint64_t flags)
    XPCTEST_LINK_NAME(xpc_connection_create_mach_service);
// S97: each call yields a new, independent connection.
XPC_EXPORT XPC_WARN_RESULT xpc_connection_t xpc_connection_create_from_endpoint(
    xpc_endpoint_t endpoint) XPCTEST_LINK_NAME(xpc_connection_create_from_endpoint);

XPC_EXPORT void xpc_connection_set_target_queue(xpc_connection_t connection,
                                                dispatch_queue_t targetq)
    XPCTEST_LINK_NAME(xpc_connection_set_target_queue);
XPC_EXPORT void xpc_connection_set_event_handler(xpc_connection_t connection,
                                                 xpc_handler_t handler)
    XPCTEST_LINK_NAME(xpc_connection_set_event_handler);
XPC_EXPORT void xpc_connection_activate(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_activate);
XPC_EXPORT void xpc_connection_suspend(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_suspend);
XPC_EXPORT void xpc_connection_resume(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_resume);

XPC_EXPORT void xpc_connection_send_message(xpc_connection_t connection, xpc_object_t message)
    XPCTEST_LINK_NAME(xpc_connection_send_message);
XPC_EXPORT void xpc_connection_send_barrier(xpc_connection_t connection,
                                            dispatch_block_t barrier)
    XPCTEST_LINK_NAME(xpc_connection_send_barrier);
XPC_EXPORT void xpc_connection_send_message_with_reply(xpc_connection_t connection,
                                                       xpc_object_t message,
                                                       dispatch_queue_t replyq,
                                                       xpc_handler_t handler)
    XPCTEST_LINK_NAME(xpc_connection_send_message_with_reply);
// S20, S84: returns +1.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_connection_send_message_with_reply_sync(
    xpc_connection_t connection, xpc_object_t message)
    XPCTEST_LINK_NAME(xpc_connection_send_message_with_reply_sync);
XPC_EXPORT void xpc_connection_cancel(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_cancel);

// S94, S100, S101: name and remote credentials.
XPC_EXPORT const char* xpc_connection_get_name(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_get_name);
XPC_EXPORT uid_t xpc_connection_get_euid(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_get_euid);
XPC_EXPORT gid_t xpc_connection_get_egid(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_get_egid);
XPC_EXPORT pid_t xpc_connection_get_pid(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_get_pid);
#ifndef XPCTEST_AU_ASID_T_DEFINED
#define XPCTEST_AU_ASID_T_DEFINED
#if defined(__APPLE__)
#include <bsm/audit.h>
#else
// <bsm/audit.h>'s audit session id type.
typedef pid_t au_asid_t;
#endif
#endif
XPC_EXPORT au_asid_t xpc_connection_get_asid(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_get_asid);

// S104, S105: context and finalizer.
XPC_EXPORT void xpc_connection_set_context(xpc_connection_t connection, void* context)
    XPCTEST_LINK_NAME(xpc_connection_set_context);
XPC_EXPORT void* xpc_connection_get_context(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_connection_get_context);
XPC_EXPORT void xpc_connection_set_finalizer_f(xpc_connection_t connection,
                                               xpc_finalizer_t finalizer)
    XPCTEST_LINK_NAME(xpc_connection_set_finalizer_f);

// S115–S115e: peer requirements (one per connection).
XPC_EXPORT XPC_WARN_RESULT int xpc_connection_set_peer_code_signing_requirement(
    xpc_connection_t connection, const char* requirement)
    XPCTEST_LINK_NAME(xpc_connection_set_peer_code_signing_requirement);
XPC_EXPORT XPC_WARN_RESULT int xpc_connection_set_peer_entitlement_exists_requirement(
    xpc_connection_t connection, const char* entitlement)
    XPCTEST_LINK_NAME(xpc_connection_set_peer_entitlement_exists_requirement);
XPC_EXPORT XPC_WARN_RESULT int xpc_connection_set_peer_entitlement_matches_value_requirement(
    xpc_connection_t connection, const char* entitlement, xpc_object_t value)
    XPCTEST_LINK_NAME(xpc_connection_set_peer_entitlement_matches_value_requirement);
XPC_EXPORT XPC_WARN_RESULT int xpc_connection_set_peer_team_identity_requirement(
    xpc_connection_t connection, const char* signing_identifier)
    XPCTEST_LINK_NAME(xpc_connection_set_peer_team_identity_requirement);
XPC_EXPORT XPC_WARN_RESULT int xpc_connection_set_peer_platform_identity_requirement(
    xpc_connection_t connection, const char* signing_identifier)
    XPCTEST_LINK_NAME(xpc_connection_set_peer_platform_identity_requirement);
XPC_EXPORT XPC_WARN_RESULT int xpc_connection_set_peer_lightweight_code_requirement(
    xpc_connection_t connection, xpc_object_t lwcr)
    XPCTEST_LINK_NAME(xpc_connection_set_peer_lightweight_code_requirement);
XPC_EXPORT void xpc_connection_set_peer_requirement(xpc_connection_t connection,
                                                    xpc_peer_requirement_t peer_requirement)
    XPCTEST_LINK_NAME(xpc_connection_set_peer_requirement);

// S111: a malloc'd reason once the connection is invalid, else NULL.
XPC_EXPORT XPC_WARN_RESULT char* xpc_connection_copy_invalidation_reason(
    xpc_connection_t connection) XPCTEST_LINK_NAME(xpc_connection_copy_invalidation_reason);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_CONNECTION_H
