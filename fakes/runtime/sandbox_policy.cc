#include "runtime/sandbox_policy.h"

#include <vector>

namespace xpctest::fakes::runtime {
namespace {

// An entitlement that may be a string or an array of strings.
std::vector<std::string> Strings(const CodeSigningIdentity& identity, const char* key) {
  auto list = identity.entitlement_lists.find(key);
  if (list != identity.entitlement_lists.end()) return list->second;
  auto scalar = identity.entitlements.find(key);
  if (scalar != identity.entitlements.end()) return {scalar->second};
  return {};
}

std::string Joined(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& value : values) {
    if (!text.empty()) text += ", ";
    text += value;
  }
  return text.empty() ? "none" : text;
}

}  // namespace

bool IsSandboxed(const CodeSigningIdentity& identity) {
  auto it = identity.entitlements.find(kAppSandboxEntitlement);
  return it != identity.entitlements.end() && it->second == "true";
}

std::optional<std::string> SandboxRefusal(const CodeSigningIdentity& caller,
                                          const std::string& name,
                                          const std::string& bundled_by) {
  if (!IsSandboxed(caller)) return std::nullopt;
  std::vector<std::string> groups = Strings(caller, kApplicationGroupsEntitlement);
  for (const std::string& group : groups) {
    if (!group.empty() && name.rfind(group + ".", 0) == 0) return std::nullopt;
  }
  std::vector<std::string> exceptions = Strings(caller, kMachLookupExceptionEntitlement);
  for (const std::string& exception : exceptions) {
    if (exception == name) return std::nullopt;
  }
  if (!bundled_by.empty() && bundled_by == caller.signing_identifier) return std::nullopt;
  return "the App Sandbox denied " +
         (caller.signing_identifier.empty() ? std::string("a sandboxed process")
                                            : caller.signing_identifier) +
         " the lookup of \"" + name + "\": it is not prefixed by an application group + \".\" (" +
         kApplicationGroupsEntitlement + ": " + Joined(groups) + "), not in " +
         kMachLookupExceptionEntitlement + " (" + Joined(exceptions) +
         "), and not an XPC service of its own bundle";
}

}  // namespace xpctest::fakes::runtime
