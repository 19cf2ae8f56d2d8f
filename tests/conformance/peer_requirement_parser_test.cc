// The code-requirement parser and lightweight code requirements, evaluated
// against simulated identities (S115, S115a, S136).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xpc/xpc.h>

#include "runtime/identity.h"
#include "xpc/code_requirement_parser.h"
#include "xpc/lightweight_code_requirement.h"

namespace xpctest::testing {
namespace {

using fakes::runtime::CodeSigningIdentity;
using fakes::xpc::ParseCodeRequirement;
using fakes::xpc::ParseLightweightCodeRequirement;
using fakes::xpc::RequirementPtr;
using ::testing::HasSubstr;

CodeSigningIdentity Developer() {
  CodeSigningIdentity id;
  id.signing_identifier = "com.example.app";
  id.team_identifier = "TEAM123";
  id.entitlements = {{"com.example.allowed", "true"},
                     {"com.example.level", "3"},
                     {"com.example.name", "alpha"}};
  id.info_plist = {{"CFBundleVersion", "1.2"}};
  return id;
}

CodeSigningIdentity Platform() {
  CodeSigningIdentity id;
  id.signing_identifier = "com.apple.xpcd";
  id.platform_binary = true;
  id.apple_anchor = true;
  return id;
}

struct Case {
  const char* requirement;
  bool developer;  // expected for Developer()
  bool platform;   // expected for Platform()
};

// S115: every supported form, accepted and rejected.
TEST(CodeRequirementParser, S115EveryFormAcceptsAndRejects) {
  const Case cases[] = {
      {"anchor apple", false, true},
      {"anchor apple generic", true, true},
      {"identifier \"com.example.app\"", true, false},
      {"identifier com.example.app", true, false},
      {"identifier = \"com.example.other\"", false, false},
      {"certificate leaf[subject.OU] = \"TEAM123\"", true, false},
      {"certificate leaf[subject.OU] = TEAM123", true, false},
      {"cert leaf[subject.OU] = \"OTHER\"", false, false},
      {"certificate leaf[subject.OU] exists", true, true},
      {"info[CFBundleVersion] = \"1.2\"", true, false},
      {"info[CFBundleVersion] = \"2.0\"", false, false},
      {"info[CFBundleVersion] exists", true, false},
      {"entitlement[\"com.example.allowed\"]", true, false},
      {"entitlement[\"com.example.missing\"]", false, false},
      {"entitlement[\"com.example.allowed\"] exists", true, false},
      {"entitlement[\"com.example.allowed\"] = true", true, false},
      {"entitlement[\"com.example.allowed\"] = false", false, false},
      {"entitlement[\"com.example.level\"] = 3", true, false},
      {"entitlement[\"com.example.level\"] = 4", false, false},
      {"entitlement[\"com.example.name\"] = \"alpha\"", true, false},
      {"anchor apple generic and identifier \"com.example.app\"", true, false},
      {"anchor apple or identifier \"com.example.app\"", true, true},
      {"!anchor apple", true, false},
      {"!(anchor apple generic)", false, false},
      // Precedence: ! binds tighter than and, and tighter than or.
      {"identifier x and anchor apple or anchor apple generic", true, true},
      {"identifier x and (anchor apple or anchor apple generic)", false, false},
      {"!identifier x and anchor apple", false, true},
      {"  ( anchor apple generic )  and\n certificate leaf [ subject.OU ] = \"TEAM123\"", true, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.requirement);
    std::string error;
    RequirementPtr requirement = ParseCodeRequirement(c.requirement, &error);
    ASSERT_NE(requirement, nullptr) << error;
    EXPECT_EQ(requirement->SatisfiedBy(Developer()), c.developer);
    EXPECT_EQ(requirement->SatisfiedBy(Platform()), c.platform);
  }
}

// S115: anything unparseable is refused with a reason and a position.
TEST(CodeRequirementParser, S115MalformedRequirementsAreRefused) {
  const char* malformed[] = {
      "",
      "   ",
      "anchor",
      "anchor google",
      "identifier",
      "identifier \"unterminated",
      "certificate root[subject.OU] = \"T\"",
      "certificate leaf[subject.CN] = \"T\"",
      "certificate leaf[subject.OU]",
      "info[Key]",
      "entitlement[\"k\"] =",
      "entitlement[\"k\"",
      "(anchor apple",
      "anchor apple)",
      "anchor apple and",
      "and anchor apple",
      "anchor apple generic garbage",
      "anchor apple % 3",
      "!",
      "identifier and",
  };
  for (const char* text : malformed) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_EQ(ParseCodeRequirement(text, &error), nullptr);
    EXPECT_FALSE(error.empty());
  }
  std::string error;
  ParseCodeRequirement("anchor apple and frobnicate", &error);
  EXPECT_EQ(error, "unknown requirement 'frobnicate' at offset 17");
  ParseCodeRequirement("identifier \"a", &error);
  EXPECT_THAT(error, HasSubstr("unterminated string at offset 11"));
}

// S115: nesting is bounded: a requirement nested deeper than the parser
// goes is refused with a reason, not a stack overflow. Found by
// fuzz/code_requirement_fuzzer (3,000 parentheses overflowed under ASan).
TEST(CodeRequirementParser, S115DeepNestingIsRefusedNotAStackOverflow) {
  for (const char* opener : {"(", "!", "!("}) {
    SCOPED_TRACE(opener);
    std::string text;
    for (int i = 0; i < 100000; ++i) text += opener;
    text += "anchor apple";
    std::string error;
    EXPECT_EQ(ParseCodeRequirement(text, &error), nullptr);
    EXPECT_THAT(error, HasSubstr("nested more than 256 deep"));
  }
  // As deep as allowed still parses.
  std::string deepest(255, '(');
  deepest += "anchor apple" + std::string(255, ')');
  std::string error;
  EXPECT_NE(ParseCodeRequirement(deepest, &error), nullptr) << error;
}

// S115: what a requirement prints parses back to itself, however long its
// chains: only the parentheses that precedence needs are printed. Found by
// fuzz/code_requirement_fuzzer once nesting was bounded: a chain of 300
// "and"s printed 300 parentheses deep.
TEST(CodeRequirementParser, S115ThePrintedFormParsesBackToItself) {
  std::string chain = "anchor apple";
  for (int i = 1; i < 300; ++i) chain += " and anchor apple";
  const std::string texts[] = {
      chain,
      "!(anchor apple or identifier a) and (info[K] exists or !entitlement[\"e\"])",
      "anchor apple or (identifier a or identifier b) and !!anchor apple generic",
      // Info keys that are not words print quoted (found by the fuzzer:
      // `info[""] =tr` printed as `info[] = "tr"`, which does not parse).
      "info[\"\"] =tr",
      "info[\"two words\"] exists and info[\"a]b\"] = \"c\"",
  };
  for (const std::string& text : texts) {
    SCOPED_TRACE(text.substr(0, 80));
    std::string error;
    RequirementPtr parsed = ParseCodeRequirement(text, &error);
    ASSERT_NE(parsed, nullptr) << error;
    RequirementPtr reparsed = ParseCodeRequirement(parsed->text(), &error);
    ASSERT_NE(reparsed, nullptr) << error;
    EXPECT_EQ(reparsed->text(), parsed->text());
  }
  std::string error;
  EXPECT_EQ(ParseCodeRequirement(texts[1], &error)->text(),
            "!(anchor apple or identifier \"a\") and (info[K] exists or "
            "!entitlement[\"e\"] exists)");
  EXPECT_EQ(ParseCodeRequirement(texts[3], &error)->text(), "info[\"\"] = \"tr\"");
}

xpc_object_t Dict(std::initializer_list<std::pair<const char*, xpc_object_t>> entries) {
  xpc_object_t dictionary = xpc_dictionary_create_empty();
  for (auto& [key, value] : entries) {
    xpc_dictionary_set_value(dictionary, key, value);
    xpc_release(value);
  }
  return dictionary;
}

// S115a/S136: lightweight code requirement dictionaries.
TEST(LightweightCodeRequirement, S115aFactsAcceptAndReject) {
  xpc_object_t names[] = {xpc_string_create("other"), xpc_string_create("com.example.app")};
  struct LwcrCase {
    xpc_object_t lwcr;
    bool developer;
    bool platform;
  } cases[] = {
      {Dict({{"team-identifier", xpc_string_create("TEAM123")}}), true, false},
      {Dict({{"team-identifier", xpc_string_create("OTHER")}}), false, false},
      {Dict({{"signing-identifier", Dict({{"$in", xpc_array_create(names, 2)}})}}), true, false},
      {Dict({{"validation-category", xpc_int64_create(6)}}), true, false},
      {Dict({{"validation-category", xpc_int64_create(1)}}), false, true},
      {Dict({{"platform-binary", xpc_bool_create(true)}}), false, true},
      {Dict({{"entitlements", Dict({{"com.example.allowed", xpc_bool_create(true)},
                                    {"com.example.level", xpc_int64_create(3)}})}}),
       true, false},
      {Dict({{"entitlements", Dict({{"com.example.name", xpc_string_create("beta")}})}}), false,
       false},
      {Dict({{"$or", Dict({{"team-identifier", xpc_string_create("X")},
                           {"signing-identifier", xpc_string_create("com.apple.xpcd")}})}}),
       false, true},
      {Dict({{"team-identifier", xpc_string_create("TEAM123")},
             {"signing-identifier", xpc_string_create("com.example.other")}}),
       false, false},
  };
  for (auto& c : cases) {
    char* text = xpc_copy_description(c.lwcr);
    SCOPED_TRACE(text);
    free(text);
    std::string error;
    RequirementPtr requirement = ParseLightweightCodeRequirement(c.lwcr, &error);
    ASSERT_NE(requirement, nullptr) << error;
    EXPECT_EQ(requirement->SatisfiedBy(Developer()), c.developer);
    EXPECT_EQ(requirement->SatisfiedBy(Platform()), c.platform);
    xpc_release(c.lwcr);
  }
  xpc_release(names[0]);
  xpc_release(names[1]);
}

TEST(LightweightCodeRequirement, S115aMalformedDictionariesAreRefused) {
  xpc_object_t mixed[] = {xpc_string_create("a"), xpc_int64_create(1)};
  xpc_object_t malformed[] = {
      xpc_string_create("team-identifier"),
      xpc_dictionary_create_empty(),
      Dict({{"cdhash", xpc_string_create("abc")}}),
      Dict({{"team-identifier", xpc_int64_create(7)}}),
      Dict({{"validation-category", xpc_int64_create(3)}}),
      Dict({{"entitlements", Dict({{"k", xpc_double_create(1.5)}})}}),
      Dict({{"signing-identifier", Dict({{"$in", xpc_array_create(mixed, 2)}})}}),
      Dict({{"$or", xpc_string_create("x")}}),
  };
  for (xpc_object_t lwcr : malformed) {
    std::string error;
    EXPECT_EQ(ParseLightweightCodeRequirement(lwcr, &error), nullptr);
    EXPECT_FALSE(error.empty());
    xpc_release(lwcr);
  }
  std::string error;
  EXPECT_EQ(ParseLightweightCodeRequirement(nullptr, &error), nullptr);
  xpc_release(mixed[0]);
  xpc_release(mixed[1]);
}

}  // namespace
}  // namespace xpctest::testing
