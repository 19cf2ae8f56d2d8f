// objects/container.h — what arrays and dictionaries share: the Container
// base (the children it holds, the refusal of cycles, the apply guard that
// forbids mutation during iteration, S32), deep copy of children (S44, S49),
// and the typed element getters with their defaults (S12, S13, S33).
//
//   Container* holder = AsContainer(object);   // null unless array/dictionary
//   if (!holder->AllowInsertion(*value, "xpc_array_append_value")) return;
//
// Thread safety: as for the kinds themselves, no concurrent mutation of one
// container; the bookkeeping counters are atomic because one child may sit
// in containers that different threads mutate.
#ifndef XPCTEST_FAKES_OBJECTS_CONTAINER_H
#define XPCTEST_FAKES_OBJECTS_CONTAINER_H

#include <cstdint>
#include <functional>
#include <string_view>

#include "objects/object.h"

namespace xpctest::fakes::objects {

// Counts the applies running over one container. While any runs, a mutation
// is reported (S32) and refused, so the iteration itself stays well defined.
class IterationState {
 public:
  bool iterating() const { return depth_.load(std::memory_order_relaxed) > 0; }
  // Reports `what` ("Array mutated during iteration") naming `call` when an
  // apply is running; returns whether the mutation may proceed.
  bool AllowMutation(std::string_view call, std::string_view what, const Object& container) const;

  // Marks one apply for its lifetime, and keeps the container alive while
  // the block runs, even if the block releases the caller's reference.
  class Scope {
   public:
    Scope(IterationState& state, Object& container, std::string_view call);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    IterationState& state_;
    Object& container_;
    std::string_view call_;
  };

 private:
  std::atomic<int> depth_{0};
};

// An array or a dictionary (error singletons included): an object that holds
// others. Containers never hold themselves, directly or through other
// containers, so every walk over their children ends (docs/architecture.md,
// "Nesting").
class Container : public Object {
 public:
  // Calls `visit` once per child (arrays in index order).
  virtual void VisitChildren(const std::function<void(Object&)>& visit) const = 0;

  // Whether `value` may be inserted here: reports "A collection cannot
  // contain itself..." naming `call`, this container and the value, and
  // returns false, when the value is this container or holds it.
  bool AllowInsertion(const Object& value, std::string_view call) const;

 protected:
  Container(xpc_type_t type, Lifetime lifetime) : Object(type, lifetime) {}

  // Bookkeeping for the cycle check, called as a child enters and leaves
  // this container (insert, replace, remove, copy, dispose).
  void NoteAdopted(const Object& child);
  void NoteDropped(const Object& child);

 private:
  // How many containers hold this one; with none, nothing can lead back here.
  std::atomic<int32_t> holders_{0};
  // How many of this container's children are containers themselves.
  std::atomic<int32_t> nested_children_{0};
};

// The container behind `object`, or nullptr for every other kind.
const Container* AsContainer(const Object& object);

// What a copied container does with each child: S44's copy (immutable boxes
// shared), or S49's receiver copy (every child a new object).
enum class CopyMode : uint8_t { kCopy, kForReceiver };

// A copy of a child for a copied container. For kCopy, kinds that cannot be
// copied (connections) are shared with an extra reference; for kForReceiver,
// they arrive as the null object.
Object* CopyChild(Object* child, CopyMode mode);

// The pieces of a container's description (S106, S107). They live outside
// the recursive AppendDescription so that each level of nesting costs that
// recursion little stack (objects/nesting.h). An opening returns false, having
// written the short form "{ count = N, nested deeper than 256 levels }",
// when `depth` is past the nesting limit and the children must be left out.
bool AppendDictionaryOpening(std::string& out, const Object& dictionary, size_t count, int depth);
bool AppendArrayOpening(std::string& out, const Object& array, size_t count, int depth);
// One entry's start at `depth`: "\t\"key\" => " or "\t3: ".
void AppendKeyPrefix(std::string& out, std::string_view key, int depth);
void AppendIndexPrefix(std::string& out, size_t index, int depth);
// The closing "}" at the parent entry's indent.
void AppendClosing(std::string& out, int depth);

// The typed reads of S12 over an element that may be missing (nullptr):
// each returns its default when the element is absent or of another kind.
bool BoolValueOf(const Object* element);               // false
int64_t Int64ValueOf(const Object* element);           // 0
uint64_t Uint64ValueOf(const Object* element);         // 0
double DoubleValueOf(const Object* element);           // NAN
int64_t DateValueOf(const Object* element);            // 0
const void* DataBytesOf(const Object* element, size_t* length);  // NULL, length 0
size_t DataLengthOf(const Object* element);            // 0
const char* StringPtrOf(const Object* element);        // NULL
size_t StringLengthOf(const Object* element);          // 0
const uint8_t* UuidBytesOf(const Object* element);     // NULL (P5)
int DupFdOf(const Object* element);                    // -1 (S39)
Object* ArrayOf(Object* element);                      // NULL (S33)
Object* DictionaryOf(Object* element);                 // NULL (S33)

// The primitive setters' boxes (+1); nullptr for an invalid fd (S38).
Object* BoxBool(bool value);
Object* BoxInt64(int64_t value);
Object* BoxUint64(uint64_t value);
Object* BoxDouble(double value);
Object* BoxDate(int64_t value);
Object* BoxData(const void* bytes, size_t length);
Object* BoxString(const char* string);
Object* BoxUuid(const unsigned char* bytes);
Object* BoxFd(int fd);

}  // namespace xpctest::fakes::objects

#endif  // XPCTEST_FAKES_OBJECTS_CONTAINER_H
