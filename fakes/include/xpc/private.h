// xpc/private.h — audit tokens (P10, S103).
//
// macOS has no public C API for these; real code declares them by hand. This
// header offers them with an audit_token_t laid out as on macOS. The token
// encodes the simulated peer's pid, euid, egid and asid. Implemented by the
// xpc layer.
#ifndef XPCTEST_XPC_PRIVATE_H
#define XPCTEST_XPC_PRIVATE_H

#include <xpc/xpc.h>

#if defined(__APPLE__)
#include <mach/message.h>
#elif !defined(XPCTEST_AUDIT_TOKEN_T_DEFINED)
#define XPCTEST_AUDIT_TOKEN_T_DEFINED
// <mach/message.h>'s layout: eight 32-bit words.
typedef struct {
  unsigned int val[8];
} audit_token_t;
#endif

XPCTEST_BEGIN_DECLS

XPC_EXPORT void xpc_connection_get_audit_token(xpc_connection_t connection,
                                               audit_token_t* token)
    XPCTEST_LINK_NAME(xpc_connection_get_audit_token);
// For a received message: the sender's token; zeroed otherwise.
XPC_EXPORT void xpc_dictionary_get_audit_token(xpc_object_t xdict, audit_token_t* token)
    XPCTEST_LINK_NAME(xpc_dictionary_get_audit_token);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_PRIVATE_H
