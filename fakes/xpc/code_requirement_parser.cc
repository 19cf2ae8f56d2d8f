#include "xpc/code_requirement_parser.h"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <vector>

namespace xpctest::fakes::xpc {
namespace {

struct Token {
  enum Kind { kWord, kString, kPunct, kEnd } kind;
  std::string text;
  size_t offset;
};

// Splits `text` into tokens; false with `*error` on a bad character or an
// unterminated string.
bool Tokenize(std::string_view text, std::vector<Token>* tokens, std::string* error) {
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '"') {
      size_t start = i++;
      std::string value;
      bool closed = false;
      while (i < text.size()) {
        char d = text[i++];
        if (d == '\\' && i < text.size()) {
          value += text[i++];
        } else if (d == '"') {
          closed = true;
          break;
        } else {
          value += d;
        }
      }
      if (!closed) {
        *error = fmt::format("unterminated string at offset {}", start);
        return false;
      }
      tokens->push_back({Token::kString, std::move(value), start});
    } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == '!' || c == '=') {
      tokens->push_back({Token::kPunct, std::string(1, c), i++});
    } else if (IsRequirementWordChar(c)) {
      size_t start = i;
      while (i < text.size() && IsRequirementWordChar(text[i])) ++i;
      tokens->push_back({Token::kWord, std::string(text.substr(start, i - start)), start});
    } else {
      *error = fmt::format("unexpected character '{}' at offset {}", c, i);
      return false;
    }
  }
  tokens->push_back({Token::kEnd, "", text.size()});
  return true;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  RequirementPtr ParseRequirement(std::string* error) {
    RequirementPtr result = ParseOr();
    if (result != nullptr && Peek().kind != Token::kEnd) {
      Fail(fmt::format("unexpected '{}'", Peek().text));
      result = nullptr;
    }
    if (result == nullptr) *error = error_;
    return result;
  }

 private:
  const Token& Peek() const { return tokens_[position_]; }
  const Token& Next() { return tokens_[position_ < tokens_.size() - 1 ? position_++ : position_]; }
  bool IsWord(std::string_view word) const {
    return Peek().kind == Token::kWord && Peek().text == word;
  }
  bool IsPunct(char punct) const {
    return Peek().kind == Token::kPunct && Peek().text[0] == punct;
  }
  // Records the first error only: the innermost failure says the most.
  std::nullptr_t Fail(const std::string& what) {
    if (error_.empty()) {
      error_ = Peek().kind == Token::kEnd
                   ? fmt::format("{} at the end of the requirement", what)
                   : fmt::format("{} at offset {}", what, Peek().offset);
    }
    return nullptr;
  }
  bool Expect(char punct) {
    if (!IsPunct(punct)) {
      Fail(fmt::format("expected '{}'", punct));
      return false;
    }
    Next();
    return true;
  }

  RequirementPtr ParseOr() {
    RequirementPtr left = ParseAnd();
    while (left != nullptr && IsWord("or")) {
      Next();
      RequirementPtr right = ParseAnd();
      if (right == nullptr) return nullptr;
      left = AnyOf(left, right);
    }
    return left;
  }

  RequirementPtr ParseAnd() {
    RequirementPtr left = ParseUnary();
    while (left != nullptr && IsWord("and")) {
      Next();
      RequirementPtr right = ParseUnary();
      if (right == nullptr) return nullptr;
      left = AllOf(left, right);
    }
    return left;
  }

  // Nesting is bounded, so that no text can overflow the stack; false, with
  // the error, past the bound. Paired with a --depth_ on the way out.
  bool Enter() {
    if (depth_ >= kMaxNesting) {
      Fail(fmt::format("nested more than {} deep", kMaxNesting));
      return false;
    }
    ++depth_;
    return true;
  }

  RequirementPtr ParseUnary() {
    if (IsPunct('!')) {
      if (!Enter()) return nullptr;
      Next();
      RequirementPtr operand = ParseUnary();
      --depth_;
      return operand != nullptr ? Not(operand) : nullptr;
    }
    return ParsePrimary();
  }

  RequirementPtr ParsePrimary() {
    if (IsPunct('(')) {
      if (!Enter()) return nullptr;
      Next();
      RequirementPtr inner = ParseOr();
      --depth_;
      if (inner == nullptr || !Expect(')')) return nullptr;
      return inner;
    }
    if (Peek().kind != Token::kWord) return Fail("expected a requirement");
    std::string keyword = Next().text;
    if (keyword == "anchor") return ParseAnchor();
    if (keyword == "identifier") {
      if (IsPunct('=')) Next();
      std::optional<std::string> value = ParseValue();
      return value ? IdentifierIs(*value) : nullptr;
    }
    if (keyword == "certificate" || keyword == "cert") return ParseCertificate();
    if (keyword == "info") {
      std::optional<std::string> key = ParseKey();
      if (!key) return nullptr;
      return ParseMatch(/*exists_is_optional=*/false, [&](std::optional<std::string> value) {
        return value ? InfoIs(*key, *value) : InfoExists(*key);
      });
    }
    if (keyword == "entitlement") {
      std::optional<std::string> key = ParseKey();
      if (!key) return nullptr;
      return ParseMatch(/*exists_is_optional=*/true, [&](std::optional<std::string> value) {
        return value ? EntitlementIs(*key, *value) : EntitlementExists(*key);
      });
    }
    --position_;
    return Fail(fmt::format("unknown requirement '{}'", keyword));
  }

  RequirementPtr ParseAnchor() {
    if (!IsWord("apple")) return Fail("expected 'apple' after 'anchor' (only Apple anchors are supported)");
    Next();
    if (IsWord("generic")) {
      Next();
      return AnchorAppleGeneric();
    }
    return AnchorApple();
  }

  RequirementPtr ParseCertificate() {
    if (!IsWord("leaf")) return Fail("expected 'leaf' (only the leaf certificate is supported)");
    Next();
    if (!Expect('[')) return nullptr;
    if (!IsWord("subject.OU")) return Fail("expected 'subject.OU' (the only supported field)");
    Next();
    if (!Expect(']')) return nullptr;
    return ParseMatch(/*exists_is_optional=*/false, [](std::optional<std::string> value) {
      // "exists": any leaf with an OU, i.e. a developer certificate.
      return value ? LeafSubjectOuIs(*value) : AnchorAppleGeneric();
    });
  }

  // "[" key "]" where key is a quoted string or a bare word.
  std::optional<std::string> ParseKey() {
    if (!Expect('[')) return std::nullopt;
    if (Peek().kind != Token::kWord && Peek().kind != Token::kString) {
      Fail("expected a key");
      return std::nullopt;
    }
    std::string key = Next().text;
    if (!Expect(']')) return std::nullopt;
    return key;
  }

  std::optional<std::string> ParseValue() {
    if (Peek().kind != Token::kWord && Peek().kind != Token::kString) {
      Fail("expected a value");
      return std::nullopt;
    }
    if (Peek().kind == Token::kWord && (Peek().text == "and" || Peek().text == "or")) {
      Fail("expected a value");
      return std::nullopt;
    }
    return Next().text;
  }

  // match := "exists" | "=" value; with nothing, `build(nullopt)` when the
  // match is optional (entitlement["k"] alone means it exists).
  template <class Build>
  RequirementPtr ParseMatch(bool exists_is_optional, Build build) {
    if (IsWord("exists")) {
      Next();
      return build(std::nullopt);
    }
    if (IsPunct('=')) {
      Next();
      std::optional<std::string> value = ParseValue();
      return value ? build(value) : nullptr;
    }
    if (exists_is_optional) return build(std::nullopt);
    return Fail("expected '=' or 'exists'");
  }

  static constexpr int kMaxNesting = 256;

  std::vector<Token> tokens_;
  size_t position_ = 0;
  int depth_ = 0;  // parentheses and negations open
  std::string error_;
};

}  // namespace

RequirementPtr ParseCodeRequirement(std::string_view text, std::string* error) {
  std::vector<Token> tokens;
  if (!Tokenize(text, &tokens, error)) return nullptr;
  if (tokens.size() == 1) {
    *error = "empty requirement";
    return nullptr;
  }
  return Parser(std::move(tokens)).ParseRequirement(error);
}

}  // namespace xpctest::fakes::xpc
