// Conformance of arrays (S24–S27, S31–S33, P6).
#include <xpc/xpc.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "conformance/objects_test_support.h"
#include "objects/object.h"
#include "xpctest/diagnostics.h"

namespace xpctest::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// S24: an array is contiguous with no NULL holes; the null object fills "empty" slots.
TEST(ArrayConformance, S24ArrayHasNoHolesNullFillsSlots) {
  Owned array(xpc_array_create_empty());
  xpc_array_append_value(array, xpc_null_create());
  xpc_array_set_int64(array, XPC_ARRAY_APPEND, 5);
  ASSERT_EQ(xpc_array_get_count(array), 2u);
  EXPECT_EQ(xpc_array_get_value(array, 0), xpc_null_create());
  EXPECT_EQ(xpc_array_get_int64(array, 1), 5);
}

// S25: xpc_array_create retains the first n objects, in order; (NULL, 0) is empty.
TEST(ArrayConformance, S25CreateRetainsObjectsInOrder) {
  xpc_object_t one = xpc_int64_create(1);
  xpc_object_t two = xpc_string_create("two");
  xpc_object_t objects[] = {one, two};
  Owned array(xpc_array_create(objects, 2));
  xpc_release(one);
  xpc_release(two);
  ASSERT_EQ(xpc_array_get_count(array), 2u);
  EXPECT_EQ(xpc_array_get_int64(array, 0), 1);
  EXPECT_STREQ(xpc_array_get_string(array, 1), "two");
  Owned empty(xpc_array_create(nullptr, 0));
  EXPECT_EQ(xpc_array_get_count(empty), 0u);
}

// S26: set_value replaces an existing index; the primitive setters append at XPC_ARRAY_APPEND.
TEST(ArrayConformance, S26SetValueReplacesAndAppendIndexAppends) {
  Owned array(xpc_array_create_empty());
  xpc_array_set_bool(array, XPC_ARRAY_APPEND, true);
  xpc_array_set_int64(array, XPC_ARRAY_APPEND, -1);
  xpc_array_set_uint64(array, XPC_ARRAY_APPEND, 2);
  xpc_array_set_double(array, XPC_ARRAY_APPEND, 2.5);
  xpc_array_set_date(array, XPC_ARRAY_APPEND, 99);
  xpc_array_set_data(array, XPC_ARRAY_APPEND, "ab", 2);
  xpc_array_set_string(array, XPC_ARRAY_APPEND, "s");
  uuid_t uuid = {1};
  xpc_array_set_uuid(array, XPC_ARRAY_APPEND, uuid);
  ASSERT_EQ(xpc_array_get_count(array), 8u);
  EXPECT_TRUE(xpc_array_get_bool(array, 0));
  EXPECT_EQ(xpc_array_get_int64(array, 1), -1);
  EXPECT_EQ(xpc_array_get_uint64(array, 2), 2u);
  EXPECT_EQ(xpc_array_get_double(array, 3), 2.5);
  EXPECT_EQ(xpc_array_get_date(array, 4), 99);
  size_t length = 0;
  EXPECT_EQ(std::memcmp(xpc_array_get_data(array, 5, &length), "ab", 2), 0);
  EXPECT_EQ(length, 2u);
  EXPECT_STREQ(xpc_array_get_string(array, 6), "s");
  EXPECT_EQ(xpc_array_get_uuid(array, 7)[0], 1);

  Owned replacement(xpc_string_create("replaced"));
  xpc_array_set_value(array, 0, replacement);
  xpc_array_set_int64(array, 1, 77);
  EXPECT_EQ(xpc_array_get_count(array), 8u);
  EXPECT_STREQ(xpc_array_get_string(array, 0), "replaced");
  EXPECT_EQ(xpc_array_get_int64(array, 1), 77);
}

