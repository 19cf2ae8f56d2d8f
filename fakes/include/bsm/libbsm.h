// bsm/libbsm.h — reading audit tokens (drop-in for the part of Apple's header
// that services use to identify their clients).
//
//   audit_token_t token;
//   xpc_connection_get_audit_token(peer, &token);   // <xpc/private.h>, P10
//   if (audit_token_to_euid(token) != 0) { ... refuse a non-root client ... }
//
// The token of a simulated process carries its credentials
// (xpctest::Credentials): pid, euid, egid, asid, pid version; its audit user
// id, real uid and real gid read as its euid and egid (a launchd-launched
// process has not changed identity). Pure functions of the token.
#ifndef XPCTEST_BSM_LIBBSM_H
#define XPCTEST_BSM_LIBBSM_H

#include <sys/types.h>

#include <bsm/audit.h>
#include <mach/message.h>
#include <xpctest/link_name.h>

#ifdef __cplusplus
extern "C" {
#endif

pid_t audit_token_to_pid(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_pid);
uid_t audit_token_to_auid(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_auid);
uid_t audit_token_to_euid(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_euid);
gid_t audit_token_to_egid(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_egid);
uid_t audit_token_to_ruid(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_ruid);
gid_t audit_token_to_rgid(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_rgid);
au_asid_t audit_token_to_asid(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_asid);
int audit_token_to_pidversion(audit_token_t token) XPCTEST_LINK_NAME(audit_token_to_pidversion);
// Every field at once; any pointer may be NULL. The terminal id reads as 0.
void audit_token_to_au32(audit_token_t token, uid_t* auid, uid_t* euid, gid_t* egid, uid_t* ruid,
                         gid_t* rgid, pid_t* pid, au_asid_t* asid, au_tid_t* tid)
    XPCTEST_LINK_NAME(audit_token_to_au32);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_BSM_LIBBSM_H
