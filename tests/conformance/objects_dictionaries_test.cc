// Conformance of dictionaries (S18, S28–S33, P6).
#include <xpc/xpc.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>

#include "conformance/objects_test_support.h"
#include "objects/dictionary.h"
#include "xpctest/diagnostics.h"

namespace xpctest::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// S28: keys are copied into the dictionary.
TEST(DictionaryConformance, S28KeysAreCopied) {
  Owned dictionary(xpc_dictionary_create_empty());
  char key[] = "key";
  xpc_dictionary_set_int64(dictionary, key, 1);
  key[0] = 'X';
  EXPECT_EQ(xpc_dictionary_get_int64(dictionary, "key"), 1);
  EXPECT_EQ(xpc_dictionary_get_value(dictionary, "Xey"), nullptr);
}

// S29: create retains each value, skips NULL values; (NULL, NULL, 0) is empty.
TEST(DictionaryConformance, S29CreateSkipsNullValues) {
  const char* keys[] = {"a", "b", "c"};
  xpc_object_t a = xpc_int64_create(1);
  xpc_object_t values[] = {a, nullptr, XPC_BOOL_TRUE};
  Owned dictionary(xpc_dictionary_create(keys, values, 3));
  xpc_release(a);
  EXPECT_EQ(xpc_dictionary_get_count(dictionary), 2u);
  EXPECT_EQ(xpc_dictionary_get_int64(dictionary, "a"), 1);
  EXPECT_EQ(xpc_dictionary_get_value(dictionary, "b"), nullptr);
  EXPECT_TRUE(xpc_dictionary_get_bool(dictionary, "c"));
  Owned empty(xpc_dictionary_create(nullptr, nullptr, 0));
  EXPECT_EQ(xpc_dictionary_get_count(empty), 0u);
}

// S30: set_value(NULL) removes the key; the count follows inserts and removals.
TEST(DictionaryConformance, S30NullValueRemovesKey) {
  Owned dictionary(xpc_dictionary_create_empty());
  xpc_dictionary_set_string(dictionary, "a", "1");
  xpc_dictionary_set_string(dictionary, "b", "2");
  EXPECT_EQ(xpc_dictionary_get_count(dictionary), 2u);
  xpc_dictionary_set_string(dictionary, "a", "replaced");
  EXPECT_EQ(xpc_dictionary_get_count(dictionary), 2u);
  xpc_dictionary_set_value(dictionary, "a", nullptr);
  EXPECT_EQ(xpc_dictionary_get_count(dictionary), 1u);
  EXPECT_EQ(xpc_dictionary_get_value(dictionary, "a"), nullptr);
  xpc_dictionary_set_value(dictionary, "missing", nullptr);
  EXPECT_EQ(xpc_dictionary_get_count(dictionary), 1u);
}

// Every typed setter round-trips through its getter.
TEST(DictionaryConformance, TypedSettersRoundTrip) {
  Owned d(xpc_dictionary_create_empty());
  uuid_t uuid = {0xab};
  xpc_dictionary_set_bool(d, "bool", true);
  xpc_dictionary_set_int64(d, "int64", INT64_MIN);
  xpc_dictionary_set_uint64(d, "uint64", UINT64_MAX);
  xpc_dictionary_set_double(d, "double", -0.25);
  xpc_dictionary_set_date(d, "date", 123);
  xpc_dictionary_set_data(d, "data", "xyz", 3);
  xpc_dictionary_set_string(d, "string", "str");
  xpc_dictionary_set_uuid(d, "uuid", uuid);
  EXPECT_TRUE(xpc_dictionary_get_bool(d, "bool"));
  EXPECT_EQ(xpc_dictionary_get_int64(d, "int64"), INT64_MIN);
  EXPECT_EQ(xpc_dictionary_get_uint64(d, "uint64"), UINT64_MAX);
  EXPECT_EQ(xpc_dictionary_get_double(d, "double"), -0.25);
  EXPECT_EQ(xpc_dictionary_get_date(d, "date"), 123);
  size_t length = 0;
  EXPECT_EQ(std::memcmp(xpc_dictionary_get_data(d, "data", &length), "xyz", 3), 0);
  EXPECT_EQ(length, 3u);
  EXPECT_STREQ(xpc_dictionary_get_string(d, "string"), "str");
  EXPECT_EQ(xpc_dictionary_get_uuid(d, "uuid")[0], 0xab);
  EXPECT_EQ(xpc_dictionary_get_count(d), 8u);
}

// S12, S13/P5, S33: getters return defaults for a missing key or another type,
// and for a non-dictionary.
TEST(DictionaryConformance, S12GettersReturnDefaultsForMissingOrOtherType) {
  Owned d(xpc_dictionary_create_empty());
  xpc_dictionary_set_string(d, "s", "text");
  for (const char* key : {"s", "missing"}) {
    EXPECT_FALSE(xpc_dictionary_get_bool(d, key));
    EXPECT_EQ(xpc_dictionary_get_int64(d, key), 0);
    EXPECT_EQ(xpc_dictionary_get_uint64(d, key), 0u);
    EXPECT_TRUE(std::isnan(xpc_dictionary_get_double(d, key)));
    EXPECT_EQ(xpc_dictionary_get_date(d, key), 0);
    EXPECT_EQ(xpc_dictionary_get_data(d, key, nullptr), nullptr);
    EXPECT_EQ(xpc_dictionary_get_uuid(d, key), nullptr);
    EXPECT_EQ(xpc_dictionary_dup_fd(d, key), -1);
    EXPECT_EQ(xpc_dictionary_get_dictionary(d, key), nullptr);
    EXPECT_EQ(xpc_dictionary_get_array(d, key), nullptr);
  }
  EXPECT_EQ(xpc_dictionary_get_string(d, "missing"), nullptr);
  Owned number(xpc_int64_create(1));
  EXPECT_EQ(xpc_dictionary_get_value(number, "s"), nullptr);
  EXPECT_EQ(xpc_dictionary_get_count(number), 0u);
}

