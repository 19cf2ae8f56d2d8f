// xpc/peer_requirement.h — validated, shareable peer requirements (macOS 26,
// S136). Implemented by the xpc layer.
#ifndef XPCTEST_XPC_PEER_REQUIREMENT_H
#define XPCTEST_XPC_PEER_REQUIREMENT_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

// S136: each constructor returns +1, or NULL plus a +1 rich error.
XPC_EXPORT xpc_peer_requirement_t xpc_peer_requirement_create_entitlement_exists(
    const char* entitlement, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_peer_requirement_create_entitlement_exists);
// S136: `value` is a bool, string or int64.
XPC_EXPORT xpc_peer_requirement_t xpc_peer_requirement_create_entitlement_matches_value(
    const char* entitlement, xpc_object_t value, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_peer_requirement_create_entitlement_matches_value);
XPC_EXPORT xpc_peer_requirement_t xpc_peer_requirement_create_team_identity(
    const char* signing_identifier, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_peer_requirement_create_team_identity);
XPC_EXPORT xpc_peer_requirement_t xpc_peer_requirement_create_platform_identity(
    const char* signing_identifier, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_peer_requirement_create_platform_identity);
XPC_EXPORT xpc_peer_requirement_t xpc_peer_requirement_create_lwcr(xpc_object_t lwcr,
                                                                   xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_peer_requirement_create_lwcr);

// S136: whether a received message's sender satisfies the requirement.
XPC_EXPORT bool xpc_peer_requirement_match_received_message(
    xpc_peer_requirement_t peer_requirement, xpc_object_t message, xpc_rich_error_t* error_out)
    XPCTEST_LINK_NAME(xpc_peer_requirement_match_received_message);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_PEER_REQUIREMENT_H
