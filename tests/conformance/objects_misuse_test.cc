// Reference counting and the misuse reports of the object model (S14–S16,
// S137–S139, P6): each abort-tier report aborts with "XPC API Misuse:" naming
// the call, and the same misuse under a MisuseRecorder continues safely.
#include <xpc/xpc.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "conformance/objects_test_support.h"
#include "objects/object.h"
#include "xpctest/diagnostics.h"

namespace xpctest::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class RefcountConformanceDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// S14, S15: create gives one reference; retain returns its argument and must be balanced.
TEST(RefcountConformance, S15RetainReturnsItsArgumentAndBalances) {
  int64_t before = fakes::objects::LiveObjectCount();
  xpc_object_t value = xpc_string_create("x");
  EXPECT_EQ(fakes::objects::LiveObjectCount(), before + 1);
  EXPECT_EQ(xpc_retain(value), value);
  xpc_release(value);
  EXPECT_STREQ(xpc_string_get_string_ptr(value), "x");
  xpc_release(value);
  EXPECT_EQ(fakes::objects::LiveObjectCount(), before);
}

// S16, S139: one release too many is "Over-release of object.", naming the call
// and describing the object; the extra release then has no effect.
TEST(RefcountConformance, S16OverReleaseIsReported) {
  MisuseRecorder recorder;
  xpc_object_t value = xpc_int64_create(1);
  xpc_release(value);
  xpc_release(value);
  EXPECT_THAT(recorder.Headlines(), ElementsAre("XPC API Misuse: Over-release of object."));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_release");
  EXPECT_THAT(recorder.Reports()[0].object, HasSubstr("<int64: 0x"));
  // S138: the debugger hook returns the last headline.
  EXPECT_STREQ(xpc_debugger_api_misuse_info(), "XPC API Misuse: Over-release of object.");
}

// S16: without a recorder, over-release aborts.
TEST_F(RefcountConformanceDeathTest, S16OverReleaseAborts) {
  EXPECT_DEATH(
      {
        xpc_object_t value = xpc_int64_create(1);
        xpc_release(value);
        xpc_release(value);
      },
      "XPC API Misuse: Over-release of object\\.(.|\n)*in call: xpc_release");
}

// S16: the over-release is also caught when the dead object is in a collection
// call; a late use of a released object is reported, not undefined.
TEST(RefcountConformance, S16LateUseOfReleasedObjectIsReported) {
  MisuseRecorder recorder;
  xpc_object_t value = xpc_string_create("gone");
  xpc_release(value);
  EXPECT_EQ(xpc_string_get_string_ptr(value), nullptr);
  Owned array(xpc_array_create_empty());
  xpc_array_append_value(array, value);
  EXPECT_EQ(xpc_array_get_count(array), 0u);
  ASSERT_EQ(recorder.Reports().size(), 2u);
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_string_get_string_ptr");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_array_append_value");
}

// S139: a pointer that is no XPC object is "Object is not an XPC object".
TEST(RefcountConformance, S139ForeignPointerIsNotAnXpcObject) {
  MisuseRecorder recorder;
  alignas(16) char buffer[64] = {};
  EXPECT_EQ(xpc_get_type(buffer), nullptr);
  xpc_release(buffer);
  EXPECT_THAT(recorder.Headlines(), ElementsAre("XPC API Misuse: Object is not an XPC object",
                                                "XPC API Misuse: Object is not an XPC object"));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_get_type");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_release");
}

TEST_F(RefcountConformanceDeathTest, S139ForeignPointerAborts) {
  EXPECT_DEATH(
      {
        alignas(16) static char buffer[64] = {};
        (void)xpc_retain(buffer);
      },
      "XPC API Misuse: Object is not an XPC object(.|\n)*in call: xpc_retain");
}

// P6: a wrong-kind handle passed to a typed non-getter call is misuse; the call has no effect.
TEST(RefcountConformance, P6WrongKindToTypedCallIsReported) {
  MisuseRecorder recorder;
  Owned dictionary(xpc_dictionary_create_empty());
  Owned number(xpc_int64_create(1));
  xpc_array_append_value(dictionary, number);
  xpc_dictionary_set_int64(number, "k", 1);
  EXPECT_FALSE(xpc_array_apply(number, ^bool(size_t, xpc_object_t) { return true; }));
  EXPECT_EQ(xpc_dictionary_get_count(dictionary), 0u);
  ASSERT_EQ(recorder.Reports().size(), 3u);
  EXPECT_EQ(recorder.Reports()[0].headline,
            "XPC API Misuse: Object of type dictionary passed where array is required.");
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_array_append_value");
  EXPECT_EQ(recorder.Reports()[1].call, "xpc_dictionary_set_int64");
  EXPECT_EQ(recorder.Reports()[2].call, "xpc_array_apply");
}

