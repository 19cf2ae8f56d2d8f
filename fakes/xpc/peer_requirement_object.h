// xpc/peer_requirement_object.h — xpc_peer_requirement_t, and the one place each
// form of peer requirement is turned into a Requirement (S115–S115e, S126,
// S133, S136).
//
// The setters of connections, sessions and listeners and the
// xpc_peer_requirement_create_* constructors share the builders below, so a
// form means the same everywhere:
//
//   std::string error;
//   RequirementPtr r = BuildTeamIdentityRequirement("com.example.app", &error);
//   if (r == nullptr) return EINVAL;  // `error` says why
//
// A PeerRequirement object is immutable, reference-counted and safe to share
// across threads, connections, sessions and listeners (S136).
#ifndef XPCTEST_FAKES_XPC_PEER_REQUIREMENT_OBJECT_H
#define XPCTEST_FAKES_XPC_PEER_REQUIREMENT_OBJECT_H

#include <xpc/xpc.h>

#include <string>

#include "objects/object.h"
#include "xpc/requirement.h"

namespace xpctest::fakes::xpc {

class PeerRequirement : public objects::Object {
 public:
  static constexpr objects::Kind kKind = objects::Kind::kPeerRequirement;

  explicit PeerRequirement(RequirementPtr requirement);

  const RequirementPtr& requirement() const { return requirement_; }

  Object* Copy() override { return Retain(); }
  void AppendDescription(std::string& out, int depth) const override;

 private:
  const RequirementPtr requirement_;
};

inline xpc_peer_requirement_t ToPeerRequirementHandle(PeerRequirement* requirement) {
  return static_cast<xpc_peer_requirement_t>(
      static_cast<void*>(static_cast<objects::Object*>(requirement)));
}

// Each builder returns null, with `*error` saying why, for invalid input.

// A code-requirement string (code_requirement_parser.h); S115.
RequirementPtr BuildCodeSigningRequirement(const char* text, std::string* error);
// The peer has `entitlement`; S115a.
RequirementPtr BuildEntitlementExistsRequirement(const char* entitlement, std::string* error);
// The peer's `entitlement` equals `value`, a bool, string or int64; S115a, S136.
RequirementPtr BuildEntitlementValueRequirement(const char* entitlement, xpc_object_t value,
                                                std::string* error);
// The peer is signed by the calling process's team ("anchor apple generic and
// certificate leaf[subject.OU] = <our team>"), and has `signing_identifier`
// when it is not NULL. Invalid when the calling process has no team id.
RequirementPtr BuildTeamIdentityRequirement(const char* signing_identifier, std::string* error);
// The peer is a platform binary, with `signing_identifier` when not NULL.
RequirementPtr BuildPlatformIdentityRequirement(const char* signing_identifier,
                                                std::string* error);
// A lightweight code requirement dictionary (lightweight_code_requirement.h).
RequirementPtr BuildLightweightRequirement(xpc_object_t lwcr, std::string* error);

// The requirement of a peer-requirement handle, or null after a misuse
// report naming `call` (NULL or a wrong kind, P6).
RequirementPtr RequirementOf(xpc_peer_requirement_t handle, const char* call);

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_PEER_REQUIREMENT_OBJECT_H
