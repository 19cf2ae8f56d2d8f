// runtime/sandbox_policy.h — the App Sandbox's rule for looking names up.
//
// A process whose code-signing identity has the entitlement
// com.apple.security.app-sandbox = true may look up a Mach or XPC service
// name only when one of these holds (docs/launchd-and-sandbox.md):
//
//   - the name starts with one of its com.apple.security.application-groups
//     followed by a period ("ABCDE12345.com.example.shared" for the group
//     "ABCDE12345.com.example"; the App Sandbox's group IPC rule);
//   - the name is listed in com.apple.security.temporary-exception.mach-lookup.global-name;
//   - the name is an XPC service bundled in its own app (xpcservice.plist(5):
//     an app's XPC services are in its own namespace).
//
// Any other lookup is refused as macOS refuses it: the connection is
// invalidated with "Connection init failed at lookup with error 159 -
// Sandbox restriction" (S111), and the world's trace says why.
//
//   std::optional<std::string> why = SandboxRefusal(app.code_signing(), "com.other.daemon", "");
//   // "the App Sandbox denied com.example.app (pid 1002) the lookup of ..."
//
// A process without the sandbox entitlement may look up anything.
//
// Thread safety: a pure function.
#ifndef XPCTEST_FAKES_RUNTIME_SANDBOX_POLICY_H
#define XPCTEST_FAKES_RUNTIME_SANDBOX_POLICY_H

#include <optional>
#include <string>

#include "runtime/identity.h"

namespace xpctest::fakes::runtime {

inline constexpr const char* kAppSandboxEntitlement = "com.apple.security.app-sandbox";
inline constexpr const char* kApplicationGroupsEntitlement =
    "com.apple.security.application-groups";
inline constexpr const char* kMachLookupExceptionEntitlement =
    "com.apple.security.temporary-exception.mach-lookup.global-name";

// The invalidation reason of a lookup the sandbox refused (S111).
inline constexpr const char* kSandboxLookupFailure =
    "Connection init failed at lookup with error 159 - Sandbox restriction";

bool IsSandboxed(const CodeSigningIdentity& identity);

// Why the sandbox refuses `caller` the lookup of `name`, or nullopt when it
// allows it. `bundled_by` is the signing identifier of the app that bundles
// `name` as an XPC service, or empty when no app does.
std::optional<std::string> SandboxRefusal(const CodeSigningIdentity& caller,
                                          const std::string& name,
                                          const std::string& bundled_by);

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_SANDBOX_POLICY_H
