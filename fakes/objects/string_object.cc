#include "objects/string_object.h"

#include <fmt/format.h>

#include <cstdio>
#include <vector>

namespace xpctest::fakes::objects {

String::String(std::string_view text, Lifetime lifetime)
    : Object(TypeOf(kKind), lifetime), text_(text.substr(0, text.find('\0'))) {}

String* String::Create(std::string_view text) { return new String(text, Lifetime::kCounted); }

String* String::CreateImmortal(std::string_view text) {
  return new String(text, Lifetime::kImmortal);
}

String* String::CreateFormatted(const char* format, va_list arguments) {
  va_list measure;
  va_copy(measure, arguments);
  int size = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  if (size < 0) return Create("");
  std::vector<char> buffer(static_cast<size_t>(size) + 1);
  std::vsnprintf(buffer.data(), buffer.size(), format, arguments);
  return Create(std::string_view(buffer.data(), static_cast<size_t>(size)));
}

bool String::Equals(const Object& other) const {
  return text_ == static_cast<const String&>(other).text_;
}

size_t String::Hash() const { return std::hash<std::string>()(text_) ^ 0x5354; }

void String::AppendDescription(std::string& out, int depth) const {
  out += DescriptionHeader(*this);
  out += fmt::format(" {{ length = {}, contents = \"{}\" }}", length(), text_);
}

}  // namespace xpctest::fakes::objects
