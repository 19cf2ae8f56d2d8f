#include "objects/container.h"

#include <cmath>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "base/report.h"
#include "objects/nesting.h"
#include "objects/data.h"
#include "objects/fd.h"
#include "objects/null.h"
#include "objects/scalar.h"
#include "objects/string_object.h"
#include "objects/uuid.h"

namespace xpctest::fakes::objects {

bool IterationState::AllowMutation(std::string_view call, std::string_view what,
                                   const Object& container) const {
  if (!iterating()) return true;
  ReportXpcMisuse(call, what, container.Description());  // S32
  return false;
}

IterationState::Scope::Scope(IterationState& state, Object& container, std::string_view call)
    : state_(state), container_(container), call_(call) {
  container_.Retain();  // released in ~Scope()
  state_.depth_.fetch_add(1, std::memory_order_relaxed);
}

IterationState::Scope::~Scope() {
  state_.depth_.fetch_sub(1, std::memory_order_relaxed);
  container_.Release(call_);
}

const Container* AsContainer(const Object& object) {
  switch (object.kind()) {
    case Kind::kArray:
    case Kind::kDictionary:
    case Kind::kError:
      return static_cast<const Container*>(&object);
    default:
      return nullptr;
  }
}

void Container::NoteAdopted(const Object& child) {
  if (const Container* nested = AsContainer(child)) {
    nested_children_.fetch_add(1, std::memory_order_relaxed);
    const_cast<Container*>(nested)->holders_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Container::NoteDropped(const Object& child) {
  if (const Container* nested = AsContainer(child)) {
    nested_children_.fetch_sub(1, std::memory_order_relaxed);
    const_cast<Container*>(nested)->holders_.fetch_sub(1, std::memory_order_relaxed);
  }
}

bool Container::AllowInsertion(const Object& value, std::string_view call) const {
  const Container* inserted = AsContainer(value);
  if (inserted == nullptr) return true;
  // A cycle needs this container to be held by something, and the value to
  // hold containers; most insertions (building from the leaves up, or from
  // the root down) fail one of the two and cost nothing more.
  bool cycle = inserted == this;
  if (!cycle && holders_.load(std::memory_order_relaxed) > 0 &&
      inserted->nested_children_.load(std::memory_order_relaxed) > 0) {
    // Does the value reach this container? Iterative: the value may be deep.
    std::vector<const Container*> pending{inserted};
    std::unordered_set<const Container*> seen{inserted};
    while (!pending.empty() && !cycle) {
      const Container* next = pending.back();
      pending.pop_back();
      next->VisitChildren([&](Object& child) {
        const Container* nested = AsContainer(child);
        if (nested == nullptr || !seen.insert(nested).second) return;
        if (nested == this) cycle = true;
        pending.push_back(nested);
      });
    }
  }
  if (!cycle) return true;
  ReportXpcMisuse(call,
                  "A collection cannot contain itself, directly or through the collections it "
                  "holds.",
                  DescriptionHeader(*this), "value: " + DescriptionHeader(value));
  return false;
}

Object* CopyChild(Object* child, CopyMode mode) {
  if (mode == CopyMode::kCopy) {
    Object* copy = child->Copy();
    return copy != nullptr ? copy : child->Retain();
  }
  // S49, S51: what cannot be made anew for the receiver (an fd that could not
  // be duplicated) arrives as the null object, never as the sender's object.
  Object* copy = child->ReceiverCopy();
  return copy != nullptr ? copy : Null::Singleton();
}

namespace {

// The header and, past the nesting limit, the short form; false then.
bool AppendOpening(std::string& out, const Object& container, size_t count, int depth) {
  out += DescriptionHeader(container);
  if (depth < kMaxNestingDepth) return true;
  out += fmt::format(" {{ count = {}, nested deeper than {} levels }}", count, kMaxNestingDepth);
  return false;
}

// The capacity libxpc reports grows in powers of two from 8 (samples in §15).
size_t ReportedCapacity(size_t count) {
  size_t capacity = 8;
  while (capacity < count) capacity *= 2;
  return capacity;
}

}  // namespace

bool AppendDictionaryOpening(std::string& out, const Object& dictionary, size_t count,
                             int depth) {
  if (!AppendOpening(out, dictionary, count, depth)) return false;
  out += fmt::format(" {{ count = {}, transaction: 0, voucher = 0x0, contents =\n", count);
  return true;
}

bool AppendArrayOpening(std::string& out, const Object& array, size_t count, int depth) {
  if (!AppendOpening(out, array, count, depth)) return false;
  out += fmt::format(" {{ count = {}, capacity = {}, contents =\n", count,
                     ReportedCapacity(count));
  return true;
}

void AppendKeyPrefix(std::string& out, std::string_view key, int depth) {
  AppendIndent(out, depth);
  out += fmt::format("\"{}\" => ", key);
}

void AppendIndexPrefix(std::string& out, size_t index, int depth) {
  AppendIndent(out, depth);
  out += fmt::format("{}: ", index);
}

void AppendClosing(std::string& out, int depth) {
  AppendIndent(out, depth);
  out += '}';
}

namespace {

template <class T>
const T* ElementAs(const Object* element) {
  return element != nullptr && element->kind() == T::kKind ? static_cast<const T*>(element)
                                                            : nullptr;
}

}  // namespace

bool BoolValueOf(const Object* element) {
  const Bool* box = ElementAs<Bool>(element);
  return box != nullptr && box->value();
}

int64_t Int64ValueOf(const Object* element) {
  const Int64* box = ElementAs<Int64>(element);
  return box != nullptr ? box->value() : 0;
}

uint64_t Uint64ValueOf(const Object* element) {
  const Uint64* box = ElementAs<Uint64>(element);
  return box != nullptr ? box->value() : 0;
}

double DoubleValueOf(const Object* element) {
  const Double* box = ElementAs<Double>(element);
  return box != nullptr ? box->value() : NAN;
}

int64_t DateValueOf(const Object* element) {
  const Date* box = ElementAs<Date>(element);
  return box != nullptr ? box->value() : 0;
}

const void* DataBytesOf(const Object* element, size_t* length) {
  const Data* data = ElementAs<Data>(element);
  if (length != nullptr) *length = data != nullptr ? data->length() : 0;
  return data != nullptr ? data->bytes() : nullptr;
}

size_t DataLengthOf(const Object* element) {
  const Data* data = ElementAs<Data>(element);
  return data != nullptr ? data->length() : 0;
}

const char* StringPtrOf(const Object* element) {
  const String* string = ElementAs<String>(element);
  return string != nullptr ? string->c_str() : nullptr;
}

size_t StringLengthOf(const Object* element) {
  const String* string = ElementAs<String>(element);
  return string != nullptr ? string->length() : 0;
}

const uint8_t* UuidBytesOf(const Object* element) {
  const Uuid* uuid = ElementAs<Uuid>(element);
  return uuid != nullptr ? uuid->bytes() : nullptr;
}

int DupFdOf(const Object* element) {
  const Fd* fd = ElementAs<Fd>(element);
  return fd != nullptr ? fd->Dup() : -1;
}

Object* ArrayOf(Object* element) {
  return element != nullptr && element->kind() == Kind::kArray ? element : nullptr;
}

Object* DictionaryOf(Object* element) {
  return element != nullptr && element->kind() == Kind::kDictionary ? element : nullptr;
}

Object* BoxBool(bool value) { return Bool::Singleton(value); }
Object* BoxInt64(int64_t value) { return Int64::Create(value); }
Object* BoxUint64(uint64_t value) { return Uint64::Create(value); }
Object* BoxDouble(double value) { return Double::Create(value); }
Object* BoxDate(int64_t value) { return Date::Create(value); }
Object* BoxData(const void* bytes, size_t length) { return Data::Create(bytes, length); }
Object* BoxString(const char* string) { return String::Create(string); }
Object* BoxUuid(const unsigned char* bytes) { return Uuid::Create(bytes); }
Object* BoxFd(int fd) { return Fd::Create(fd); }

}  // namespace xpctest::fakes::objects
