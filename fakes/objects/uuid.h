// objects/uuid.h — an immutable 16-byte UUID.
#ifndef XPCTEST_FAKES_OBJECTS_UUID_H
#define XPCTEST_FAKES_OBJECTS_UUID_H

#include <array>
#include <cstdint>

#include "objects/object.h"

namespace xpctest::fakes::objects {

class Uuid final : public Object {
 public:
  static constexpr Kind kKind = Kind::kUuid;

  // +1; copies the 16 bytes.
  static Uuid* Create(const unsigned char* bytes);

  // S22: interior pointer to the 16 bytes.
  const uint8_t* bytes() const { return bytes_.data(); }

  Object* Copy() override { return Retain(); }
  // S49: the receiver gets a new object.
  Object* ReceiverCopy() override { return Create(bytes_.data()); }
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  // S108: "<uuid: ADDR> 3D3E272B-6E33-4625-B40A-86C28C41459E".
  void AppendDescription(std::string& out, int depth) const override;

 private:
  explicit Uuid(const unsigned char* bytes);
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_UUID_H
