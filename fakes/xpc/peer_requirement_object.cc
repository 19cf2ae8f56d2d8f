#include "xpc/peer_requirement_object.h"

#include <fmt/format.h>

#include "runtime/world.h"
#include "xpc/code_requirement_parser.h"
#include "xpc/lightweight_code_requirement.h"

namespace xpctest::fakes::xpc {

PeerRequirement::PeerRequirement(RequirementPtr requirement)
    : Object(objects::TypeOf(kKind)), requirement_(std::move(requirement)) {}

void PeerRequirement::AppendDescription(std::string& out, int depth) const {
  out += fmt::format("<peer_requirement: {}> {{ requirement = {} }}",
                     static_cast<const void*>(this), requirement_->text());
}

RequirementPtr BuildCodeSigningRequirement(const char* text, std::string* error) {
  if (text == nullptr) {
    *error = "the requirement string is NULL";
    return nullptr;
  }
  return ParseCodeRequirement(text, error);
}

RequirementPtr BuildEntitlementExistsRequirement(const char* entitlement, std::string* error) {
  if (entitlement == nullptr || *entitlement == '\0') {
    *error = "the entitlement name is NULL or empty";
    return nullptr;
  }
  return EntitlementExists(entitlement);
}

RequirementPtr BuildEntitlementValueRequirement(const char* entitlement, xpc_object_t value,
                                                std::string* error) {
  if (entitlement == nullptr || *entitlement == '\0') {
    *error = "the entitlement name is NULL or empty";
    return nullptr;
  }
  std::string text;
  if (!EntitlementValueText(value, &text)) {
    // S136: only bool, string and int64 values.
    *error = "the entitlement value must be a bool, string or int64";
    return nullptr;
  }
  return EntitlementIs(entitlement, text);
}

RequirementPtr BuildTeamIdentityRequirement(const char* signing_identifier, std::string* error) {
  std::string team =
      runtime::World::Current().CurrentProcess().code_signing().team_identifier;
  if (team.empty()) {
    *error = "the calling process has no team identifier to require of its peer";
    return nullptr;
  }
  RequirementPtr requirement = AllOf(AnchorAppleGeneric(), LeafSubjectOuIs(team));
  if (signing_identifier != nullptr) {
    requirement = AllOf(requirement, IdentifierIs(signing_identifier));
  }
  return requirement;
}

RequirementPtr BuildPlatformIdentityRequirement(const char* signing_identifier,
                                                std::string* error) {
  RequirementPtr requirement = AllOf(AnchorApple(), PlatformBinary());
  if (signing_identifier != nullptr) {
    requirement = AllOf(requirement, IdentifierIs(signing_identifier));
  }
  return requirement;
}

RequirementPtr BuildLightweightRequirement(xpc_object_t lwcr, std::string* error) {
  return ParseLightweightCodeRequirement(lwcr, error);
}

RequirementPtr RequirementOf(xpc_peer_requirement_t handle, const char* call) {
  PeerRequirement* object = objects::As<PeerRequirement>(handle, call);
  return object != nullptr ? object->requirement() : nullptr;
}

}  // namespace xpctest::fakes::xpc
