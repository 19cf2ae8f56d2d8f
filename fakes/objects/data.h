// objects/data.h — an immutable byte buffer (S35, S37). The bytes are copied
// in at creation; the interior pointer stays valid while the object lives
// (S22), and the bytes are freed when it is released (objects/object.h).
#ifndef XPCTEST_FAKES_OBJECTS_DATA_H
#define XPCTEST_FAKES_OBJECTS_DATA_H

#include <vector>

#include "objects/object.h"

namespace xpctest::fakes::objects {

class Data final : public Object {
 public:
  static constexpr Kind kKind = Kind::kData;

  // +1; copies `length` bytes (none when `bytes` is NULL and length 0).
  static Data* Create(const void* bytes, size_t length);

  size_t length() const { return bytes_.size(); }
  const void* bytes() const { return bytes_.data(); }
  // S37: copies at most `length` bytes from `offset`; returns the count copied.
  size_t CopyOut(void* buffer, size_t offset, size_t length) const;

  Object* Copy() override { return Retain(); }
  // S49: the receiver gets its own bytes.
  Object* ReceiverCopy() override { return Create(bytes_.data(), bytes_.size()); }
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  // Frees the bytes; the quarantined shell keeps none.
  void Dispose() override { std::vector<unsigned char>().swap(bytes_); }

 private:
  Data(const void* bytes, size_t length);
  std::vector<unsigned char> bytes_;
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_DATA_H
