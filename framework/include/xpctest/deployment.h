// xpctest/deployment.h — testing a service as it is deployed: its launchd
// plist, its XPC service Info.plist, its app's entitlements, its activities
// (docs/launchd-and-sandbox.md).
//
//   class HelperTest : public xpctest::Test {};
//
//   TEST_F(HelperTest, TheAppReachesItsHelper) {
//     ASSERT_THAT(world().LoadLaunchdPlist("com.example.helper.plist", helper_main),
//                 xpctest::Loaded());
//     control::Process app = world().Spawn(
//         "app", xpctest::SignedWithEntitlements("com.example.app", "App.entitlements"));
//     ...
//   }
//
// Loaded() explains a refused plist with the loader's error (file and key);
// RefusedToLoad(m) matches the error text of a plist that must be refused.
#ifndef XPCTEST_DEPLOYMENT_H
#define XPCTEST_DEPLOYMENT_H

#include <gmock/gmock.h>
#include <xpctest/control.h>
#include <xpctest/identity.h>

#include <ostream>
#include <string>

namespace xpctest {

// Matches a PlistLoad that succeeded; a failure shows the loader's error.
::testing::Matcher<const control::PlistLoad&> Loaded();
// Matches a PlistLoad that was refused with an error matching `error`.
::testing::Matcher<const control::PlistLoad&> RefusedToLoad(
    ::testing::Matcher<const std::string&> error);

// A simulated process identity signed as `signing_identifier` with the
// entitlements of a real .entitlements plist (XML or binary). A file that
// cannot be read fails the test (with the error naming file and key).
Identity SignedWithEntitlements(const std::string& signing_identifier,
                                const std::string& entitlements_path,
                                const std::string& team_identifier = "");

using control::ActivityStateName;

namespace control {
// Prints a load as "loaded com.example.helper" or "refused: <error>".
void PrintTo(const PlistLoad& load, std::ostream* os);
}  // namespace control

}  // namespace xpctest

#endif  // XPCTEST_DEPLOYMENT_H