// S12, S13/P5, S33: typed getters return defaults for an element of another type.
TEST(ArrayConformance, S12TypedGettersReturnDefaultsForOtherTypes) {
  Owned array(xpc_array_create_empty());
  xpc_array_set_string(array, XPC_ARRAY_APPEND, "text");
  EXPECT_FALSE(xpc_array_get_bool(array, 0));
  EXPECT_EQ(xpc_array_get_int64(array, 0), 0);
  EXPECT_EQ(xpc_array_get_uint64(array, 0), 0u);
  EXPECT_TRUE(std::isnan(xpc_array_get_double(array, 0)));
  EXPECT_EQ(xpc_array_get_date(array, 0), 0);
  EXPECT_EQ(xpc_array_get_data(array, 0, nullptr), nullptr);
  EXPECT_EQ(xpc_array_get_uuid(array, 0), nullptr);
  EXPECT_EQ(xpc_array_dup_fd(array, 0), -1);
  EXPECT_EQ(xpc_array_get_dictionary(array, 0), nullptr);
  EXPECT_EQ(xpc_array_get_array(array, 0), nullptr);
  Owned not_array(xpc_int64_create(3));
  EXPECT_EQ(xpc_array_get_count(not_array), 0u);
}

// S33: get_dictionary / get_array return the nested container, borrowed.
TEST(ArrayConformance, S33NestedContainerGettersReturnBorrowedContainers) {
  Owned array(xpc_array_create_empty());
  Owned inner_dictionary(xpc_dictionary_create_empty());
  Owned inner_array(xpc_array_create_empty());
  xpc_array_append_value(array, inner_dictionary);
  xpc_array_append_value(array, inner_array);
  EXPECT_EQ(xpc_array_get_dictionary(array, 0), inner_dictionary.get());
  EXPECT_EQ(xpc_array_get_array(array, 1), inner_array.get());
  EXPECT_EQ(xpc_array_get_array(array, 0), nullptr);
}

// S31: apply visits in index order, stops at the first false and returns the
// last block result; an empty array gives true.
TEST(ArrayConformance, S31ApplyVisitsInOrderAndStopsEarly) {
  Owned array(xpc_array_create_empty());
  for (int i = 0; i < 5; ++i) xpc_array_set_int64(array, XPC_ARRAY_APPEND, i * 10);
  std::vector<int64_t> seen;
  std::vector<int64_t>* out = &seen;
  EXPECT_TRUE(xpc_array_apply(array, ^bool(size_t index, xpc_object_t value) {
    out->push_back(xpc_int64_get_value(value));
    return true;
  }));
  EXPECT_THAT(seen, ElementsAre(0, 10, 20, 30, 40));
  __block size_t calls = 0;
  EXPECT_FALSE(xpc_array_apply(array, ^bool(size_t index, xpc_object_t value) {
    ++calls;
    return index < 1;
  }));
  EXPECT_EQ(calls, 2u);
  Owned empty(xpc_array_create_empty());
  EXPECT_TRUE(xpc_array_apply(empty, ^bool(size_t, xpc_object_t) { return false; }));
}

// S18: a collection retains what it holds and releases it when it dies.
TEST(ArrayConformance, S18ArrayRetainsElementsAndReleasesThemOnDeath) {
  int64_t before = fakes::objects::LiveObjectCount();
  {
    Owned array(xpc_array_create_empty());
    xpc_object_t value = xpc_string_create("held");
    xpc_array_append_value(array, value);
    xpc_release(value);
    EXPECT_STREQ(xpc_array_get_string(array, 0), "held");
    xpc_array_set_int64(array, 0, 1);  // releases the replaced string
  }
  EXPECT_EQ(fakes::objects::LiveObjectCount(), before);
}