// S12: xpc_fd_dup and xpc_shmem_map are getters. Their header documents the
// default for another kind (-1; 0 with a NULL region), so they return it and
// report nothing, as every other getter does.
TEST(RefcountConformance, S12FdDupAndShmemMapOfAnotherKindReturnTheirDefaults) {
  MisuseRecorder recorder;
  Owned number(xpc_int64_create(1));
  EXPECT_EQ(xpc_fd_dup(number), -1);
  void* region = reinterpret_cast<void*>(1);
  EXPECT_EQ(xpc_shmem_map(number, &region), 0u);
  EXPECT_EQ(region, nullptr);
  EXPECT_TRUE(recorder.Reports().empty());
}

// A released data or string object lets go of its contents at once; only its
// small shell stays in quarantine, so a late use within the detection window
// is still reported (docs/architecture.md, "Released objects").
TEST(RefcountConformance, ReleasedDataAndStringsDropTheirContentsButLateUseIsReported) {
  MisuseRecorder recorder;
  constexpr size_t kSize = 8 << 20;
  std::string bytes(kSize, 'x');
  int64_t before = HeapBytesInUse();
  xpc_object_t data = xpc_data_create(bytes.data(), bytes.size());
  xpc_object_t string = xpc_string_create(bytes.c_str());
  EXPECT_GE(HeapBytesInUse() - before, static_cast<int64_t>(2 * kSize));
  xpc_release(data);
  xpc_release(string);
  EXPECT_LT(HeapBytesInUse() - before, static_cast<int64_t>(kSize / 8))
      << "the released contents are still held";
  EXPECT_EQ(xpc_data_get_length(data), 0u);
  EXPECT_EQ(xpc_string_get_string_ptr(string), nullptr);
  EXPECT_THAT(recorder.Headlines(),
              ElementsAre("XPC API Misuse: Use of an object after its last release.",
                          "XPC API Misuse: Use of an object after its last release."));
  EXPECT_THAT(recorder.Reports()[0].object, HasSubstr("<data: 0x"));
}

TEST_F(RefcountConformanceDeathTest, P6WrongKindToTypedCallAborts) {
  EXPECT_DEATH(
      {
        xpc_object_t number = xpc_int64_create(1);
        xpc_dictionary_set_int64(number, "k", 1);
      },
      "XPC API Misuse: Object of type int64 passed where dictionary is "
      "required(.|\n)*in call: xpc_dictionary_set_int64");
}

// NULL where Apple requires non-NULL is misuse naming the call; the call then
// returns its default.
TEST(RefcountConformance, NullArgumentsAreReported) {
  MisuseRecorder recorder;
  EXPECT_EQ(xpc_retain(nullptr), nullptr);
  xpc_release(nullptr);
  EXPECT_EQ(xpc_copy(nullptr), nullptr);
  EXPECT_FALSE(xpc_equal(nullptr, XPC_BOOL_TRUE));
  EXPECT_EQ(xpc_string_create(nullptr), nullptr);
  EXPECT_EQ(xpc_int64_get_value(nullptr), 0);
  ASSERT_EQ(recorder.Reports().size(), 6u);
  EXPECT_EQ(recorder.Reports()[0].headline, "XPC API Misuse: NULL object passed to xpc_retain.");
  EXPECT_EQ(recorder.Reports()[4].headline,
            "XPC API Misuse: NULL string passed to xpc_string_create.");
  EXPECT_EQ(recorder.Reports()[5].call, "xpc_int64_get_value");
}

TEST_F(RefcountConformanceDeathTest, NullArgumentAborts) {
  EXPECT_DEATH(xpc_release(nullptr), "XPC API Misuse: NULL object passed to xpc_release");
}

// S137: without a sink a misuse report is fatal; with one, every call above
// returned. The debugger hook is NULL-safe to read at any time (S138).
TEST(RefcountConformance, S138DebuggerHookReturnsTheLastHeadline) {
  MisuseRecorder recorder;
  Owned array(xpc_array_create_empty());
  (void)xpc_array_get_value(array, 7);
  const char* info = xpc_debugger_api_misuse_info();
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(std::strncmp(info, "XPC API Misuse: ", 16), 0);
}

}  // namespace
}  // namespace xpctest::conformance
