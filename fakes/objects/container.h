// objects/container.h — what arrays and dictionaries share: the apply guard
// that forbids mutation during iteration (S32), deep copy of children (S44),
// and the typed element getters with their defaults (S12, S13, S33).
#ifndef XPCTEST_FAKES_OBJECTS_CONTAINER_H
#define XPCTEST_FAKES_OBJECTS_CONTAINER_H

#include <cstdint>
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

// S44: a deep copy of a child for a copied container. Kinds that cannot be
// copied (connections) are shared with an extra reference.
Object* CopyChild(Object* child);

// Appends one nested value of a container's description at `depth`.
void AppendChildDescription(std::string& out, const Object& child, int depth);

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
