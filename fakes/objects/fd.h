// objects/fd.h — a boxed file descriptor (S38–S41).
//
// The box owns its own dup() of the caller's descriptor and closes it when
// disposed. Every Dup() hands out a new descriptor that the caller closes.
// Equality is identity only (S41), so a copy is a new box, never equal to
// its original.
#ifndef XPCTEST_FAKES_OBJECTS_FD_H
#define XPCTEST_FAKES_OBJECTS_FD_H

#include "objects/object.h"

namespace xpctest::fakes::objects {

class Fd final : public Object {
 public:
  static constexpr Kind kKind = Kind::kFd;

  // S38: +1 box of a dup of `fd`; nullptr when `fd` is not an open descriptor.
  static Fd* Create(int fd);

  // S39: a new descriptor sharing the file description; -1 on failure.
  int Dup() const;

  // S41: a new box over another dup of the same file description.
  Object* Copy() override;
  // Equals/Hash: the base class's identity (S41).
  // "<fd: ADDR> { type = file, path = /tmp/x }" (S108; types named as on Linux).
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  void Dispose() override;

 private:
  explicit Fd(int owned_fd) : Object(TypeOf(kKind)), fd_(owned_fd) {}
  int fd_;
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_FD_H
