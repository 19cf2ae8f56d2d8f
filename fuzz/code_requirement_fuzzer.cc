// Fuzzes the code-requirement parser (S115, S126, S133). Requirement strings
// come from services' own code, not from peers, but a parser must still
// never crash, and must mean what it prints. For every input text:
//   - parsing gives a requirement, or an error that says what and where;
//   - a requirement's text parses again, to the same text (a fixed point);
//   - the two evaluate alike against identities made of the input's words.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "xpc/code_requirement_parser.h"

namespace {

using xpctest::CodeSigningIdentity;
using xpctest::fakes::xpc::ParseCodeRequirement;
using xpctest::fakes::xpc::RequirementPtr;

[[noreturn]] void Finding(std::string_view text, const std::string& what) {
  fprintf(stderr,
          "\n==== xpctest fuzz: finding: %s\nThe requirement text (%zu bytes): \"%.*s\"\n====\n",
          what.c_str(), text.size(), static_cast<int>(text.size()), text.data());
  abort();
}

// The words and quoted strings of `text`, at most eight: what identifiers,
// team ids, keys and values the requirement may name.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '"' || c == '[' || c == ']' || c == '(' || c == ')' || c == '=' ||
        c == '!' || c == '\n' || c == '\t') {
      if (!word.empty() && words.size() < 8) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty() && words.size() < 8) words.push_back(word);
  return words;
}

std::vector<CodeSigningIdentity> Identities(std::string_view text) {
  std::vector<CodeSigningIdentity> identities(3);
  identities[1].apple_anchor = true;
  identities[2].platform_binary = true;
  for (const std::string& word : Words(text)) {
    CodeSigningIdentity named;
    named.signing_identifier = word;
    named.team_identifier = word;
    named.info_plist[word] = word;
    named.entitlements[word] = word;
    identities.push_back(named);
    CodeSigningIdentity entitled;
    entitled.leaf_subject_ou = word;
    entitled.entitlements[word] = "true";
    identities.push_back(entitled);
  }
  return identities;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  RequirementPtr requirement = ParseCodeRequirement(text, &error);
  if (requirement == nullptr) {
    if (error.empty()) Finding(text, "parse failed without saying why");
    return 0;
  }
  const std::string& printed = requirement->text();
  std::string reparse_error;
  RequirementPtr reparsed = ParseCodeRequirement(printed, &reparse_error);
  if (reparsed == nullptr) {
    Finding(text, "its printed form does not parse: \"" + printed + "\": " + reparse_error);
  }
  if (reparsed->text() != printed) {
    Finding(text, "printing is not a fixed point: \"" + printed + "\" became \"" +
                      reparsed->text() + "\"");
  }
  for (const CodeSigningIdentity& identity : Identities(text)) {
    if (requirement->SatisfiedBy(identity) != reparsed->SatisfiedBy(identity)) {
      Finding(text, "its printed form \"" + printed + "\" judges identity \"" +
                        identity.signing_identifier + "\" differently");
    }
  }
  return 0;
}
