// xpc/code_requirement_parser.h — Apple's code-requirement language, the
// subset peer requirements use (S115, S126, S133).
//
// A recursive-descent parser over this grammar (csreq(1) precedence: `!`
// binds tightest, then `and`, then `or`):
//
//   requirement := or EOF
//   or          := and { "or" and }
//   and         := unary { "and" unary }
//   unary       := "!" unary | primary
//   primary     := "(" or ")"
//                | "anchor" "apple" [ "generic" ]
//                | "identifier" [ "=" ] value            value: "quoted" or bare
//                | ("certificate" | "cert") "leaf" "[" "subject.OU" "]" match
//                | "info" "[" key "]" match
//                | "entitlement" "[" key "]" [ match ]  no match: the key exists
//   match       := "exists" | "=" value                   true/false/numbers are bare values
//
// Anything else — unknown keywords, other certificates or fields, a trailing
// token, an unterminated string, parentheses and negations nested more than
// 256 deep — is a parse error: the setters return EINVAL at once rather than
// accept a requirement they would evaluate wrongly (or overflow the stack).
//
//   std::string error;
//   RequirementPtr r = ParseCodeRequirement("anchor apple generic and identifier \"com.a\"", &error);
//   if (r == nullptr) { /* error: "expected ... at offset N" */ }
#ifndef XPCTEST_FAKES_XPC_CODE_REQUIREMENT_PARSER_H
#define XPCTEST_FAKES_XPC_CODE_REQUIREMENT_PARSER_H

#include <string>
#include <string_view>

#include "xpc/requirement.h"

namespace xpctest::fakes::xpc {

// The requirement `text` denotes, or null with `*error` saying what is wrong
// and where.
RequirementPtr ParseCodeRequirement(std::string_view text, std::string* error);

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_CODE_REQUIREMENT_PARSER_H
