// bsm/audit.h — the BSM audit types XPC code uses (drop-in for the part of
// Apple's header that <xpc/xpc.h> and <bsm/libbsm.h> need).
#ifndef XPCTEST_BSM_AUDIT_H
#define XPCTEST_BSM_AUDIT_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

// The audit user id a process has before it logged in.
#define AU_DEFAUDITID ((uid_t)(-1))
// "Assign a new session": what an unknown audit session id reads as (S101).
#define AU_ASSIGN_ASID -1

typedef uid_t au_id_t;
#ifndef XPCTEST_AU_ASID_T_DEFINED
#define XPCTEST_AU_ASID_T_DEFINED
typedef pid_t au_asid_t;
#endif

// A terminal id: the device and the machine address.
struct au_tid {
  dev_t port;
  uint32_t machine;
};
typedef struct au_tid au_tid_t;

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_BSM_AUDIT_H
