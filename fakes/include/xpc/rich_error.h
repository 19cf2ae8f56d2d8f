// xpc/rich_error.h — errors returned by sessions, listeners and peer
// requirements: a description and a retry flag (S135). Implemented by the xpc layer.
#ifndef XPCTEST_XPC_RICH_ERROR_H
#define XPCTEST_XPC_RICH_ERROR_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

// S135: a malloc'd description (caller frees), or NULL.
XPC_EXPORT XPC_WARN_RESULT char* xpc_rich_error_copy_description(xpc_rich_error_t error)
    XPCTEST_LINK_NAME(xpc_rich_error_copy_description);
// S135: whether repeating the failed operation might succeed.
XPC_EXPORT XPC_WARN_RESULT bool xpc_rich_error_can_retry(xpc_rich_error_t error)
    XPCTEST_LINK_NAME(xpc_rich_error_can_retry);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_RICH_ERROR_H
