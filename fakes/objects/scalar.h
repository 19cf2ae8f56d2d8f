// objects/scalar.h — the immutable boxes of one primitive value: bool, int64,
// uint64, double and date (S4, S5, S9), written once as Scalar<Traits>.
//
//   Int64* five = Int64::Create(5);        // +1 (S14)
//   Bool* yes = Bool::Singleton(true);     // XPC_BOOL_TRUE, immortal (S5, S7)
//
// Boxes never change after creation, so xpc_copy returns the same object
// (S44) and any thread may read them.
#ifndef XPCTEST_FAKES_OBJECTS_SCALAR_H
#define XPCTEST_FAKES_OBJECTS_SCALAR_H

#include <cstdint>
#include <string>

#include "objects/object.h"

namespace xpctest::fakes::objects {

// What differs between the boxes: the C type, the kind, and how the value
// hashes and prints. Defined in scalar.cc.
struct BoolTraits {
  using Value = bool;
  static constexpr Kind kKind = Kind::kBool;
  static void Describe(std::string& out, bool value);
};
struct Int64Traits {
  using Value = int64_t;
  static constexpr Kind kKind = Kind::kInt64;
  static void Describe(std::string& out, int64_t value);
};
struct Uint64Traits {
  using Value = uint64_t;
  static constexpr Kind kKind = Kind::kUint64;
  static void Describe(std::string& out, uint64_t value);
};
struct DoubleTraits {
  using Value = double;
  static constexpr Kind kKind = Kind::kDouble;
  static void Describe(std::string& out, double value);
};
struct DateTraits {
  using Value = int64_t;  // S9: nanoseconds since the Unix epoch
  static constexpr Kind kKind = Kind::kDate;
  static void Describe(std::string& out, int64_t value);
};

template <class Traits>
class Scalar : public Object {
 public:
  using Value = typename Traits::Value;
  static constexpr Kind kKind = Traits::kKind;

  // A new box holding `value`, with one reference (S14).
  static Scalar* Create(Value value) { return new Scalar(value, Lifetime::kCounted); }

  Value value() const { return value_; }

  // S44: immutable, so the copy is this object.
  Object* Copy() override { return Retain(); }
  // S49: the receiver gets a new box (Bool, a singleton, returns itself).
  Object* ReceiverCopy() override { return Create(value_); }
  bool Equals(const Object& other) const override {
    return value_ == static_cast<const Scalar&>(other).value_;
  }
  size_t Hash() const override;
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  Scalar(Value value, Lifetime lifetime) : Object(TypeOf(kKind), lifetime), value_(value) {}

 private:
  const Value value_;
};

using Int64 = Scalar<Int64Traits>;
using Uint64 = Scalar<Uint64Traits>;
using Double = Scalar<DoubleTraits>;
using Date = Scalar<DateTraits>;

// S5: only two Booleans exist, XPC_BOOL_TRUE and XPC_BOOL_FALSE.
class Bool final : public Scalar<BoolTraits> {
 public:
  static Bool* Singleton(bool value);

  // S5: the same two objects in every process.
  Object* ReceiverCopy() override { return this; }

 private:
  friend struct BoolStorage;
  explicit Bool(bool value) : Scalar(value, Lifetime::kImmortal) {}
};

extern template class Scalar<BoolTraits>;
extern template class Scalar<Int64Traits>;
extern template class Scalar<Uint64Traits>;
extern template class Scalar<DoubleTraits>;
extern template class Scalar<DateTraits>;

// S9: the current wall-clock time in nanoseconds since the epoch.
int64_t CurrentDateNanoseconds();

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_SCALAR_H
