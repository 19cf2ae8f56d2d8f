// xpc/private.h — audit tokens (P10, S103).
//
// macOS has no public C API for these; real code declares them by hand:
//
//   #include <xpc/xpc.h>
//   #include <bsm/libbsm.h>
//   void xpc_connection_get_audit_token(xpc_connection_t, audit_token_t*);   // by hand
//   ...
//   audit_token_t token;
//   xpc_connection_get_audit_token(peer, &token);
//   if (audit_token_to_euid(token) != 0) { ... }
//
// That works here as written: <xpc/xpc.h> binds the two names to xpctest's
// link names without declaring them (<xpctest/private_link_names.h>), so a
// hand declaration links, and code that forgot to declare them fails to
// compile as it does on macOS. This header is the declaration for code that
// prefers one. The token encodes the simulated peer's pid, euid, egid and
// asid (<mach/message.h> has the layout; <bsm/libbsm.h> reads it).
// Implemented by the xpc layer.
#ifndef XPCTEST_XPC_PRIVATE_H
#define XPCTEST_XPC_PRIVATE_H

#include <xpc/xpc.h>

#include <mach/message.h>

XPCTEST_BEGIN_DECLS

XPC_EXPORT void xpc_connection_get_audit_token(xpc_connection_t connection,
                                               audit_token_t* token)
    XPCTEST_LINK_NAME(xpc_connection_get_audit_token);
// For a received message: the sender's token; zeroed otherwise.
XPC_EXPORT void xpc_dictionary_get_audit_token(xpc_object_t xdict, audit_token_t* token)
    XPCTEST_LINK_NAME(xpc_dictionary_get_audit_token);

XPCTEST_END_DECLS

#endif  // XPCTEST_XPC_PRIVATE_H