// S33: get_dictionary / get_array return the nested containers.
TEST(DictionaryConformance, S33NestedContainerGetters) {
  Owned d(xpc_dictionary_create_empty());
  Owned inner(xpc_dictionary_create_empty());
  Owned list(xpc_array_create_empty());
  xpc_dictionary_set_value(d, "inner", inner);
  xpc_dictionary_set_value(d, "list", list);
  EXPECT_EQ(xpc_dictionary_get_dictionary(d, "inner"), inner.get());
  EXPECT_EQ(xpc_dictionary_get_array(d, "list"), list.get());
  EXPECT_EQ(xpc_dictionary_get_array(d, "inner"), nullptr);
}

// S31: apply visits every pair once, stops at the first false, and returns
// the last block result; an empty dictionary gives true.
TEST(DictionaryConformance, S31ApplyVisitsEachPairAndStopsEarly) {
  Owned d(xpc_dictionary_create_empty());
  xpc_dictionary_set_int64(d, "one", 1);
  xpc_dictionary_set_int64(d, "two", 2);
  xpc_dictionary_set_int64(d, "three", 3);
  std::map<std::string, int64_t> seen;
  auto* out = &seen;
  EXPECT_TRUE(xpc_dictionary_apply(d, ^bool(const char* key, xpc_object_t value) {
    (*out)[key] = xpc_int64_get_value(value);
    return true;
  }));
  EXPECT_THAT(seen, ElementsAre(Pair("one", 1), Pair("three", 3), Pair("two", 2)));
  __block int calls = 0;
  EXPECT_FALSE(xpc_dictionary_apply(d, ^bool(const char*, xpc_object_t) {
    ++calls;
    return false;
  }));
  EXPECT_EQ(calls, 1);
  Owned empty(xpc_dictionary_create_empty());
  EXPECT_TRUE(xpc_dictionary_apply(empty, ^bool(const char*, xpc_object_t) { return false; }));
}

// S32: changing a dictionary during its own apply is misuse ("Dictionary mutated
// during iteration", by analogy with arrays [U]); the change is refused.
TEST(DictionaryConformance, S32MutationDuringApplyIsReportedAndRefused) {
  Owned d(xpc_dictionary_create_empty());
  xpc_dictionary_set_int64(d, "a", 1);
  xpc_object_t handle = d.get();
  MisuseRecorder recorder;
  xpc_dictionary_apply(handle, ^bool(const char* key, xpc_object_t) {
    xpc_dictionary_set_value(handle, key, nullptr);
    xpc_dictionary_set_int64(handle, "new", 2);
    return true;
  });
  EXPECT_EQ(xpc_dictionary_get_count(d), 1u);
  EXPECT_EQ(xpc_dictionary_get_int64(d, "a"), 1);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("XPC API Misuse: Dictionary mutated during iteration",
                          "XPC API Misuse: Dictionary mutated during iteration"));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_dictionary_set_value");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_dictionary_set_int64");
}

// S32: without a recorder the mutation aborts.
TEST(DictionaryConformance, S32MutationDuringApplyAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        xpc_object_t d = xpc_dictionary_create_empty();
        xpc_dictionary_set_int64(d, "a", 1);
        xpc_dictionary_apply(d, ^bool(const char*, xpc_object_t) {
          xpc_dictionary_set_int64(d, "b", 2);
          return true;
        });
      },
      "XPC API Misuse: Dictionary mutated during iteration(.|\n)*in call: "
      "xpc_dictionary_set_int64");
}

// S28: a NULL key is misuse; nothing is stored and the getter returns its default.
TEST(DictionaryConformance, S28NullKeyIsReported) {
  Owned d(xpc_dictionary_create_empty());
  MisuseRecorder recorder;
  xpc_dictionary_set_int64(d, nullptr, 1);
  EXPECT_EQ(xpc_dictionary_get_int64(d, nullptr), 0);
  EXPECT_EQ(xpc_dictionary_get_count(d), 0u);
  ASSERT_EQ(recorder.Reports().size(), 2u);
  EXPECT_EQ(recorder.Reports()[0].headline,
            "XPC API Misuse: NULL key passed to xpc_dictionary_set_int64.");
}

// The message-context hook of the xpc layer is neither copied nor compared.
TEST(DictionaryConformance, MessageContextIsNotCopiedNorCompared) {
  struct Context : fakes::objects::MessageContext {};
  Owned d(xpc_dictionary_create_empty());
  auto* dictionary = fakes::objects::As<fakes::objects::Dictionary>(d.get(), "test");
  ASSERT_NE(dictionary, nullptr);
  dictionary->set_message_context(std::make_shared<Context>());
  Owned copy(xpc_copy(d));
  auto* copied = fakes::objects::As<fakes::objects::Dictionary>(copy.get(), "test");
  EXPECT_NE(dictionary->message_context(), nullptr);
  EXPECT_EQ(copied->message_context(), nullptr);
  EXPECT_TRUE(xpc_equal(d, copy));
}

}  // namespace
}  // namespace xpctest::conformance
