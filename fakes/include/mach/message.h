// mach/message.h — the audit token type (drop-in for the part of Apple's
// header that XPC code uses; Mach messages themselves have no meaning here).
//
// An audit token identifies a process as the kernel saw it when it sent a
// message. <bsm/libbsm.h> reads its fields (audit_token_to_pid, ...);
// xpc_connection_get_audit_token fills one in (<xpc/private.h>, P10).
#ifndef XPCTEST_MACH_MESSAGE_H
#define XPCTEST_MACH_MESSAGE_H

#ifndef XPCTEST_AUDIT_TOKEN_T_DEFINED
#define XPCTEST_AUDIT_TOKEN_T_DEFINED
// macOS's layout: eight 32-bit words: auid, euid, egid, ruid, rgid, pid,
// asid, pid version.
typedef struct {
  unsigned int val[8];
} audit_token_t;
#endif

#endif  // XPCTEST_MACH_MESSAGE_H
