// xpctest::gtest_main: GoogleTest's main plus the --xpctest_* flags (and seed
// exploration, --xpctest_explore=N).
#include <gmock/gmock.h>

#include "xpctest/options.h"

int main(int argc, char** argv) {
  xpctest::ParseFlags(&argc, argv);
  ::testing::InitGoogleMock(&argc, argv);
  xpctest::InstallSeedExplorer();  // --xpctest_explore=N: N seeds, one per gtest iteration
  return RUN_ALL_TESTS();
}
