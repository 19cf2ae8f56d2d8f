#include "xpc/lightweight_code_requirement.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace xpctest::fakes::xpc {
namespace {

enum class Combine { kAll, kAny };

// A dictionary's entries, sorted by key so texts and reports do not depend on
// hashing. Values are borrowed from `dictionary`.
std::vector<std::pair<std::string, xpc_object_t>> SortedEntries(xpc_object_t dictionary) {
  std::vector<std::pair<std::string, xpc_object_t>> entries;
  auto* list = &entries;
  xpc_dictionary_apply(dictionary, ^bool(const char* key, xpc_object_t value) {
    list->emplace_back(key, value);
    return true;
  });
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

// A string, or {"$in": [strings]}, turned into `make(string)` or any of them.
template <class Make>
RequirementPtr StringFact(const std::string& key, xpc_object_t value, Make make,
                          std::string* error) {
  if (xpc_get_type(value) == XPC_TYPE_STRING) return make(xpc_string_get_string_ptr(value));
  xpc_object_t in = xpc_get_type(value) == XPC_TYPE_DICTIONARY && xpc_dictionary_get_count(value) == 1
                        ? xpc_dictionary_get_value(value, "$in")
                        : nullptr;
  if (in == nullptr || xpc_get_type(in) != XPC_TYPE_ARRAY || xpc_array_get_count(in) == 0) {
    *error = fmt::format("\"{}\" must be a string or {{\"$in\": [strings]}}", key);
    return nullptr;
  }
  RequirementPtr any;
  for (size_t i = 0; i < xpc_array_get_count(in); ++i) {
    const char* text = xpc_array_get_string(in, i);
    if (text == nullptr) {
      *error = fmt::format("\"{}\": \"$in\" must hold only strings", key);
      return nullptr;
    }
    any = any == nullptr ? make(text) : AnyOf(any, make(text));
  }
  return any;
}

RequirementPtr ParseFacts(xpc_object_t facts, Combine combine, std::string* error);

RequirementPtr ParseFact(const std::string& key, xpc_object_t value, std::string* error) {
  if (key == "team-identifier") {
    return StringFact(key, value, [](std::string v) { return TeamIdentifierIs(v); }, error);
  }
  if (key == "signing-identifier") {
    return StringFact(key, value, [](std::string v) { return IdentifierIs(v); }, error);
  }
  if (key == "platform-binary") {
    if (xpc_get_type(value) != XPC_TYPE_BOOL) {
      *error = "\"platform-binary\" must be a bool";
      return nullptr;
    }
    return xpc_bool_get_value(value) ? PlatformBinary() : Not(PlatformBinary());
  }
  if (key == "validation-category") {
    int64_t category = xpc_get_type(value) == XPC_TYPE_INT64 ? xpc_int64_get_value(value) : -1;
    if (category == 1) return PlatformBinary();
    if (category == 6) return AllOf(Not(PlatformBinary()), AnchorAppleGeneric());
    *error = "\"validation-category\" must be 1 (platform) or 6 (Developer ID)";
    return nullptr;
  }
  if (key == "entitlements") {
    if (xpc_get_type(value) != XPC_TYPE_DICTIONARY || xpc_dictionary_get_count(value) == 0) {
      *error = "\"entitlements\" must be a non-empty dictionary";
      return nullptr;
    }
    RequirementPtr all;
    for (auto& [entitlement, expected] : SortedEntries(value)) {
      std::string text;
      if (!EntitlementValueText(expected, &text)) {
        *error = fmt::format("entitlement \"{}\" must be a bool, string or int64", entitlement);
        return nullptr;
      }
      RequirementPtr fact = EntitlementIs(entitlement, text);
      all = all == nullptr ? fact : AllOf(all, fact);
    }
    return all;
  }
  if (key == "$or" || key == "$and") {
    if (xpc_get_type(value) != XPC_TYPE_DICTIONARY) {
      *error = fmt::format("\"{}\" must be a dictionary", key);
      return nullptr;
    }
    return ParseFacts(value, key == "$or" ? Combine::kAny : Combine::kAll, error);
  }
  *error = fmt::format("unsupported lightweight code requirement key \"{}\"", key);
  return nullptr;
}

RequirementPtr ParseFacts(xpc_object_t facts, Combine combine, std::string* error) {
  if (xpc_dictionary_get_count(facts) == 0) {
    *error = "empty lightweight code requirement";
    return nullptr;
  }
  RequirementPtr combined;
  for (auto& [key, value] : SortedEntries(facts)) {
    RequirementPtr fact = ParseFact(key, value, error);
    if (fact == nullptr) return nullptr;
    if (combined == nullptr) {
      combined = fact;
    } else {
      combined = combine == Combine::kAny ? AnyOf(combined, fact) : AllOf(combined, fact);
    }
  }
  return combined;
}

}  // namespace

bool EntitlementValueText(xpc_object_t value, std::string* text) {
  if (value == nullptr) return false;
  xpc_type_t type = xpc_get_type(value);
  if (type == XPC_TYPE_BOOL) {
    *text = xpc_bool_get_value(value) ? "true" : "false";
  } else if (type == XPC_TYPE_STRING) {
    *text = xpc_string_get_string_ptr(value);
  } else if (type == XPC_TYPE_INT64) {
    *text = std::to_string(xpc_int64_get_value(value));
  } else {
    return false;
  }
  return true;
}

RequirementPtr ParseLightweightCodeRequirement(xpc_object_t lwcr, std::string* error) {
  if (lwcr == nullptr || xpc_get_type(lwcr) != XPC_TYPE_DICTIONARY) {
    *error = "a lightweight code requirement must be a dictionary";
    return nullptr;
  }
  return ParseFacts(lwcr, Combine::kAll, error);
}

}  // namespace xpctest::fakes::xpc
