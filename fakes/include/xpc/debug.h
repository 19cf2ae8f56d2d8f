// xpc/debug.h — the misuse reason for debuggers (S138).
#ifndef XPCTEST_XPC_DEBUG_H
#define XPCTEST_XPC_DEBUG_H

#ifndef __XPC_INDIRECT__
#include <xpc/xpc.h>
#endif

XPCTEST_BEGIN_DECLS

// S138: the headline of the last "XPC API Misuse:" report, or NULL if none.
// Apple hides this symbol; here it is callable so tests can use it.
XPC_EXPORT const char* xpc_debugger_api_misuse_info(void)
    XPCTEST_LINK_NAME(xpc_debugger_api_misuse_info);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_DEBUG_H
