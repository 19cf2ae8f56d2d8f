// Conformance of strings, data and uuids (S10, S11, S22, S35, S37).
#include <xpc/xpc.h>

#include <gtest/gtest.h>

#include <cstdarg>
#include <cstring>
#include <string>

#include "conformance/objects_test_support.h"

namespace xpctest::conformance {
namespace {

// S10: strings are copied; the length excludes the NUL, as strlen does.
TEST(StringConformance, S10StringIsCopiedAndLengthIsStrlen) {
  char buffer[] = "hello";
  Owned string(xpc_string_create(buffer));
  buffer[0] = 'J';
  EXPECT_STREQ(xpc_string_get_string_ptr(string), "hello");
  EXPECT_EQ(xpc_string_get_length(string), 5u);
  Owned empty(xpc_string_create(""));
  EXPECT_EQ(xpc_string_get_length(empty), 0u);
  Owned utf8(xpc_string_create("gr\xc3\xbc\xc3\x9f"));
  EXPECT_EQ(xpc_string_get_length(utf8), 6u);  // bytes, not characters
}

// S11: the format variants follow printf semantics.
TEST(StringConformance, S11FormatFollowsPrintf) {
  Owned formatted(xpc_string_create_with_format("%s=%d %05.1f", "x", 42, 3.14159));
  EXPECT_STREQ(xpc_string_get_string_ptr(formatted), "x=42 003.1");
  std::string long_text(1000, 'z');
  Owned big(xpc_string_create_with_format("[%s]", long_text.c_str()));
  EXPECT_EQ(xpc_string_get_length(big), 1002u);
}

// S10, S11: a string is a C string. A format that produces a NUL ends the
// string there, so it measures, compares, hashes and prints as its contents.
TEST(StringConformance, S10FormattedStringWithAnEmbeddedNulIsItsCContents) {
  Owned formatted(xpc_string_create_with_format("ab%cde", 0));
  Owned plain(xpc_string_create("ab"));
  EXPECT_STREQ(xpc_string_get_string_ptr(formatted), "ab");
  EXPECT_EQ(xpc_string_get_length(formatted), 2u);
  EXPECT_TRUE(xpc_equal(formatted, plain));
  EXPECT_EQ(xpc_hash(formatted), xpc_hash(plain));
  EXPECT_EQ(MaskAddresses(Describe(formatted)),
            "<string: 0xADDR> { length = 2, contents = \"ab\" }");
}

xpc_object_t FormatWithList(const char* format, ...) {
  va_list arguments;
  va_start(arguments, format);
  xpc_object_t result = xpc_string_create_with_format_and_arguments(format, arguments);
  va_end(arguments);
  return result;
}

// S11: the va_list variant follows vprintf semantics.
TEST(StringConformance, S11FormatAndArgumentsFollowsVprintf) {
  Owned formatted(FormatWithList("%u-%c", 7u, 'q'));
  EXPECT_STREQ(xpc_string_get_string_ptr(formatted), "7-q");
}

// S35: data copies the caller's buffer; (NULL, 0) makes an empty data object.
TEST(DataConformance, S35DataCopiesTheBuffer) {
  unsigned char bytes[] = {1, 2, 3, 4};
  Owned data(xpc_data_create(bytes, sizeof bytes));
  bytes[0] = 9;
  ASSERT_EQ(xpc_data_get_length(data), 4u);
  EXPECT_EQ(static_cast<const unsigned char*>(xpc_data_get_bytes_ptr(data))[0], 1);
  Owned empty(xpc_data_create(nullptr, 0));
  EXPECT_EQ(xpc_get_type(empty), XPC_TYPE_DATA);
  EXPECT_EQ(xpc_data_get_length(empty), 0u);
}

// S37: get_bytes copies at most `length` bytes from `off` and returns the count;
// nothing past the end; 0 for a non-data object.
TEST(DataConformance, S37GetBytesCopiesAtMostLengthFromOffset) {
  const unsigned char bytes[] = {10, 11, 12, 13, 14};
  Owned data(xpc_data_create(bytes, sizeof bytes));
  unsigned char out[8] = {};
  EXPECT_EQ(xpc_data_get_bytes(data, out, 1, 2), 2u);
  EXPECT_EQ(out[0], 11);
  EXPECT_EQ(out[1], 12);
  EXPECT_EQ(xpc_data_get_bytes(data, out, 3, 8), 2u);
  EXPECT_EQ(xpc_data_get_bytes(data, out, 5, 8), 0u);
  EXPECT_EQ(xpc_data_get_bytes(data, out, 50, 8), 0u);
  Owned not_data(xpc_int64_create(1));
  EXPECT_EQ(xpc_data_get_bytes(not_data, out, 0, 8), 0u);
}

// S22: interior pointers stay valid while the owning object lives.
TEST(DataConformance, S22InteriorPointersStayValidWhileOwnerLives) {
  Owned dictionary(xpc_dictionary_create_empty());
  xpc_dictionary_set_string(dictionary, "k", "value");
  const char* pointer = xpc_dictionary_get_string(dictionary, "k");
  for (int i = 0; i < 100; ++i) {
    xpc_dictionary_set_int64(dictionary, std::to_string(i).c_str(), i);
  }
  EXPECT_STREQ(pointer, "value");
  EXPECT_EQ(pointer, xpc_dictionary_get_string(dictionary, "k"));
}

// The uuid box copies 16 bytes and compares by value.
TEST(UuidConformance, UuidCopiesSixteenBytesAndComparesByValue) {
  uuid_t bytes;
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(i * 3);
  Owned a(xpc_uuid_create(bytes));
  bytes[0] = 0xff;
  EXPECT_EQ(xpc_uuid_get_bytes(a)[0], 0);
  EXPECT_EQ(xpc_uuid_get_bytes(a)[15], 45);
  bytes[0] = 0;
  Owned b(xpc_uuid_create(bytes));
  EXPECT_TRUE(xpc_equal(a, b));
  EXPECT_EQ(xpc_hash(a), xpc_hash(b));
}

// S45: strings and data of equal contents are equal and hash alike; types differ otherwise.
TEST(StringConformance, S45EqualContentsAreEqualOnlyWithinAType) {
  Owned s1(xpc_string_create("abc")), s2(xpc_string_create("abc")),
      d(xpc_data_create("abc", 3));
  EXPECT_TRUE(xpc_equal(s1, s2));
  EXPECT_EQ(xpc_hash(s1), xpc_hash(s2));
  EXPECT_FALSE(xpc_equal(s1, d));
}

}  // namespace
}  // namespace xpctest::conformance
