// Properties of copy, equality and hash over generated objects (S44–S46, S49).
#include <xpc/xpc.h>

#include <gtest/gtest.h>

#include <string>

#include "conformance/objects_test_support.h"
#include "objects/object.h"

namespace xpctest::conformance {
namespace {

constexpr uint32_t kSeeds = 300;

// S44, S45: a copy equals its original, for every generated object.
TEST(CopyEqualHashConformance, S44CopyIsEqualForGeneratedObjects) {
  ObjectGenerator generator(20240601);
  for (uint32_t i = 0; i < kSeeds; ++i) {
    Owned original(generator.Next(4));
    Owned copy(xpc_copy(original));
    ASSERT_NE(copy.get(), nullptr) << "seed 20240601, object " << i;
    EXPECT_TRUE(xpc_equal(original, copy)) << "object " << i << ": " << Describe(original);
    EXPECT_TRUE(xpc_equal(copy, original)) << "object " << i;
  }
}

// S46: equal objects have equal hashes.
TEST(CopyEqualHashConformance, S46EqualObjectsHashEqually) {
  // Two generators with the same seed build equal but distinct trees.
  ObjectGenerator left(77), right(77);
  for (uint32_t i = 0; i < kSeeds; ++i) {
    Owned a(left.Next(4)), b(right.Next(4));
    ASSERT_TRUE(xpc_equal(a, b)) << "object " << i << ": " << Describe(a);
    EXPECT_EQ(xpc_hash(a), xpc_hash(b)) << "object " << i;
    Owned copy(xpc_copy(a));
    EXPECT_EQ(xpc_hash(a), xpc_hash(copy)) << "object " << i;
  }
}

// S44, S49: the copy of a collection is deep: mutating any level of the copy
// leaves the original unchanged.
TEST(CopyEqualHashConformance, S44MutatingTheCopyLeavesOriginalUnchanged) {
  ObjectGenerator generator(4242);
  for (uint32_t i = 0; i < kSeeds; ++i) {
    Owned original(generator.NextContainer(4));
    std::string before = Describe(original);
    Owned snapshot(xpc_copy(original));
    Owned copy(xpc_copy(original));
    MutateEveryContainer(copy);
    EXPECT_FALSE(xpc_equal(original, copy)) << "object " << i;
    EXPECT_TRUE(xpc_equal(original, snapshot)) << "object " << i;
    EXPECT_EQ(Describe(original), before) << "object " << i;
  }
}

// S45: objects of different types are never equal; the same object always is.
TEST(CopyEqualHashConformance, S45DifferentTypesAreNeverEqual) {
  ObjectGenerator generator(99);
  for (uint32_t i = 0; i < kSeeds; ++i) {
    Owned a(generator.Next(2)), b(generator.Next(2));
    EXPECT_TRUE(xpc_equal(a, a));
    if (xpc_get_type(a) != xpc_get_type(b)) EXPECT_FALSE(xpc_equal(a, b)) << i;
  }
}

// S45: arrays are equal when equal elements sit at equal indexes; dictionaries
// when equal values sit under equal keys.
TEST(CopyEqualHashConformance, S45CollectionEqualityIsElementwise) {
  Owned a(xpc_array_create_empty()), b(xpc_array_create_empty());
  xpc_array_set_int64(a, XPC_ARRAY_APPEND, 1);
  xpc_array_set_int64(a, XPC_ARRAY_APPEND, 2);
  xpc_array_set_int64(b, XPC_ARRAY_APPEND, 2);
  xpc_array_set_int64(b, XPC_ARRAY_APPEND, 1);
  EXPECT_FALSE(xpc_equal(a, b));
  Owned x(xpc_dictionary_create_empty()), y(xpc_dictionary_create_empty());
  xpc_dictionary_set_int64(x, "k", 1);
  xpc_dictionary_set_int64(x, "j", 2);
  xpc_dictionary_set_int64(y, "j", 2);
  xpc_dictionary_set_int64(y, "k", 1);
  EXPECT_TRUE(xpc_equal(x, y));
  EXPECT_EQ(xpc_hash(x), xpc_hash(y));
  xpc_dictionary_set_uint64(y, "k", 1);
  EXPECT_FALSE(xpc_equal(x, y));
}

// S14, S18: generating, copying and releasing leaves no object alive.
TEST(CopyEqualHashConformance, S14CopiesAreBalancedByRelease) {
  int64_t before = fakes::objects::LiveObjectCount();
  {
    ObjectGenerator generator(5);
    for (uint32_t i = 0; i < 50; ++i) {
      Owned a(generator.Next(4));
      Owned copy(xpc_copy(a));
    }
  }
  EXPECT_EQ(fakes::objects::LiveObjectCount(), before);
}

}  // namespace
}  // namespace xpctest::conformance
