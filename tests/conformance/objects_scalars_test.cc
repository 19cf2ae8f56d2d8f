// Conformance of null, bool, int64, uint64, double and date (S1–S9, S12, P4).
#include <xpc/xpc.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>

#include "conformance/objects_test_support.h"

namespace xpctest::conformance {
namespace {

// S5: xpc_bool_create returns one of two singletons, comparable by pointer.
TEST(ScalarConformance, S5BoolCreateReturnsTheSingletons) {
  EXPECT_EQ(xpc_bool_create(true), XPC_BOOL_TRUE);
  EXPECT_EQ(xpc_bool_create(false), XPC_BOOL_FALSE);
  EXPECT_NE(XPC_BOOL_TRUE, XPC_BOOL_FALSE);
  EXPECT_TRUE(xpc_bool_get_value(XPC_BOOL_TRUE));
  EXPECT_FALSE(xpc_bool_get_value(XPC_BOOL_FALSE));
  EXPECT_EQ(xpc_get_type(XPC_BOOL_TRUE), XPC_TYPE_BOOL);
}

// S6: xpc_null_create returns a singleton; two calls give the same pointer.
TEST(ScalarConformance, S6NullIsASingleton) {
  xpc_object_t a = xpc_null_create();
  xpc_object_t b = xpc_null_create();
  EXPECT_EQ(a, b);
  EXPECT_EQ(xpc_get_type(a), XPC_TYPE_NULL);
}

// S7: retain and release on the bool and null singletons have no effect on their lifetime.
TEST(ScalarConformance, S7SingletonsIgnoreRetainAndRelease) {
  for (int i = 0; i < 10; ++i) {
    xpc_release(XPC_BOOL_TRUE);
    xpc_release(xpc_null_create());
  }
  EXPECT_EQ(xpc_retain(XPC_BOOL_FALSE), XPC_BOOL_FALSE);
  EXPECT_TRUE(xpc_bool_get_value(XPC_BOOL_TRUE));
  EXPECT_EQ(xpc_get_type(xpc_null_create()), XPC_TYPE_NULL);
}

// S1: xpc_get_type returns the XPC_TYPE_* descriptor, compared by pointer.
TEST(ScalarConformance, S1EachBoxReportsItsType) {
  Owned i(xpc_int64_create(-5)), u(xpc_uint64_create(5)), d(xpc_double_create(1.5)),
      t(xpc_date_create(7));
  EXPECT_EQ(xpc_get_type(i), XPC_TYPE_INT64);
  EXPECT_EQ(xpc_get_type(u), XPC_TYPE_UINT64);
  EXPECT_EQ(xpc_get_type(d), XPC_TYPE_DOUBLE);
  EXPECT_EQ(xpc_get_type(t), XPC_TYPE_DATE);
  EXPECT_EQ(xpc_int64_get_value(i), -5);
  EXPECT_EQ(xpc_uint64_get_value(u), 5u);
  EXPECT_EQ(xpc_double_get_value(d), 1.5);
  EXPECT_EQ(xpc_date_get_value(t), 7);
}

// S2, P4: xpc_type_get_name returns the header's short names.
TEST(ScalarConformance, P4TypeNamesAreTheShortForm) {
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_NULL), "null");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_BOOL), "bool");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_INT64), "int64");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_UINT64), "uint64");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_DOUBLE), "double");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_DATE), "date");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_DATA), "data");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_STRING), "string");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_UUID), "uuid");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_FD), "fd");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_SHMEM), "shmem");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_ARRAY), "array");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_DICTIONARY), "dictionary");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_ERROR), "error");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_CONNECTION), "connection");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_ENDPOINT), "endpoint");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_SESSION), "session");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_RICH_ERROR), "rich_error");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_ACTIVITY), "activity");
  EXPECT_STREQ(xpc_type_get_name(XPC_TYPE_LISTENER), "listener");
}

// S9: a date is signed nanoseconds since the epoch; negative values precede it.
TEST(ScalarConformance, S9DatesAreSignedNanoseconds) {
  Owned before(xpc_date_create(-1'000'000'000));
  EXPECT_EQ(xpc_date_get_value(before), -1'000'000'000);
  int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  Owned current(xpc_date_create_from_current());
  // Wall clock, not timing: "now" within a day of the box is enough.
  EXPECT_LT(std::llabs(xpc_date_get_value(current) - now), 86'400LL * 1'000'000'000);
}

// S12: value getters return a sensible default for a wrong type.
TEST(ScalarConformance, S12GettersReturnDefaultsForWrongType) {
  Owned text(xpc_string_create("5"));
  EXPECT_FALSE(xpc_bool_get_value(text));
  EXPECT_EQ(xpc_int64_get_value(text), 0);
  EXPECT_EQ(xpc_uint64_get_value(text), 0u);
  EXPECT_TRUE(std::isnan(xpc_double_get_value(text)));
  EXPECT_EQ(xpc_date_get_value(text), 0);
  EXPECT_EQ(xpc_data_get_length(text), 0u);
  EXPECT_EQ(xpc_data_get_bytes_ptr(text), nullptr);
  EXPECT_EQ(xpc_uuid_get_bytes(text), nullptr);
  Owned number(xpc_int64_create(5));
  EXPECT_EQ(xpc_string_get_string_ptr(number), nullptr);
  EXPECT_EQ(xpc_string_get_length(number), 0u);
}

// S4, S44: boxes are immutable, so xpc_copy may return the same object (+1).
TEST(ScalarConformance, S44CopyOfImmutableBoxIsEqual) {
  Owned value(xpc_int64_create(42));
  Owned copy(xpc_copy(value));
  EXPECT_TRUE(xpc_equal(value, copy));
  EXPECT_EQ(xpc_int64_get_value(copy), 42);
}

// S45: no numeric coercion: int64 5 is not equal to uint64 5.
TEST(ScalarConformance, S45NoCoercionBetweenNumericTypes) {
  Owned signed_five(xpc_int64_create(5)), unsigned_five(xpc_uint64_create(5)),
      double_five(xpc_double_create(5)), date_five(xpc_date_create(5)),
      other_five(xpc_int64_create(5));
  EXPECT_FALSE(xpc_equal(signed_five, unsigned_five));
  EXPECT_FALSE(xpc_equal(signed_five, double_five));
  EXPECT_FALSE(xpc_equal(signed_five, date_five));
  EXPECT_TRUE(xpc_equal(signed_five, other_five));
  EXPECT_EQ(xpc_hash(signed_five), xpc_hash(other_five));
}

// S46: equal objects hash equally, including 0.0 and -0.0 doubles.
TEST(ScalarConformance, S46ZeroAndNegativeZeroHashAlike) {
  Owned zero(xpc_double_create(0.0)), negative_zero(xpc_double_create(-0.0));
  ASSERT_TRUE(xpc_equal(zero, negative_zero));
  EXPECT_EQ(xpc_hash(zero), xpc_hash(negative_zero));
}

}  // namespace
}  // namespace xpctest::conformance
