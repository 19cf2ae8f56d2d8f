// xpc/lightweight_code_requirement.h — lightweight code requirement (LWCR)
// dictionaries, the subset peer requirements need (S115a, S136).
//
// A dictionary of facts, all of which must hold:
//   "team-identifier"     string, or {"$in": [strings]}
//   "signing-identifier"  string, or {"$in": [strings]}
//   "validation-category" int64: 1 (platform binary) or 6 (Developer ID: a
//                         team id, not a platform binary)
//   "platform-binary"     bool (an xpctest shorthand for validation-category 1)
//   "entitlements"        dictionary: each key must be present with an equal
//                         bool, string or int64 value
//   "$or" / "$and"        dictionary of facts, any / all of which must hold
// Anything else (other keys, operators, value types, an empty dictionary) is
// invalid: the setter returns EINVAL and the constructor NULL with a rich
// error, rather than evaluate a constraint it does not understand.
#ifndef XPCTEST_FAKES_XPC_LIGHTWEIGHT_CODE_REQUIREMENT_H
#define XPCTEST_FAKES_XPC_LIGHTWEIGHT_CODE_REQUIREMENT_H

#include <xpc/xpc.h>

#include <string>

#include "xpc/requirement.h"

namespace xpctest::fakes::xpc {

// The requirement `lwcr` denotes, or null with `*error` saying why.
RequirementPtr ParseLightweightCodeRequirement(xpc_object_t lwcr, std::string* error);

// An entitlement value (bool, string or int64) in the text form identities
// store; false for any other type (S136).
bool EntitlementValueText(xpc_object_t value, std::string* text);

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_LIGHTWEIGHT_CODE_REQUIREMENT_H
