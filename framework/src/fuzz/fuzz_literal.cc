// Fuzz values as C++ source that rebuilds them with xpctest/object.h, so a
// finding's message can be pasted into a regression test.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "fuzz/fuzz_text.h"
#include "xpctest/fuzz_input.h"

namespace xpctest {
namespace internal {

std::string CStringLiteral(const std::string& bytes) {
  std::string out = "\"";
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      snprintf(escaped, sizeof escaped, "\\%03o", c);
      out += escaped;
    }
  }
  return out + "\"";
}

}  // namespace internal

namespace {

using internal::CStringLiteral;

// An argument for a std::string_view parameter: the literal, with its length
// when it holds a NUL (a bare literal would stop there).
std::string BytesArgument(const std::string& bytes) {
  if (bytes.find('\0') == std::string::npos) return CStringLiteral(bytes);
  return "std::string_view(" + CStringLiteral(bytes) + ", " + std::to_string(bytes.size()) + ")";
}

std::string Int64Literal(int64_t value) {
  // -9223372036854775808 is not a literal C++ can write: its digits overflow.
  if (value == INT64_MIN) return "(-9223372036854775807LL - 1)";
  return std::to_string(value);
}

std::string DoubleLiteral(uint64_t bits) {
  double value;
  memcpy(&value, &bits, sizeof value);
  if (std::isnan(value)) return "std::numeric_limits<double>::quiet_NaN()";
  if (std::isinf(value)) {
    return std::string(value < 0 ? "-" : "") + "std::numeric_limits<double>::infinity()";
  }
  char text[40];
  snprintf(text, sizeof text, "%.17g", value);
  std::string literal = text;
  // "1" would be an int: keep it a double.
  if (literal.find_first_of(".e") == std::string::npos) literal += ".0";
  return literal;
}

void AppendLiteral(std::string& out, const FuzzValue& value);

void AppendElements(std::string& out, const FuzzValue& array) {
  out += "xpctest::Array{";
  // Array{Array{1}} would copy the inner array (a braced list holding one
  // object of the class's own type is a copy), so a lone array element is
  // spelled as a Value.
  bool lone_array = array.entries.size() == 1 && array.entries[0].value.type == FuzzType::kArray;
  if (lone_array) out += "xpctest::Value(";
  for (size_t i = 0; i < array.entries.size(); ++i) {
    if (i > 0) out += ", ";
    AppendLiteral(out, array.entries[i].value);
  }
  if (lone_array) out += ')';
  out += '}';
}

void AppendEntries(std::string& out, const FuzzValue& dictionary) {
  out += "xpctest::Dict{";
  for (size_t i = 0; i < dictionary.entries.size(); ++i) {
    if (i > 0) out += ", ";
    out += '{';
    out += CStringLiteral(dictionary.entries[i].key);
    out += ", ";
    AppendLiteral(out, dictionary.entries[i].value);
    out += '}';
  }
  out += '}';
}

void AppendLiteral(std::string& out, const FuzzValue& value) {
  switch (value.type) {
    case FuzzType::kNull:
      out += "xpctest::Null()";
      return;
    case FuzzType::kBool:
      out += value.bits != 0 ? "true" : "false";
      return;
    case FuzzType::kInt64:
      out += Int64Literal(static_cast<int64_t>(value.bits));
      return;
    case FuzzType::kUint64:
      out += "xpctest::Uint64(" + std::to_string(value.bits) + "ULL)";
      return;
    case FuzzType::kDouble:
      out += DoubleLiteral(value.bits);
      return;
    case FuzzType::kDate:
      out += "xpctest::Date(" + Int64Literal(static_cast<int64_t>(value.bits)) + ")";
      return;
    case FuzzType::kData:
      out += "xpctest::Data(" + BytesArgument(value.bytes) + ")";
      return;
    case FuzzType::kString:
      out += CStringLiteral(value.bytes);
      return;
    case FuzzType::kUuid: {
      std::string bytes = value.bytes;
      bytes.resize(16, '\0');
      out += "xpctest::Uuid(reinterpret_cast<const unsigned char*>(" + CStringLiteral(bytes) + "))";
      return;
    }
    case FuzzType::kFd:
      out += value.bits == static_cast<uint64_t>(FdKind::kFile) ? "xpctest::FileFd("
                                                                : "xpctest::PipeFd(";
      out += BytesArgument(value.bytes) + ")";
      return;
    case FuzzType::kShmem:
      out += "xpctest::Shmem(" + BytesArgument(value.bytes) + ")";
      return;
    case FuzzType::kArray:
      AppendElements(out, value);
      return;
    case FuzzType::kDictionary:
      AppendEntries(out, value);
      return;
    case FuzzType::kEndpoint:
      out += "xpctest::Endpoint(listener)";
      return;
  }
}

}  // namespace

std::string FuzzValueLiteral(const FuzzValue& value) {
  std::string out;
  AppendLiteral(out, value);
  return out;
}

}  // namespace xpctest
