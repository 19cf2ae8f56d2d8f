// xpctest::gtest_main: GoogleTest's main plus the --xpctest_* flags.
#include <gmock/gmock.h>

#include "xpctest/options.h"

int main(int argc, char** argv) {
  xpctest::ParseFlags(&argc, argv);
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
