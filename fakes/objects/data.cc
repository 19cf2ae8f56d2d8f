#include "objects/data.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace xpctest::fakes::objects {

Data::Data(const void* bytes, size_t length) : Object(TypeOf(kKind)) {
  if (bytes != nullptr && length > 0) {
    const auto* begin = static_cast<const unsigned char*>(bytes);
    bytes_.assign(begin, begin + length);
  }
}

Data* Data::Create(const void* bytes, size_t length) { return new Data(bytes, length); }

size_t Data::CopyOut(void* buffer, size_t offset, size_t length) const {
  if (offset >= bytes_.size() || buffer == nullptr) return 0;
  size_t count = std::min(length, bytes_.size() - offset);
  std::memcpy(buffer, bytes_.data() + offset, count);
  return count;
}

bool Data::Equals(const Object& other) const {
  return bytes_ == static_cast<const Data&>(other).bytes_;
}

size_t Data::Hash() const {
  std::string_view view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
  return std::hash<std::string_view>()(view) ^ static_cast<size_t>(kKind);
}

void Data::AppendDescription(std::string& out, int depth) const {
  // S108: the first 24 bytes in hex, "..." when there are more; "(nil)" when empty.
  constexpr size_t kShown = 24;
  out += DescriptionHeader(*this);
  out += fmt::format(": {{ length = {} bytes, contents = ", bytes_.size());
  if (bytes_.empty()) {
    out += "(nil)";
  } else {
    out += "0x";
    for (size_t i = 0; i < std::min(kShown, bytes_.size()); ++i) {
      out += fmt::format("{:02x}", bytes_[i]);
    }
    if (bytes_.size() > kShown) out += "...";
  }
  out += " }";
}

}  // namespace xpctest::fakes::objects
