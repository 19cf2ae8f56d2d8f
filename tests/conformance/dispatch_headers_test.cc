// The drop-in <dispatch/dispatch.h> as Apple's is used, compiled as C11
// (dispatch_headers_c.c) and as C++ (dispatch_headers_cxx.cc), each file
// including nothing else: it includes what Apple's umbrella header includes,
// defines DISPATCH_API_VERSION, and offers the type-generic dispatch_wait /
// dispatch_notify / dispatch_cancel / dispatch_testcancel (C11 _Generic in C,
// overloads in C++).
#include "dispatch_test_support.h"

extern "C" {
int xpctest_c_dispatch_header_brings_in_libc(void);
int xpctest_c_dispatch_generic_calls_pick_by_type(void);
int xpctest_cxx_dispatch_header_brings_in_libc(void);
int xpctest_cxx_dispatch_generic_calls_pick_by_type(void);
}

namespace xpctest::testing {
namespace {

// A fresh environment per test (and per executor): nothing a test leaves in
// flight outlives it.
class DispatchHeaders : public DispatchFixture {};

TEST_P(DispatchHeaders, UmbrellaHeaderBringsInWhatApplesDoesInC) {
  EXPECT_EQ(xpctest_c_dispatch_header_brings_in_libc(), 1);
}

TEST_P(DispatchHeaders, GenericCallsPickTheFunctionForTheTypeInC) {
  EXPECT_EQ(xpctest_c_dispatch_generic_calls_pick_by_type(), 1);
}

TEST_P(DispatchHeaders, UmbrellaHeaderBringsInWhatApplesDoesInCxx) {
  EXPECT_EQ(xpctest_cxx_dispatch_header_brings_in_libc(), 1);
}

TEST_P(DispatchHeaders, GenericCallsPickTheFunctionForTheTypeInCxx) {
  EXPECT_EQ(xpctest_cxx_dispatch_generic_calls_pick_by_type(), 1);
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchHeaders, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

}  // namespace
}  // namespace xpctest::testing
