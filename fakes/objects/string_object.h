// objects/string_object.h — an immutable UTF-8 C string (S10, S11). Named
// string_object.h so it never shadows the C library's <string.h>.
//
// The contents end at the first NUL, as a C string's do: a format that
// produces an embedded NUL gives the string before it, so length, equality,
// hash and description all agree with xpc_string_get_string_ptr. The text is
// freed when the object is released (objects/object.h).
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

  // +1; copies the text up to its first NUL.
  static String* Create(std::string_view text);
  // S11: vprintf semantics; the result ends at its first NUL (S10).
  static String* CreateFormatted(const char* format, va_list arguments);
  // An immortal string, for the contents of the error singletons (S61).
  static String* CreateImmortal(std::string_view text);

  // S10: the length without the NUL, as strlen gives it.
  size_t length() const { return text_.size(); }
  const char* c_str() const { return text_.c_str(); }

  Object* Copy() override { return Retain(); }
  // S49: the receiver gets its own text.
  Object* ReceiverCopy() override { return Create(text_); }
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  // Frees the text; the quarantined shell keeps none.
  void Dispose() override { std::string().swap(text_); }

 private:
  String(std::string_view text, Lifetime lifetime);
  std::string text_;
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_STRING_OBJECT_H
