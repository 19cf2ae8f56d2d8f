// xpc/endpoint.h — endpoints: inert, sendable references to a listener (S96, S97).
// Implemented by the xpc layer.
#ifndef XPCTEST_XPC_ENDPOINT_H
#define XPCTEST_XPC_ENDPOINT_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

// S96: valid only for connections made by xpc_connection_create* (listeners).
XPC_EXPORT XPC_WARN_RESULT xpc_endpoint_t xpc_endpoint_create(xpc_connection_t connection)
    XPCTEST_LINK_NAME(xpc_endpoint_create);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_ENDPOINT_H
