// xpc/requirement.h — a predicate over a simulated process's code-signing
// identity: what every peer requirement becomes once parsed (S115–S115e,
// S126, S133, S136).
//
// The forms of a requirement (a code-requirement string, the 14.4 setters, a
// lightweight code requirement dictionary, an xpc_peer_requirement_t) all
// compile to one Requirement tree, evaluated against
// runtime::CodeSigningIdentity by the rules below (docs/peer-identity.md):
//
//   anchor apple                 apple_anchor or platform_binary
//   anchor apple generic         apple_anchor, platform_binary, or a team id
//   certificate leaf[subject.OU] leaf_subject_ou, or the team id when unset
//   identifier                   signing_identifier
//   info[Key]                    info_plist[Key]
//   entitlement["key"]           entitlements[key], compared as text
//
//   RequirementPtr r = AllOf(AnchorAppleGeneric(), LeafSubjectOuIs("ABCDE12345"));
//   bool ok = r->SatisfiedBy(process.code_signing());
//
// Thread safety: immutable once built; share freely.
#ifndef XPCTEST_FAKES_XPC_REQUIREMENT_H
#define XPCTEST_FAKES_XPC_REQUIREMENT_H

#include <functional>
#include <memory>
#include <string>

#include "runtime/identity.h"

namespace xpctest::fakes::xpc {

class Requirement {
 public:
  using Test = std::function<bool(const runtime::CodeSigningIdentity&)>;
  // How the text is built, for the parentheses a larger text needs around it.
  enum class Form { kPrimary, kNot, kAllOf, kAnyOf };

  Requirement(Test test, std::string text, Form form = Form::kPrimary)
      : test_(std::move(test)), text_(std::move(text)), form_(form) {}

  bool SatisfiedBy(const runtime::CodeSigningIdentity& identity) const { return test_(identity); }
  // The requirement in code-requirement syntax, for descriptions and reports;
  // it parses back to the same text.
  const std::string& text() const { return text_; }
  Form form() const { return form_; }

 private:
  Test test_;
  std::string text_;
  Form form_;
};

using RequirementPtr = std::shared_ptr<const Requirement>;

RequirementPtr AllOf(RequirementPtr a, RequirementPtr b);
RequirementPtr AnyOf(RequirementPtr a, RequirementPtr b);
RequirementPtr Not(RequirementPtr a);
RequirementPtr AnchorApple();
RequirementPtr AnchorAppleGeneric();
RequirementPtr IdentifierIs(std::string identifier);
RequirementPtr LeafSubjectOuIs(std::string organizational_unit);
RequirementPtr TeamIdentifierIs(std::string team);
RequirementPtr PlatformBinary();
RequirementPtr InfoExists(std::string key);
RequirementPtr InfoIs(std::string key, std::string value);
RequirementPtr EntitlementExists(std::string key);
// `value_text` in the form entitlements are stored: "true", "false", a string
// or a decimal integer.
RequirementPtr EntitlementIs(std::string key, std::string value_text);

// "com.example" -> "\"com.example\"", escaping quotes and backslashes.
std::string QuoteRequirementString(const std::string& text);
// A character of a bare word in requirement text (csreq(1)).
bool IsRequirementWordChar(char c);
// `key` bare when it is a word, quoted otherwise (an empty key, a space).
std::string RequirementKey(const std::string& key);

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_REQUIREMENT_H
