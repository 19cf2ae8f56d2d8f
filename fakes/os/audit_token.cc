// <bsm/libbsm.h>: the fields of an audit token, in macOS's layout (P10):
// auid, euid, egid, ruid, rgid, pid, asid, pid version.
#include <bsm/libbsm.h>

namespace {

enum TokenWord { kAuid, kEuid, kEgid, kRuid, kRgid, kPid, kAsid, kPidVersion };

}  // namespace

extern "C" {

pid_t audit_token_to_pid(audit_token_t token) { return static_cast<pid_t>(token.val[kPid]); }
uid_t audit_token_to_auid(audit_token_t token) { return static_cast<uid_t>(token.val[kAuid]); }
uid_t audit_token_to_euid(audit_token_t token) { return static_cast<uid_t>(token.val[kEuid]); }
gid_t audit_token_to_egid(audit_token_t token) { return static_cast<gid_t>(token.val[kEgid]); }
uid_t audit_token_to_ruid(audit_token_t token) { return static_cast<uid_t>(token.val[kRuid]); }
gid_t audit_token_to_rgid(audit_token_t token) { return static_cast<gid_t>(token.val[kRgid]); }
au_asid_t audit_token_to_asid(audit_token_t token) {
  return static_cast<au_asid_t>(token.val[kAsid]);
}
int audit_token_to_pidversion(audit_token_t token) {
  return static_cast<int>(token.val[kPidVersion]);
}

void audit_token_to_au32(audit_token_t token, uid_t* auid, uid_t* euid, gid_t* egid, uid_t* ruid,
                         gid_t* rgid, pid_t* pid, au_asid_t* asid, au_tid_t* tid) {
  if (auid != nullptr) *auid = audit_token_to_auid(token);
  if (euid != nullptr) *euid = audit_token_to_euid(token);
  if (egid != nullptr) *egid = audit_token_to_egid(token);
  if (ruid != nullptr) *ruid = audit_token_to_ruid(token);
  if (rgid != nullptr) *rgid = audit_token_to_rgid(token);
  if (pid != nullptr) *pid = audit_token_to_pid(token);
  if (asid != nullptr) *asid = audit_token_to_asid(token);
  // No terminals here.
  if (tid != nullptr) *tid = au_tid_t{0, 0};
}

}  // extern "C"
