// Helpers for the object-model conformance tests: an owning handle, a
// description with addresses masked, and a seeded generator of nested objects.
#ifndef XPCTEST_TESTS_CONFORMANCE_OBJECTS_TEST_SUPPORT_H
#define XPCTEST_TESTS_CONFORMANCE_OBJECTS_TEST_SUPPORT_H

#include <xpc/xpc.h>

#include <cstdint>
#include <random>
#include <string>

namespace xpctest::conformance {

// Owns one reference to an object (+1 from a create/copy call); releases it.
class Owned {
 public:
  explicit Owned(xpc_object_t object = nullptr) : object_(object) {}
  ~Owned() {
    if (object_ != nullptr) xpc_release(object_);
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  xpc_object_t get() const { return object_; }
  operator xpc_object_t() const { return object_; }

 private:
  xpc_object_t object_;
};

// xpc_copy_description as a std::string.
std::string Describe(xpc_object_t object);

// Replaces every "0x<hex>" with "0xADDR", so golden text ignores addresses.
std::string MaskAddresses(const std::string& text);

// Random nested objects from a seed; the same seed gives the same objects.
// Leaves are every copyable kind whose equality is by value (no fd/shmem, S41).
class ObjectGenerator {
 public:
  explicit ObjectGenerator(uint32_t seed) : random_(seed) {}
  // A new object (+1); containers nest at most `depth` levels.
  xpc_object_t Next(int depth = 3);
  // A new array or dictionary (+1).
  xpc_object_t NextContainer(int depth = 3);

 private:
  xpc_object_t Leaf();
  std::string Key();
  std::mt19937 random_;
};

// Adds an entry to `container` and to every container nested in it.
void MutateEveryContainer(xpc_object_t container);

// Bytes the allocator has handed out and not taken back: the sanitizers'
// count under ASan/TSan, glibc's (mallinfo2, mmapped blocks included)
// otherwise. For checking that memory was returned, not for benchmarks.
int64_t HeapBytesInUse();

// `levels` dictionaries, each holding the next under "next" (+1); built from
// the innermost out, so building never recurses.
xpc_object_t NestedDictionaries(int levels);

}  // namespace xpctest::conformance

#endif  // XPCTEST_TESTS_CONFORMANCE_OBJECTS_TEST_SUPPORT_H
