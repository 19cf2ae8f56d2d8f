// Conformance of the error singletons (S8, S60, S61, P8).
#include <xpc/xpc.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conformance/objects_test_support.h"
#include "xpctest/diagnostics.h"

namespace xpctest::conformance {
namespace {

using ::testing::SizeIs;

// S8: errors report XPC_TYPE_ERROR and are distinct process-lifetime singletons.
TEST(ErrorConformance, S8ErrorsAreTypedErrorSingletons) {
  xpc_object_t errors[] = {XPC_ERROR_CONNECTION_INTERRUPTED, XPC_ERROR_CONNECTION_INVALID,
                           XPC_ERROR_TERMINATION_IMMINENT,
                           XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT};
  for (xpc_object_t error : errors) EXPECT_EQ(xpc_get_type(error), XPC_TYPE_ERROR);
  EXPECT_NE(errors[0], errors[1]);
  EXPECT_NE(errors[1], errors[2]);
  EXPECT_NE(errors[2], errors[3]);
}

// S60, S61, P8: one key, XPC_ERROR_KEY_DESCRIPTION ("XPCErrorDescription"),
// readable with the dictionary getters, holding the observed texts.
TEST(ErrorConformance, S61ErrorsCarryTheObservedDescriptions) {
  EXPECT_STREQ(XPC_ERROR_KEY_DESCRIPTION, "XPCErrorDescription");
  EXPECT_STREQ(xpc_dictionary_get_string(XPC_ERROR_CONNECTION_INTERRUPTED,
                                         XPC_ERROR_KEY_DESCRIPTION),
               "Connection interrupted");
  EXPECT_STREQ(xpc_dictionary_get_string(XPC_ERROR_CONNECTION_INVALID, XPC_ERROR_KEY_DESCRIPTION),
               "Connection invalid");
  EXPECT_STREQ(
      xpc_dictionary_get_string(XPC_ERROR_TERMINATION_IMMINENT, XPC_ERROR_KEY_DESCRIPTION),
      "Termination imminent");
  EXPECT_STREQ(xpc_dictionary_get_string(XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT,
                                         XPC_ERROR_KEY_DESCRIPTION),
               "Peer Forbidden");
  EXPECT_EQ(xpc_dictionary_get_count(XPC_ERROR_CONNECTION_INVALID), 1u);
  EXPECT_EQ(xpc_string_get_length(xpc_dictionary_get_value(XPC_ERROR_CONNECTION_INTERRUPTED,
                                                           XPC_ERROR_KEY_DESCRIPTION)),
            22u);
}

// S7, S8: retain/release do not affect errors; xpc_copy returns the singleton.
TEST(ErrorConformance, S8ErrorsSurviveReleaseAndCopyToThemselves) {
  for (int i = 0; i < 5; ++i) xpc_release(XPC_ERROR_CONNECTION_INVALID);
  EXPECT_EQ(xpc_retain(XPC_ERROR_CONNECTION_INVALID), XPC_ERROR_CONNECTION_INVALID);
  Owned copy(xpc_copy(XPC_ERROR_CONNECTION_INVALID));
  EXPECT_EQ(copy.get(), XPC_ERROR_CONNECTION_INVALID);
  EXPECT_TRUE(xpc_equal(XPC_ERROR_CONNECTION_INVALID, XPC_ERROR_CONNECTION_INVALID));
  EXPECT_FALSE(xpc_equal(XPC_ERROR_CONNECTION_INVALID, XPC_ERROR_CONNECTION_INTERRUPTED));
}

// S8: clients cannot modify errors; trying is reported (P6) and has no effect.
TEST(ErrorConformance, S8ModifyingAnErrorIsReported) {
  MisuseRecorder recorder;
  xpc_dictionary_set_string(XPC_ERROR_CONNECTION_INVALID, XPC_ERROR_KEY_DESCRIPTION, "hacked");
  EXPECT_STREQ(xpc_dictionary_get_string(XPC_ERROR_CONNECTION_INVALID, XPC_ERROR_KEY_DESCRIPTION),
               "Connection invalid");
  ASSERT_THAT(recorder.Reports(), SizeIs(1));
  EXPECT_EQ(recorder.Reports()[0].call, "xpc_dictionary_set_string");
}

// XPC_ACTIVITY_CHECK_IN is a frozen dictionary; the activity keys are data.
TEST(ErrorConformance, ActivityCheckInIsAFrozenDictionary) {
  EXPECT_EQ(xpc_get_type(XPC_ACTIVITY_CHECK_IN), XPC_TYPE_DICTIONARY);
  EXPECT_EQ(xpc_dictionary_get_count(XPC_ACTIVITY_CHECK_IN), 0u);
  MisuseRecorder recorder;
  xpc_dictionary_set_int64(XPC_ACTIVITY_CHECK_IN, XPC_ACTIVITY_INTERVAL,
                           XPC_ACTIVITY_INTERVAL_1_DAY);
  EXPECT_EQ(xpc_dictionary_get_count(XPC_ACTIVITY_CHECK_IN), 0u);
  EXPECT_THAT(recorder.Reports(), SizeIs(1));
  EXPECT_EQ(XPC_ACTIVITY_INTERVAL_1_DAY, 86400);
}

}  // namespace
}  // namespace xpctest::conformance