// S27, P6: reading an index that does not exist is misuse; the getter then returns its default.
TEST(ArrayConformance, S27OutOfRangeReadIsReported) {
  Owned array(xpc_array_create_empty());
  xpc_array_set_int64(array, XPC_ARRAY_APPEND, 1);
  MisuseRecorder recorder;
  EXPECT_EQ(xpc_array_get_value(array, 1), nullptr);
  EXPECT_EQ(xpc_array_get_int64(array, 5), 0);
  ASSERT_EQ(recorder.Reports().size(), 2u);
  EXPECT_THAT(recorder.Reports()[0].headline, HasSubstr("out of bounds"));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_array_get_value");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_array_get_int64");
}

// S26, P6: set_value at an index that does not exist is misuse; nothing changes.
TEST(ArrayConformance, S26OutOfRangeSetIsReportedAndRefused) {
  Owned array(xpc_array_create_empty());
  Owned value(xpc_int64_create(1));
  MisuseRecorder recorder;
  xpc_array_set_value(array, 3, value);
  xpc_array_set_string(array, 0, "x");
  EXPECT_EQ(xpc_array_get_count(array), 0u);
  ASSERT_EQ(recorder.Reports().size(), 2u);
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_array_set_value");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_array_set_string");
}

// S27, P6: without a recorder an out-of-range read aborts, naming the call.
TEST(ArrayConformance, S27OutOfRangeReadAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        xpc_object_t array = xpc_array_create_empty();
        (void)xpc_array_get_value(array, 0);
      },
      "XPC API Misuse: Index 0 is out of bounds(.|\n)*in call: xpc_array_get_value");
}

// S32: changing an array during its own apply is misuse ("Array mutated during
// iteration"), including set_value on the element being visited.
TEST(ArrayConformance, S32MutationDuringApplyIsReportedAndRefused) {
  Owned array(xpc_array_create_empty());
  xpc_array_set_int64(array, XPC_ARRAY_APPEND, 1);
  xpc_array_set_int64(array, XPC_ARRAY_APPEND, 2);
  MisuseRecorder recorder;
  xpc_object_t handle = array.get();
  __block size_t visits = 0;
  EXPECT_TRUE(xpc_array_apply(handle, ^bool(size_t index, xpc_object_t value) {
    ++visits;
    xpc_array_set_int64(handle, XPC_ARRAY_APPEND, 3);
    xpc_array_set_int64(handle, index, 9);
    return true;
  }));
  EXPECT_EQ(visits, 2u);
  EXPECT_EQ(xpc_array_get_count(array), 2u);
  EXPECT_EQ(xpc_array_get_int64(array, 0), 1);
  ASSERT_EQ(recorder.Reports().size(), 4u);
  EXPECT_EQ(recorder.Reports()[0].headline, "XPC API Misuse: Array mutated during iteration");
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_array_set_int64");
  // After apply returns, mutation is legal again.
  xpc_array_set_int64(array, XPC_ARRAY_APPEND, 3);
  EXPECT_EQ(xpc_array_get_count(array), 3u);
}

// S32: without a recorder the mutation aborts with the observed text.
TEST(ArrayConformance, S32MutationDuringApplyAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        xpc_object_t array = xpc_array_create_empty();
        xpc_array_set_int64(array, XPC_ARRAY_APPEND, 1);
        xpc_array_apply(array, ^bool(size_t, xpc_object_t) {
          xpc_array_append_value(array, xpc_null_create());
          return true;
        });
      },
      "XPC API Misuse: Array mutated during iteration(.|\n)*in call: xpc_array_append_value");
}

// S25, S26: a NULL value is misuse; the array is unchanged.
TEST(ArrayConformance, S26NullValueIsReported) {
  Owned array(xpc_array_create_empty());
  MisuseRecorder recorder;
  xpc_array_append_value(array, nullptr);
  xpc_object_t holes[] = {nullptr};
  Owned created(xpc_array_create(holes, 1));
  EXPECT_EQ(xpc_array_get_count(array), 0u);
  EXPECT_EQ(xpc_array_get_count(created), 0u);
  ASSERT_EQ(recorder.Reports().size(), 2u);
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_array_append_value");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_array_create");
}

}  // namespace
}  // namespace xpctest::conformance
