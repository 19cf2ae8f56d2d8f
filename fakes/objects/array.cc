#include "objects/array.h"

#include <fmt/format.h>

#include "base/report.h"

namespace xpctest::fakes::objects {

Array* Array::Create() { return new Array(); }

Object* Array::At(size_t index, std::string_view call) const {
  if (index >= elements_.size()) {
    // S27, P6: reading an index that does not exist.
    ReportXpcMisuse(call,
                    fmt::format("Index {} is out of bounds for an array of count {}.", index,
                                elements_.size()),
                    Description());
    return nullptr;
  }
  return elements_[index];
}

void Array::Set(size_t index, Object* value, Adopt adopt, std::string_view call) {
  auto refuse = [&] {
    if (adopt == Adopt::kYes) value->Release(call);
  };
  if (!iteration_.AllowMutation(call, "Array mutated during iteration", *this)) return refuse();
  if (index != kAppend && index >= elements_.size()) {
    // S26, P6: set_value only replaces an existing index.
    ReportXpcMisuse(call,
                    fmt::format("Index {} is out of bounds for an array of count {}.", index,
                                elements_.size()),
                    Description());
    return refuse();
  }
  if (!AllowInsertion(*value, call)) return refuse();
  if (adopt == Adopt::kNo) value->Retain();  // S18
  NoteAdopted(*value);
  if (index == kAppend) {
    elements_.push_back(value);
    return;
  }
  Object* old = elements_[index];
  elements_[index] = value;
  NoteDropped(*old);
  old->Release(call);  // S18: the replaced value
}

bool Array::Apply(const std::function<bool(size_t, Object*)>& applier, std::string_view call) {
  IterationState::Scope scope(iteration_, *this, call);
  bool result = true;
  // Mutation is refused while the scope lives, so the vector cannot change.
  for (size_t i = 0; i < elements_.size(); ++i) {
    result = applier(i, elements_[i]);
    if (!result) break;
  }
  return result;
}

Array* Array::CopyWith(CopyMode mode) const {
  Array* copy = Create();
  copy->elements_.reserve(elements_.size());
  for (Object* element : elements_) {
    Object* child = CopyChild(element, mode);
    copy->NoteAdopted(*child);
    copy->elements_.push_back(child);
  }
  return copy;
}

Object* Array::Copy() { return CopyWith(CopyMode::kCopy); }

Object* Array::ReceiverCopy() { return CopyWith(CopyMode::kForReceiver); }

void Array::VisitChildren(const std::function<void(Object&)>& visit) const {
  for (Object* element : elements_) visit(*element);
}

bool Array::Equals(const Object& other) const {
  const auto& that = static_cast<const Array&>(other);
  if (elements_.size() != that.elements_.size()) return false;
  for (size_t i = 0; i < elements_.size(); ++i) {
    if (!ObjectsEqual(*elements_[i], *that.elements_[i])) return false;
  }
  return true;
}

size_t Array::Hash() const {
  size_t hash = 0x61727261 + elements_.size();
  for (const Object* element : elements_) hash = hash * 1000003 ^ element->Hash();
  return hash;
}

void Array::AppendDescription(std::string& out, int depth) const {
  // Recursive: only the element loop stays in this frame (objects/nesting.h).
  if (!AppendArrayOpening(out, *this, elements_.size(), depth)) return;
  for (size_t i = 0; i < elements_.size(); ++i) {
    AppendIndexPrefix(out, i, depth + 1);
    elements_[i]->AppendDescription(out, depth + 1);
    out += '\n';
  }
  AppendClosing(out, depth);
}

void Array::Dispose() {
  std::vector<Object*> elements;
  elements.swap(elements_);
  for (Object* element : elements) {
    NoteDropped(*element);
    element->Release("xpc_release");  // S18
  }
}

}  // namespace xpctest::fakes::objects
