// xpc/session.h — sessions (macOS 13+): connections that never reconnect
// (S116–S127). Implemented by the xpc layer.
#ifndef XPCTEST_XPC_SESSION_H
#define XPCTEST_XPC_SESSION_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

// S117: creation options.
XPC_FLAGS_ENUM(xpc_session_create_flags, uint64_t,
               XPC_SESSION_CREATE_NONE = 0,
               XPC_SESSION_CREATE_INACTIVE = (1 << 0),
               XPC_SESSION_CREATE_MACH_PRIVILEGED = (1 << 1));

// S124: runs once with the reason.
typedef void (^xpc_session_cancel_handler_t)(xpc_rich_error_t error);
typedef void (^xpc_session_incoming_message_handler_t)(xpc_object_t message);
// S123: exactly one of reply and error is non-NULL.
typedef void (^xpc_session_reply_handler_t)(xpc_object_t reply, xpc_rich_error_t error);

XPC_EXPORT XPC_WARN_RESULT char* xpc_session_copy_description(xpc_session_t session)
    XPCTEST_LINK_NAME(xpc_session_copy_description);

// S117: active unless XPC_SESSION_CREATE_INACTIVE; NULL plus a +1 rich error on failure.
XPC_EXPORT XPC_WARN_RESULT xpc_session_t xpc_session_create_xpc_service(
    const char* name, dispatch_queue_t target_queue, xpc_session_create_flags_t flags,
    xpc_rich_error_t* error_out) XPCTEST_LINK_NAME(xpc_session_create_xpc_service);
XPC_EXPORT XPC_WARN_RESULT xpc_session_t xpc_session_create_mach_service(
    const char* mach_service, dispatch_queue_t target_queue, xpc_session_create_flags_t flags,
    xpc_rich_error_t* error_out) XPCTEST_LINK_NAME(xpc_session_create_mach_service);

// S118: legal only while the session is inactive.
XPC_EXPORT void xpc_session_set_incoming_message_handler(
    xpc_session_t session, xpc_session_incoming_message_handler_t handler)
    XPCTEST_LINK_NAME(xpc_session_set_incoming_message_handler);
XPC_EXPORT void xpc_session_set_cancel_handler(xpc_session_t session,
                                               xpc_session_cancel_handler_t cancel_handler)
    XPCTEST_LINK_NAME(xpc_session_set_cancel_handler);
XPC_EXPORT void xpc_session_set_target_queue(xpc_session_t session,
                                             dispatch_queue_t target_queue)
    XPCTEST_LINK_NAME(xpc_session_set_target_queue);

// S119: at most once.
XPC_EXPORT bool xpc_session_activate(xpc_session_t session, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_session_activate);
// S124: asynchronous; the session must have been activated.
XPC_EXPORT void xpc_session_cancel(xpc_session_t session) XPCTEST_LINK_NAME(xpc_session_cancel);

// S121: NULL on success, else a +1 rich error.
XPC_EXPORT XPC_WARN_RESULT xpc_rich_error_t xpc_session_send_message(xpc_session_t session,
                                                                    xpc_object_t message)
    XPCTEST_LINK_NAME(xpc_session_send_message);
// S122: +1 reply, or NULL plus a rich error.
XPC_EXPORT XPC_WARN_RESULT xpc_object_t xpc_session_send_message_with_reply_sync(
    xpc_session_t session, xpc_object_t message, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_session_send_message_with_reply_sync);
XPC_EXPORT void xpc_session_send_message_with_reply_async(
    xpc_session_t session, xpc_object_t message, xpc_session_reply_handler_t reply_handler)
    XPCTEST_LINK_NAME(xpc_session_send_message_with_reply_async);

// S126: 0 on success, non-zero for an invalid requirement.
XPC_EXPORT XPC_WARN_RESULT int xpc_session_set_peer_code_signing_requirement(
    xpc_session_t session, const char* requirement)
    XPCTEST_LINK_NAME(xpc_session_set_peer_code_signing_requirement);
XPC_EXPORT void xpc_session_set_peer_requirement(xpc_session_t session,
                                                 xpc_peer_requirement_t requirement)
    XPCTEST_LINK_NAME(xpc_session_set_peer_requirement);

// Kept by Apple for compatibility; identical to the definition in xpc.h.
#define XPC_TYPE_SESSION (&_xpc_type_session)

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_SESSION_H
