// The drop-in headers work from C11 with blocks (objects_c_api.c).
#include <gtest/gtest.h>

extern "C" {
int xpctest_c_dictionary_apply_sums_values(void);
int xpctest_c_array_round_trip(void);
int xpctest_c_copy_equal_description(void);
}

namespace xpctest::conformance {
namespace {

// S31: xpc_dictionary_apply with a C block visits every entry.
TEST(CHeaderConformance, S31DictionaryApplyWorksFromC) {
  EXPECT_EQ(xpctest_c_dictionary_apply_sums_values(), 1);
}

// S24, S25, S31: arrays built and applied from C.
TEST(CHeaderConformance, S25ArrayRoundTripWorksFromC) { EXPECT_EQ(xpctest_c_array_round_trip(), 1); }

// S44–S47, S8: copy, equality, hash, description and errors from C.
TEST(CHeaderConformance, S44CopyEqualAndDescriptionWorkFromC) {
  EXPECT_EQ(xpctest_c_copy_equal_description(), 1);
}

}  // namespace
}  // namespace xpctest::conformance
