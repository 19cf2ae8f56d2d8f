// objects/null.h — the null object (S6): one immortal singleton, the filler
// of "empty" array slots (S24).
#ifndef XPCTEST_FAKES_OBJECTS_NULL_H
#define XPCTEST_FAKES_OBJECTS_NULL_H

#include "objects/object.h"

namespace xpctest::fakes::objects {

class Null final : public Object {
 public:
  static constexpr Kind kKind = Kind::kNull;

  // S6: always the same object; retain/release have no effect (S7).
  static Null* Singleton();

  Object* Copy() override { return this; }
  bool Equals(const Object& other) const override { return true; }
  size_t Hash() const override { return 0x6e756c6c; }
  // No real sample exists (S110): "<null: ADDR> { }".
  void AppendDescription(std::string& out, int depth) const override;

 private:
  Null() : Object(TypeOf(kKind), Lifetime::kImmortal) {}
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_NULL_H
