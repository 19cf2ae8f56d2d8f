// Golden tests of xpc_copy_description (S47, S106–S110), addresses masked.
#include <xpc/xpc.h>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "conformance/objects_test_support.h"

namespace xpctest::conformance {
namespace {

std::string Golden(xpc_object_t object) { return MaskAddresses(Describe(object)); }

// S108: bool, int64, uint64 and double print "<type: ADDR>: value".
TEST(DescriptionConformance, S108ScalarsPrintTypeAddressColonValue) {
  Owned i(xpc_int64_create(-7)), u(xpc_uint64_create(1)), d(xpc_double_create(0));
  EXPECT_EQ(Golden(XPC_BOOL_TRUE), "<bool: 0xADDR>: true");
  EXPECT_EQ(Golden(XPC_BOOL_FALSE), "<bool: 0xADDR>: false");
  EXPECT_EQ(Golden(i), "<int64: 0xADDR>: -7");
  EXPECT_EQ(Golden(u), "<uint64: 0xADDR>: 1");
  EXPECT_EQ(Golden(d), "<double: 0xADDR>: 0.000000");
}

// S108: uuid and date print "<type: ADDR> value" (no colon). Dates print in UTC.
TEST(DescriptionConformance, S108UuidAndDatePrintWithoutColon) {
  const uuid_t bytes = {0x3D, 0x3E, 0x27, 0x2B, 0x6E, 0x33, 0x46, 0x25,
                        0xB4, 0x0A, 0x86, 0xC2, 0x8C, 0x41, 0x45, 0x9E};
  Owned uuid(xpc_uuid_create(bytes));
  EXPECT_EQ(Golden(uuid), "<uuid: 0xADDR> 3D3E272B-6E33-4625-B40A-86C28C41459E");
  Owned date(xpc_date_create(1425227032LL * 1000000000));
  EXPECT_EQ(Golden(date), "<date: 0xADDR> Sun Mar 01 16:23:52 2015 UTC");
}

// S108: strings print length and quoted contents; data prints up to 24 bytes in
// hex, "..." when longer, "(nil)" when empty.
TEST(DescriptionConformance, S108StringAndDataFormats) {
  Owned s(xpc_string_create("57314371"));
  EXPECT_EQ(Golden(s), "<string: 0xADDR> { length = 8, contents = \"57314371\" }");
  Owned empty(xpc_data_create(nullptr, 0));
  EXPECT_EQ(Golden(empty), "<data: 0xADDR>: { length = 0 bytes, contents = (nil) }");
  const unsigned char three[] = {0x00, 0xe8, 0xff};
  Owned small(xpc_data_create(three, 3));
  EXPECT_EQ(Golden(small), "<data: 0xADDR>: { length = 3 bytes, contents = 0xADDR }");
  EXPECT_EQ(Describe(small).substr(Describe(small).find("contents")),
            "contents = 0x00e8ff }");
  unsigned char big[30] = {};
  Owned large(xpc_data_create(big, sizeof big));
  std::string text = Describe(large);
  EXPECT_NE(text.find("length = 30 bytes, contents = 0x" + std::string(48, '0') + "... }"),
            std::string::npos)
      << text;
}

// S106: a dictionary prints its header, one tab-indented `"key" => value` line
// per entry, and a closing brace.
TEST(DescriptionConformance, S106DictionaryFormat) {
  Owned d(xpc_dictionary_create_empty());
  xpc_dictionary_set_int64(d, "status", 0);
  xpc_dictionary_set_string(d, "client_id", "57314371");
  EXPECT_EQ(Golden(d),
            "<dictionary: 0xADDR> { count = 2, transaction: 0, voucher = 0xADDR, contents =\n"
            "\t\"client_id\" => <string: 0xADDR> { length = 8, contents = \"57314371\" }\n"
            "\t\"status\" => <int64: 0xADDR>: 0\n"
            "}");
}

// S107, §15: arrays print count and capacity; nested collections indent with
// one more tab and close at their parent entry's indent.
TEST(DescriptionConformance, S107NestedArrayInDictionaryFormat) {
  Owned d(xpc_dictionary_create_empty());
  Owned list(xpc_array_create_empty());
  xpc_array_set_string(list, XPC_ARRAY_APPEND, "/tmp/lala/sand");
  Owned inner(xpc_dictionary_create_empty());
  xpc_dictionary_set_bool(inner, "Bool", false);
  xpc_array_append_value(list, inner);
  xpc_dictionary_set_value(d, "ProgramArguments", list);
  EXPECT_EQ(Golden(d),
            "<dictionary: 0xADDR> { count = 1, transaction: 0, voucher = 0xADDR, contents =\n"
            "\t\"ProgramArguments\" => <array: 0xADDR> { count = 2, capacity = 8, contents =\n"
            "\t\t0: <string: 0xADDR> { length = 14, contents = \"/tmp/lala/sand\" }\n"
            "\t\t1: <dictionary: 0xADDR> { count = 1, transaction: 0, voucher = 0xADDR, "
            "contents =\n"
            "\t\t\t\"Bool\" => <bool: 0xADDR>: false\n"
            "\t\t}\n"
            "\t}\n"
            "}");
}

// S107: capacity grows in powers of two from 8 (42 elements: capacity 64).
TEST(DescriptionConformance, S107ArrayCapacityFollowsSamples) {
  Owned list(xpc_array_create_empty());
  for (int i = 0; i < 42; ++i) xpc_array_set_int64(list, XPC_ARRAY_APPEND, i);
  EXPECT_EQ(Golden(list).substr(0, 55), "<array: 0xADDR> { count = 42, capacity = 64, contents =");
  Owned empty(xpc_array_create_empty());
  EXPECT_EQ(Golden(empty), "<array: 0xADDR> { count = 0, capacity = 8, contents =\n}");
}

// §15: an error singleton prints as an "error" dictionary with its one key.
TEST(DescriptionConformance, S61ErrorFormat) {
  EXPECT_EQ(Golden(XPC_ERROR_CONNECTION_INTERRUPTED),
            "<error: 0xADDR> { count = 1, transaction: 0, voucher = 0xADDR, contents =\n"
            "\t\"XPCErrorDescription\" => <string: 0xADDR> { length = 22, contents = "
            "\"Connection interrupted\" }\n"
            "}");
}

// S110: kinds without a real sample use "<kind: ADDR> { ... }".
TEST(DescriptionConformance, S110UnsampledKindsUseBraceShape) {
  EXPECT_EQ(Golden(xpc_null_create()), "<null: 0xADDR> { }");
  int fd = open("/dev/null", O_RDONLY);
  Owned box(xpc_fd_create(fd));
  close(fd);
  EXPECT_EQ(Golden(box), "<fd: 0xADDR> { type = character device, path = /dev/null }");
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* region = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  Owned shmem(xpc_shmem_create(region, page));
  munmap(region, page);
  EXPECT_EQ(Golden(shmem), "<shmem: 0xADDR> { length = " + std::to_string(page) + " }");
}

// S47: the description is a malloc'd string the caller frees; the address is the object's.
TEST(DescriptionConformance, S47DescriptionNamesTheObjectAddress) {
  Owned s(xpc_string_create("x"));
  char* text = xpc_copy_description(s);
  ASSERT_NE(text, nullptr);
  char expected[64];
  snprintf(expected, sizeof expected, "<string: %p>", s.get());
  EXPECT_EQ(std::string(text).rfind(expected, 0), 0u) << text;
  free(text);
}

}  // namespace
}  // namespace xpctest::conformance
