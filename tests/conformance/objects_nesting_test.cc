// How deep and how circular collections may be. A collection may not contain
// itself, and collections nest at most kMaxNestingDepth levels for every
// operation that walks them (docs/architecture.md, "Nesting"): beyond that,
// copy, equality and hash are misuse naming the call, and a description stops
// at the limit, where a deeper walk would have overflowed the stack.
#include <xpc/xpc.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "conformance/objects_test_support.h"
#include "objects/nesting.h"
#include "xpctest/diagnostics.h"

namespace xpctest::conformance {
namespace {

using fakes::objects::kMaxNestingDepth;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kCycle =
    "XPC API Misuse: A collection cannot contain itself, directly or through the collections "
    "it holds.";

// A dictionary or array inserted into itself is refused with a report naming
// the call, the collection and the value; copy and description then finish.
TEST(NestingConformance, CollectionInsertedIntoItselfIsMisuse) {
  MisuseRecorder recorder;
  Owned dictionary(xpc_dictionary_create_empty());
  xpc_dictionary_set_value(dictionary, "self", dictionary);
  Owned array(xpc_array_create_empty());
  xpc_array_append_value(array, array);
  xpc_array_append_value(array, XPC_BOOL_TRUE);
  xpc_array_set_value(array, 0, array);
  EXPECT_EQ(xpc_dictionary_get_count(dictionary), 0u);
  EXPECT_EQ(xpc_array_get_count(array), 1u);
  EXPECT_EQ(xpc_array_get_value(array, 0), XPC_BOOL_TRUE);
  EXPECT_THAT(recorder.Headlines(), ElementsAre(kCycle, kCycle, kCycle));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_dictionary_set_value");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_array_append_value");
  EXPECT_EQ(recorder.Reports()[2].call, "xpc_array_set_value");
  EXPECT_THAT(recorder.Reports()[0].object, HasSubstr("<dictionary: 0x"));
  EXPECT_THAT(recorder.Reports()[1].details, HasSubstr("value: <array: 0x"));
}

// The same through a cycle: dictionary -> array -> dictionary, and a deeper
// one through three collections.
TEST(NestingConformance, CollectionInsertedIntoItselfThroughACycleIsMisuse) {
  MisuseRecorder recorder;
  Owned outer(xpc_dictionary_create_empty());
  Owned middle(xpc_array_create_empty());
  Owned inner(xpc_dictionary_create_empty());
  xpc_dictionary_set_value(outer, "middle", middle);
  xpc_array_append_value(middle, inner);
  xpc_dictionary_set_value(inner, "back", outer);
  xpc_array_append_value(middle, middle);
  EXPECT_EQ(xpc_dictionary_get_count(inner), 0u);
  EXPECT_EQ(xpc_array_get_count(middle), 1u);
  EXPECT_THAT(recorder.Headlines(), ElementsAre(kCycle, kCycle));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_dictionary_set_value");
  // Nothing was inserted, so the graph is still a tree: these finish.
  Owned copy(xpc_copy(outer));
  EXPECT_TRUE(xpc_equal(copy, outer));
  EXPECT_THAT(Describe(outer), HasSubstr("\"middle\" => <array: 0x"));
}

// One collection held twice (a diamond, not a cycle) is allowed.
TEST(NestingConformance, OneCollectionMayBeHeldTwice) {
  MisuseRecorder recorder;
  Owned shared(xpc_array_create_empty());
  Owned holder(xpc_dictionary_create_empty());
  xpc_dictionary_set_value(holder, "a", shared);
  xpc_dictionary_set_value(holder, "b", shared);
  Owned outer(xpc_array_create_empty());
  xpc_array_append_value(outer, holder);
  xpc_array_append_value(outer, shared);
  EXPECT_EQ(xpc_dictionary_get_count(holder), 2u);
  EXPECT_EQ(xpc_array_get_count(outer), 2u);
  EXPECT_TRUE(recorder.Reports().empty());
}

// Up to the limit everything works and nothing is reported.
TEST(NestingConformance, NestingUpToTheLimitWorks) {
  MisuseRecorder recorder;
  Owned deep(NestedDictionaries(kMaxNestingDepth));
  Owned copy(xpc_copy(deep));
  ASSERT_NE(copy.get(), nullptr);
  EXPECT_TRUE(xpc_equal(copy, deep));
  EXPECT_EQ(xpc_hash(copy), xpc_hash(deep));
  EXPECT_THAT(Describe(deep), ::testing::Not(HasSubstr("nested deeper")));
  EXPECT_TRUE(recorder.Reports().empty());
}

// 50,000 levels can be built and released (release walks no stack), but
// copy, equality and hash refuse them with a report naming the call, and a
// description stops at the limit instead of overflowing the stack.
TEST(NestingConformance, FiftyThousandLevelsFailClearlyInsteadOfOverflowingTheStack) {
  MisuseRecorder recorder;
  Owned deep(NestedDictionaries(50'000));
  Owned other(NestedDictionaries(50'000));
  EXPECT_EQ(xpc_copy(deep), nullptr);
  EXPECT_FALSE(xpc_equal(deep, other));
  (void)xpc_hash(deep);
  std::string text = Describe(deep);
  std::string limit = std::to_string(kMaxNestingDepth);
  EXPECT_THAT(text, HasSubstr("nested deeper than " + limit + " levels"));
  EXPECT_LT(text.size(), 1u << 20);
  std::string headline = "XPC API Misuse: Collections nested deeper than " + limit +
                         " levels cannot be copied, compared, hashed or sent.";
  EXPECT_THAT(recorder.Headlines(), ElementsAre(headline, headline, headline));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_copy");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_equal");
  EXPECT_EQ(recorder.Reports()[2].call, "xpc_hash");
}

// One level past the limit is already refused.
TEST(NestingConformance, OneLevelPastTheLimitIsRefused) {
  MisuseRecorder recorder;
  Owned deep(NestedDictionaries(kMaxNestingDepth + 1));
  EXPECT_EQ(xpc_copy(deep), nullptr);
  EXPECT_EQ(recorder.Reports().size(), 1u);
}

}  // namespace
}  // namespace xpctest::conformance
