#include "objects/uuid.h"

#include <fmt/format.h>

#include <cstring>
#include <string_view>

namespace xpctest::fakes::objects {

Uuid::Uuid(const unsigned char* bytes) : Object(TypeOf(kKind)) {
  std::memcpy(bytes_.data(), bytes, bytes_.size());
}

Uuid* Uuid::Create(const unsigned char* bytes) { return new Uuid(bytes); }

bool Uuid::Equals(const Object& other) const {
  return bytes_ == static_cast<const Uuid&>(other).bytes_;
}

size_t Uuid::Hash() const {
  std::string_view view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
  return std::hash<std::string_view>()(view) ^ 0x5555;
}

void Uuid::AppendDescription(std::string& out, int depth) const {
  out += DescriptionHeader(*this);
  out += ' ';
  for (size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02X}", bytes_[i]);
  }
}

}  // namespace xpctest::fakes::objects
