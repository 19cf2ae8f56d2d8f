// xpc/listener.h — listeners (macOS 14+): the server side of sessions
// (S128–S134). Implemented by the xpc layer.
#ifndef XPCTEST_XPC_LISTENER_H
#define XPCTEST_XPC_LISTENER_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

#define XPC_TYPE_LISTENER (&_xpc_type_listener)
XPC_EXPORT XPC_TYPE(_xpc_type_listener) XPCTEST_LINK_NAME(_xpc_type_listener);

// S128: creation options (FORCE_* values from third-party headers, [U]).
XPC_FLAGS_ENUM(xpc_listener_create_flags, uint64_t,
               XPC_LISTENER_CREATE_NONE = 0,
               XPC_LISTENER_CREATE_INACTIVE = (1 << 0),
               XPC_LISTENER_CREATE_FORCE_MACH = (1 << 1),
               XPC_LISTENER_CREATE_FORCE_XPCSERVICE = (1 << 2));

// S129: must set the peer's message handler, or cancel/reject it, before returning.
typedef void (^xpc_listener_incoming_session_handler_t)(xpc_session_t peer);

XPC_EXPORT XPC_WARN_RESULT char* xpc_listener_copy_description(xpc_listener_t listener)
    XPCTEST_LINK_NAME(xpc_listener_copy_description);

// S128: active unless XPC_LISTENER_CREATE_INACTIVE; NULL plus a rich error on failure.
XPC_EXPORT XPC_WARN_RESULT xpc_listener_t xpc_listener_create(
    const char* service, dispatch_queue_t target_queue, xpc_listener_create_flags_t flags,
    xpc_listener_incoming_session_handler_t incoming_session_handler,
    xpc_rich_error_t* error_out) XPCTEST_LINK_NAME(xpc_listener_create);

// S131: at most once.
XPC_EXPORT bool xpc_listener_activate(xpc_listener_t listener, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_listener_activate);
// S132: asynchronous.
XPC_EXPORT void xpc_listener_cancel(xpc_listener_t listener)
    XPCTEST_LINK_NAME(xpc_listener_cancel);
// S130: only for a session the incoming handler was given.
XPC_EXPORT void xpc_listener_reject_peer(xpc_session_t peer, const char* reason)
    XPCTEST_LINK_NAME(xpc_listener_reject_peer);

// S133.
XPC_EXPORT XPC_WARN_RESULT int xpc_listener_set_peer_code_signing_requirement(
    xpc_listener_t listener, const char* requirement)
    XPCTEST_LINK_NAME(xpc_listener_set_peer_code_signing_requirement);
XPC_EXPORT void xpc_listener_set_peer_requirement(xpc_listener_t listener,
                                                  xpc_peer_requirement_t peer_requirement)
    XPCTEST_LINK_NAME(xpc_listener_set_peer_requirement);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_LISTENER_H
