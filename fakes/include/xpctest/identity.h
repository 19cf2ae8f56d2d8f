// xpctest/identity.h — who a simulated process is.
//
// Credentials are what xpc_connection_get_pid/euid/egid/asid and the audit
// token report (S100–S103, P9, P10), and what getpid(), geteuid() and
// getegid() return to the process's own code (docs/processes-and-the-os.md); the code-signing identity is what peer
// requirements are checked against (S115–S136). Tests give a simulated process
// its identity when they spawn it:
//
//   xpctest::Identity app;
//   app.code_signing.team_identifier = "ABCDE12345";
//   app.code_signing.signing_identifier = "com.example.app";
//   auto process = world.Spawn("app", app);
//
// Unset credentials default to the host's euid, egid and asid; pids are handed
// out from 1001 upward.
#ifndef XPCTEST_IDENTITY_H
#define XPCTEST_IDENTITY_H

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace xpctest {

struct Credentials {
  pid_t pid = 0;
  uid_t euid = static_cast<uid_t>(-1);
  gid_t egid = static_cast<gid_t>(-1);
  // AU_ASSIGN_ASID is -1 on macOS.
  pid_t asid = -1;
  // Bumped each time a pid is reused; part of the audit token.
  int pid_version = 0;
};

// S101: what a connection reports before it has exchanged a message.
inline Credentials UnknownCredentials() { return Credentials{}; }

struct CodeSigningIdentity {
  std::string signing_identifier;  // "com.example.app"
  std::string team_identifier;     // "ABCDE12345"; empty when ad-hoc signed
  bool platform_binary = false;    // signed by Apple as part of the OS
  bool apple_anchor = false;       // chains to Apple's root ("anchor apple")
  // Entitlement values as text: "true", "false", a string, or a decimal integer.
  std::map<std::string, std::string> entitlements;
  // Array-valued entitlements, one string per element:
  // "com.apple.security.application-groups" = {"ABCDE12345.com.example"}, or
  // "com.apple.security.temporary-exception.mach-lookup.global-name" (the App
  // Sandbox's lookup rules, docs/launchd-and-sandbox.md).
  std::map<std::string, std::vector<std::string>> entitlement_lists;
  std::map<std::string, std::string> info_plist;
  std::string leaf_subject_ou;     // certificate leaf[subject.OU]
};

struct Identity {
  Credentials credentials;
  CodeSigningIdentity code_signing;
};

}  // namespace xpctest

#endif  // XPCTEST_IDENTITY_H
