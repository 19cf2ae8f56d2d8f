// objects/array.h — the mutable, contiguous array (S24–S27, S31, S32).
//
//   Array* list = Array::Create();                  // +1
//   list->Append(Int64::Create(1), Adopt::kYes, "my_call");
//   Object* first = list->At(0, "my_call");        // borrowed (S14)
//
// Elements are retained while held (S18). Indexes outside [0, count),
// mutation during Apply() and inserting the array into itself are reported as
// misuse naming the caller's `call`, then refused (P6, S32, Container).
// Not thread-safe for concurrent mutation.
#ifndef XPCTEST_FAKES_OBJECTS_ARRAY_H
#define XPCTEST_FAKES_OBJECTS_ARRAY_H

#include <functional>
#include <string_view>
#include <vector>

#include "objects/container.h"
#include "objects/object.h"

namespace xpctest::fakes::objects {

// Whether a setter takes over the caller's reference (kYes) or adds its own (kNo).
enum class Adopt : bool { kNo, kYes };

class Array final : public Container {
 public:
  static constexpr Kind kKind = Kind::kArray;
  // The index meaning "append" (XPC_ARRAY_APPEND, S26).
  static constexpr size_t kAppend = static_cast<size_t>(-1);

  // +1, empty.
  static Array* Create();

  size_t count() const { return elements_.size(); }

  // The element at `index`, borrowed; reports and returns nullptr when the
  // index does not exist (S27, P6).
  Object* At(size_t index, std::string_view call) const;
  // The element at `index` or nullptr, without a report.
  Object* Find(size_t index) const { return index < elements_.size() ? elements_[index] : nullptr; }

  // S26: replaces the element at an existing index, or appends at kAppend.
  // Out-of-range indexes, mutation during apply and cycles are reported and
  // refused; with Adopt::kYes the value's reference is then released.
  void Set(size_t index, Object* value, Adopt adopt, std::string_view call);
  void Append(Object* value, Adopt adopt, std::string_view call) {
    Set(kAppend, value, adopt, call);
  }

  // S31: calls `applier` per element in index order; stops at the first
  // false. Returns the last result (true for an empty array).
  bool Apply(const std::function<bool(size_t, Object*)>& applier, std::string_view call);

  // S44: a deep copy.
  Object* Copy() override;
  // S49: a deep copy whose every element is a new object.
  Object* ReceiverCopy() override;
  void VisitChildren(const std::function<void(Object&)>& visit) const override;
  bool Equals(const Object& other) const override;
  size_t Hash() const override;
  // S107: "<array: ADDR> { count = N, capacity = C, contents =" + "I: value" lines + "}".
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  void Dispose() override;

 private:
  Array() : Container(TypeOf(kKind), Lifetime::kCounted) {}
  Array* CopyWith(CopyMode mode) const;
  std::vector<Object*> elements_;
  IterationState iteration_;
};

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_ARRAY_H
