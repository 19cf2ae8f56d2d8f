// objects/string_object.h — an immutable UTF-8 string (S10, S11). Named
// string_object.h so it never shadows the C library's <string.h>.
#ifndef XPCTEST_FAKES_OBJECTS_STRING_OBJECT_H
#define XPCTEST_FAKES_OBJECTS_STRING_OBJECT_H

#include <cstdarg>
#include <string>
#include <string_view>

#include "objects/object.h"

namespace xpctest::fakes::objects {

class String final : public Object {
 public:
  static constexpr Kind kKind = Kind::kString;

  // +1; copies the text.
  static String* Create(std::string_view text);
  // S11: vprintf semantics.
  static String* CreateFormatted(const char* format, va_list arguments);
  // An immortal string, for the contents of the error singletons (S61).
  static String* CreateImmortal(std::string_view text);

  // S10: strlen of the contents (stops at an embedded NUL, as strlen would).
  size_t length() const;
  const char* c_str() const { return text_.c_str(); }

  Object* Copy() override { return Retain(); }
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  void AppendDescription(std::string& out, int depth) const override;

 private:
  String(std::string_view text, Lifetime lifetime);
  const std::string text_;
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_STRING_OBJECT_H
