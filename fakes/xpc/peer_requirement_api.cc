// The C entry points of <xpc/peer_requirement.h> and the peer-requirement
// setters of <xpc/connection.h> (S115–S115e, S136).
#include <xpc/connection.h>
#include <xpc/peer_requirement.h>

#include <cerrno>

#include "base/report.h"
#include "objects/dictionary.h"
#include "runtime/process.h"
#include "xpc/connection_object.h"
#include "xpc/message_context.h"
#include "xpc/peer_requirement_object.h"
#include "xpc/rich_error_object.h"

using xpctest::fakes::ReportXpcMisuse;
using xpctest::fakes::objects::As;
using xpctest::fakes::xpc::BuildCodeSigningRequirement;
using xpctest::fakes::xpc::BuildEntitlementExistsRequirement;
using xpctest::fakes::xpc::BuildEntitlementValueRequirement;
using xpctest::fakes::xpc::BuildLightweightRequirement;
using xpctest::fakes::xpc::BuildPlatformIdentityRequirement;
using xpctest::fakes::xpc::BuildTeamIdentityRequirement;
using xpctest::fakes::xpc::Connection;
using xpctest::fakes::xpc::PeerRequirement;
using xpctest::fakes::xpc::RequestContext;
using xpctest::fakes::xpc::RequirementOf;
using xpctest::fakes::xpc::RequirementPtr;
using xpctest::fakes::xpc::Retry;
using xpctest::fakes::xpc::StoreRichError;
using xpctest::fakes::xpc::ToPeerRequirementHandle;

namespace {

// S115: an invalid requirement returns EINVAL at once; S115b: a second one is
// misuse (libxpc terminates the process), and the first one stays.
int SetOnConnection(xpc_connection_t connection, const char* call, RequirementPtr requirement) {
  Connection* object = As<Connection>(connection, call);
  if (object == nullptr) return EINVAL;
  if (requirement == nullptr) return EINVAL;
  if (!object->core().SetPeerRequirement(std::move(requirement))) {
    ReportXpcMisuse(call, "A peer requirement has already been set on this connection.",
                    object->core().Description(object));
    return EEXIST;
  }
  return 0;
}

// S136: +1 requirement, or NULL and a +1 rich error.
xpc_peer_requirement_t Construct(RequirementPtr requirement, const std::string& error,
                                 xpc_rich_error_t* error_out) {
  if (requirement == nullptr) {
    StoreRichError(error_out, "Invalid peer requirement: " + error, Retry::kNo);
    return nullptr;
  }
  return ToPeerRequirementHandle(new PeerRequirement(std::move(requirement)));
}

}  // namespace

extern "C" {

int xpc_connection_set_peer_code_signing_requirement(xpc_connection_t connection,
                                                     const char* requirement) {
  std::string error;
  return SetOnConnection(connection, "xpc_connection_set_peer_code_signing_requirement",
                         BuildCodeSigningRequirement(requirement, &error));
}

int xpc_connection_set_peer_entitlement_exists_requirement(xpc_connection_t connection,
                                                           const char* entitlement) {
  std::string error;
  return SetOnConnection(connection, "xpc_connection_set_peer_entitlement_exists_requirement",
                         BuildEntitlementExistsRequirement(entitlement, &error));
}

int xpc_connection_set_peer_entitlement_matches_value_requirement(xpc_connection_t connection,
                                                                  const char* entitlement,
                                                                  xpc_object_t value) {
  std::string error;
  return SetOnConnection(connection,
                         "xpc_connection_set_peer_entitlement_matches_value_requirement",
                         BuildEntitlementValueRequirement(entitlement, value, &error));
}

int xpc_connection_set_peer_team_identity_requirement(xpc_connection_t connection,
                                                      const char* signing_identifier) {
  std::string error;
  return SetOnConnection(connection, "xpc_connection_set_peer_team_identity_requirement",
                         BuildTeamIdentityRequirement(signing_identifier, &error));
}

int xpc_connection_set_peer_platform_identity_requirement(xpc_connection_t connection,
                                                          const char* signing_identifier) {
  std::string error;
  return SetOnConnection(connection, "xpc_connection_set_peer_platform_identity_requirement",
                         BuildPlatformIdentityRequirement(signing_identifier, &error));
}

int xpc_connection_set_peer_lightweight_code_requirement(xpc_connection_t connection,
                                                         xpc_object_t lwcr) {
  std::string error;
  return SetOnConnection(connection, "xpc_connection_set_peer_lightweight_code_requirement",
                         BuildLightweightRequirement(lwcr, &error));
}

void xpc_connection_set_peer_requirement(xpc_connection_t connection,
                                         xpc_peer_requirement_t peer_requirement) {
  const char* call = "xpc_connection_set_peer_requirement";
  RequirementPtr requirement = RequirementOf(peer_requirement, call);
  if (requirement == nullptr) return;
  (void)SetOnConnection(connection, call, std::move(requirement));
}

xpc_peer_requirement_t xpc_peer_requirement_create_entitlement_exists(
    const char* entitlement, xpc_rich_error_t* error_out) {
  std::string error;
  RequirementPtr requirement = BuildEntitlementExistsRequirement(entitlement, &error);
  return Construct(std::move(requirement), error, error_out);
}

xpc_peer_requirement_t xpc_peer_requirement_create_entitlement_matches_value(
    const char* entitlement, xpc_object_t value, xpc_rich_error_t* error_out) {
  std::string error;
  RequirementPtr requirement = BuildEntitlementValueRequirement(entitlement, value, &error);
  return Construct(std::move(requirement), error, error_out);
}

xpc_peer_requirement_t xpc_peer_requirement_create_team_identity(const char* signing_identifier,
                                                                 xpc_rich_error_t* error_out) {
  std::string error;
  RequirementPtr requirement = BuildTeamIdentityRequirement(signing_identifier, &error);
  return Construct(std::move(requirement), error, error_out);
}

xpc_peer_requirement_t xpc_peer_requirement_create_platform_identity(
    const char* signing_identifier, xpc_rich_error_t* error_out) {
  std::string error;
  RequirementPtr requirement = BuildPlatformIdentityRequirement(signing_identifier, &error);
  return Construct(std::move(requirement), error, error_out);
}

xpc_peer_requirement_t xpc_peer_requirement_create_lwcr(xpc_object_t lwcr,
                                                        xpc_rich_error_t* error_out) {
  std::string error;
  RequirementPtr requirement = BuildLightweightRequirement(lwcr, &error);
  return Construct(std::move(requirement), error, error_out);
}

// S136: whether the process that sent `message` (received by an event
// handler, or a reply) satisfies the requirement.
bool xpc_peer_requirement_match_received_message(xpc_peer_requirement_t peer_requirement,
                                                 xpc_object_t message,
                                                 xpc_rich_error_t* error_out) {
  const char* call = "xpc_peer_requirement_match_received_message";
  RequirementPtr requirement = RequirementOf(peer_requirement, call);
  if (requirement == nullptr) return false;
  auto* dictionary = As<xpctest::fakes::objects::Dictionary>(message, call);
  if (dictionary == nullptr) return false;
  auto request = std::dynamic_pointer_cast<RequestContext>(dictionary->message_context());
  if (request == nullptr || request->sender() == nullptr) {
    StoreRichError(error_out, "The message was not received from a peer", Retry::kNo);
    return false;
  }
  if (!requirement->SatisfiedBy(request->sender()->code_signing())) {
    StoreRichError(error_out,
                   "Peer Forbidden: the sender does not satisfy the peer requirement " +
                       requirement->text(),
                   Retry::kNo);
    return false;
  }
  return true;
}

}  // extern "C"
