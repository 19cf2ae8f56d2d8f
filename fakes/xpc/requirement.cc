#include "xpc/requirement.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace xpctest::fakes::xpc {

using runtime::CodeSigningIdentity;

std::string QuoteRequirementString(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

bool IsRequirementWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
         c == '$' || c == '/' || c == '+' || c == '*' || c == ':';
}

std::string RequirementKey(const std::string& key) {
  bool word = !key.empty() && std::all_of(key.begin(), key.end(), IsRequirementWordChar);
  return word ? key : QuoteRequirementString(key);
}

namespace {

using Form = Requirement::Form;

// `r`'s text as an operand: bare when its form binds at least as tightly as
// the place it goes (csreq(1): "!" over "and" over "or", both left to
// right), in parentheses otherwise. Only the parentheses precedence needs
// are printed, so long chains print flat and parse back (the parser bounds
// nesting).
std::string Operand(const RequirementPtr& r, std::initializer_list<Form> bare) {
  for (Form form : bare) {
    if (r->form() == form) return r->text();
  }
  return fmt::format("({})", r->text());
}

}  // namespace

RequirementPtr AllOf(RequirementPtr a, RequirementPtr b) {
  std::string text = Operand(a, {Form::kPrimary, Form::kNot, Form::kAllOf}) + " and " +
                     Operand(b, {Form::kPrimary, Form::kNot});
  return std::make_shared<Requirement>(
      [a, b](const CodeSigningIdentity& id) { return a->SatisfiedBy(id) && b->SatisfiedBy(id); },
      std::move(text), Form::kAllOf);
}

RequirementPtr AnyOf(RequirementPtr a, RequirementPtr b) {
  std::string text = Operand(a, {Form::kPrimary, Form::kNot, Form::kAllOf, Form::kAnyOf}) +
                     " or " + Operand(b, {Form::kPrimary, Form::kNot, Form::kAllOf});
  return std::make_shared<Requirement>(
      [a, b](const CodeSigningIdentity& id) { return a->SatisfiedBy(id) || b->SatisfiedBy(id); },
      std::move(text), Form::kAnyOf);
}

RequirementPtr Not(RequirementPtr a) {
  std::string text = "!" + Operand(a, {Form::kPrimary, Form::kNot});
  return std::make_shared<Requirement>(
      [a](const CodeSigningIdentity& id) { return !a->SatisfiedBy(id); }, std::move(text),
      Form::kNot);
}

RequirementPtr AnchorApple() {
  return std::make_shared<Requirement>(
      [](const CodeSigningIdentity& id) { return id.apple_anchor || id.platform_binary; },
      "anchor apple");
}

RequirementPtr AnchorAppleGeneric() {
  // Any certificate Apple issued: its own, or a developer's (who has a team id).
  return std::make_shared<Requirement>(
      [](const CodeSigningIdentity& id) {
        return id.apple_anchor || id.platform_binary || !id.team_identifier.empty();
      },
      "anchor apple generic");
}

RequirementPtr IdentifierIs(std::string identifier) {
  std::string text = "identifier " + QuoteRequirementString(identifier);
  return std::make_shared<Requirement>(
      [identifier](const CodeSigningIdentity& id) { return id.signing_identifier == identifier; },
      std::move(text));
}

RequirementPtr LeafSubjectOuIs(std::string organizational_unit) {
  std::string text = "certificate leaf[subject.OU] = " + QuoteRequirementString(organizational_unit);
  return std::make_shared<Requirement>(
      [organizational_unit](const CodeSigningIdentity& id) {
        // A developer certificate's OU is its team id unless the test says otherwise.
        const std::string& ou = id.leaf_subject_ou.empty() ? id.team_identifier : id.leaf_subject_ou;
        return !ou.empty() && ou == organizational_unit;
      },
      std::move(text));
}

RequirementPtr TeamIdentifierIs(std::string team) {
  std::string text = "team-identifier = " + QuoteRequirementString(team);
  return std::make_shared<Requirement>(
      [team](const CodeSigningIdentity& id) {
        return !id.team_identifier.empty() && id.team_identifier == team;
      },
      std::move(text));
}

RequirementPtr PlatformBinary() {
  return std::make_shared<Requirement>(
      [](const CodeSigningIdentity& id) { return id.platform_binary; }, "platform binary");
}

RequirementPtr InfoExists(std::string key) {
  std::string text = fmt::format("info[{}] exists", RequirementKey(key));
  return std::make_shared<Requirement>(
      [key](const CodeSigningIdentity& id) { return id.info_plist.count(key) != 0; },
      std::move(text));
}

RequirementPtr InfoIs(std::string key, std::string value) {
  std::string text = fmt::format("info[{}] = {}", RequirementKey(key), QuoteRequirementString(value));
  return std::make_shared<Requirement>(
      [key, value](const CodeSigningIdentity& id) {
        auto it = id.info_plist.find(key);
        return it != id.info_plist.end() && it->second == value;
      },
      std::move(text));
}

RequirementPtr EntitlementExists(std::string key) {
  std::string text = fmt::format("entitlement[{}] exists", QuoteRequirementString(key));
  return std::make_shared<Requirement>(
      [key](const CodeSigningIdentity& id) { return id.entitlements.count(key) != 0; },
      std::move(text));
}

RequirementPtr EntitlementIs(std::string key, std::string value_text) {
  std::string text =
      fmt::format("entitlement[{}] = {}", QuoteRequirementString(key), QuoteRequirementString(value_text));
  return std::make_shared<Requirement>(
      [key, value_text](const CodeSigningIdentity& id) {
        auto it = id.entitlements.find(key);
        return it != id.entitlements.end() && it->second == value_text;
      },
      std::move(text));
}

}  // namespace xpctest::fakes::xpc
