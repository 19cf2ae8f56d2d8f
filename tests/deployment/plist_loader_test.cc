// The plist loader: launchd job plists (launchd.plist(5)), XPC service
// Info.plists (xpcservice.plist(5)) and entitlements, XML and binary, read by
// libplist; every bad key is refused with an error naming the file and key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xpc/activity.h>

#include <string>
#include <tuple>

#include "deployment/plist_files.h"
#include "runtime/launchd_plist.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using fakes::runtime::LaunchdJobSpec;
using fakes::runtime::ReadLaunchdJob;
using fakes::runtime::ReadXpcServiceBundle;
using fakes::runtime::XpcServiceBundleSpec;

// A helper daemon's plist, written the way Xcode projects ship them.
const char* const kHelperJob = R"(
  <key>Label</key><string>com.example.helper</string>
  <key>ProgramArguments</key>
  <array>
    <string>/Library/PrivilegedHelperTools/com.example.helper</string>
    <string>--verbose</string>
  </array>
  <key>MachServices</key>
  <dict>
    <key>com.example.helper</key><true/>
    <key>com.example.helper.status</key><dict><key>HideUntilCheckIn</key><false/></dict>
    <key>com.example.helper.retired</key><false/>
  </dict>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
  <key>EnableTransactions</key><true/>
  <key>ProcessType</key><string>Adaptive</string>
  <key>ThrottleInterval</key><integer>5</integer>
  <key>UserName</key><string>root</string>
  <key>GroupName</key><string>wheel</string>
  <key>LaunchEvents</key>
  <dict>
    <key>com.apple.notifyd.matching</key>
    <dict>
      <key>com.example.prefs-changed</key>
      <dict><key>Notification</key><string>com.example.prefs</string></dict>
    </dict>
    <key>com.apple.xpc.activity</key>
    <dict>
      <key>com.example.helper.cleanup</key>
      <dict>
        <key>Interval</key><integer>3600</integer>
        <key>Priority</key><string>Maintenance</string>
      </dict>
    </dict>
  </dict>
)";

void ExpectTheHelperJob(const LaunchdJobSpec& job) {
  EXPECT_EQ(job.label, "com.example.helper");
  EXPECT_THAT(job.mach_services, ElementsAre("com.example.helper", "com.example.helper.status"))
      << "a name set to false is not advertised (launchd.plist(5))";
  EXPECT_EQ(job.program, "/Library/PrivilegedHelperTools/com.example.helper");
  EXPECT_THAT(job.arguments,
              ElementsAre("/Library/PrivilegedHelperTools/com.example.helper", "--verbose"));
  EXPECT_TRUE(job.run_at_load) << "KeepAlive implies RunAtLoad";
  EXPECT_FALSE(job.keep_alive.always);
  EXPECT_EQ(job.keep_alive.successful_exit, false);
  EXPECT_FALSE(job.keep_alive.crashed.has_value());
  EXPECT_TRUE(job.enable_transactions);
  EXPECT_EQ(job.process_type, "Adaptive");
  EXPECT_EQ(job.throttle_interval_seconds, 5);
  EXPECT_EQ(job.user_name, "root");
  EXPECT_EQ(job.group_name, "wheel");
  ASSERT_EQ(job.launch_events.size(), 2u);
  EXPECT_EQ(job.launch_events[0].stream, "com.apple.notifyd.matching");
  EXPECT_EQ(job.launch_events[0].name, "com.example.prefs-changed");
  EXPECT_STREQ(xpc_dictionary_get_string(job.launch_events[0].descriptor.get(), "Notification"),
               "com.example.prefs");
  EXPECT_EQ(job.launch_events[1].stream, "com.apple.xpc.activity");
  EXPECT_EQ(xpc_dictionary_get_int64(job.launch_events[1].descriptor.get(),
                                     XPC_ACTIVITY_INTERVAL),
            3600);
}

class PlistLoaderTest : public xpctest::Test {
 protected:
  PlistFiles files_;
};

TEST_F(PlistLoaderTest, ReadsAnXmlLaunchdJobPlist) {
  std::string error;
  std::optional<LaunchdJobSpec> job =
      ReadLaunchdJob(files_.Xml("com.example.helper.plist", kHelperJob), &error);
  ASSERT_TRUE(job) << error;
  ExpectTheHelperJob(*job);
}

TEST_F(PlistLoaderTest, ReadsTheSameJobFromABinaryPlist) {
  std::string error;
  std::optional<LaunchdJobSpec> job =
      ReadLaunchdJob(files_.Binary("com.example.helper.plist", kHelperJob), &error);
  ASSERT_TRUE(job) << error;
  ExpectTheHelperJob(*job);
}

TEST_F(PlistLoaderTest, ProgramAloneIsTheWholeArgv) {
  std::string error;
  std::optional<LaunchdJobSpec> job = ReadLaunchdJob(
      files_.Xml("a.plist", "<key>Label</key><string>a</string>"
                            "<key>Program</key><string>/usr/local/libexec/a</string>"
                            "<key>EnablePressuredExit</key><true/>"),
      &error);
  ASSERT_TRUE(job) << error;
  EXPECT_THAT(job->arguments, ElementsAre("/usr/local/libexec/a"));
  EXPECT_FALSE(job->run_at_load);
  EXPECT_FALSE(job->keep_alive.enabled());
  EXPECT_TRUE(job->enable_transactions) << "EnablePressuredExit implies EnableTransactions";
  EXPECT_EQ(job->throttle_interval_seconds, 10) << "launchd.plist(5)'s default";
}

TEST_F(PlistLoaderTest, ReadsAnXpcServiceInfoPlist) {
  std::string error;
  std::optional<XpcServiceBundleSpec> bundle = ReadXpcServiceBundle(
      files_.Binary("Info.plist", R"(
        <key>CFBundleIdentifier</key><string>com.example.app.renderer</string>
        <key>CFBundleExecutable</key><string>Renderer</string>
        <key>CFBundlePackageType</key><string>XPC!</string>
        <key>XPCService</key>
        <dict>
          <key>ServiceType</key><string>Application</string>
          <key>RunLoopType</key><string>NSRunLoop</string>
          <key>JoinExistingSession</key><true/>
          <key>EnvironmentVariables</key><dict><key>MODE</key><string>fast</string></dict>
        </dict>)"),
      &error);
  ASSERT_TRUE(bundle) << error;
  EXPECT_EQ(bundle->name, "com.example.app.renderer") << "CFBundleIdentifier names the service";
  EXPECT_EQ(bundle->executable, "Renderer");
  EXPECT_EQ(bundle->service_type, "Application");
  EXPECT_EQ(bundle->run_loop_type, "NSRunLoop");
  EXPECT_TRUE(bundle->join_existing_session);
  EXPECT_EQ(bundle->environment.at("MODE"), "fast");
}

TEST_F(PlistLoaderTest, AnXpcServiceDefaultsToAnApplicationServiceOnDispatchMain) {
  std::string error;
  std::optional<XpcServiceBundleSpec> bundle = ReadXpcServiceBundle(
      files_.Xml("Info.plist", "<key>CFBundleIdentifier</key><string>com.example.s</string>"
                               "<key>CFBundlePackageType</key><string>XPC!</string>"
                               "<key>XPCService</key><dict/>"),
      &error);
  ASSERT_TRUE(bundle) << error;
  EXPECT_EQ(bundle->service_type, "Application") << "xpcservice.plist(5)";
  EXPECT_EQ(bundle->run_loop_type, "dispatch_main") << "xpcservice.plist(5)";
  EXPECT_FALSE(bundle->join_existing_session);
}

TEST_F(PlistLoaderTest, ReadsAnAppsEntitlements) {
  Identity app = SignedWithEntitlements("com.example.app", files_.Binary("App.entitlements", R"(
      <key>com.apple.security.app-sandbox</key><true/>
      <key>com.apple.security.application-groups</key>
      <array><string>ABCDE12345.com.example</string></array>
      <key>com.apple.security.temporary-exception.mach-lookup.global-name</key>
      <string>com.example.daemon</string>
      <key>com.example.level</key><integer>3</integer>)"));
  EXPECT_EQ(app.code_signing.entitlements.at("com.apple.security.app-sandbox"), "true");
  EXPECT_THAT(app.code_signing.entitlement_lists.at("com.apple.security.application-groups"),
              ElementsAre("ABCDE12345.com.example"));
  EXPECT_EQ(app.code_signing.entitlements.at(
                "com.apple.security.temporary-exception.mach-lookup.global-name"),
            "com.example.daemon");
  EXPECT_EQ(app.code_signing.entitlements.at("com.example.level"), "3");
}

TEST_F(PlistLoaderTest, AFileThatIsNotAPlistIsRefusedByName) {
  EXPECT_THAT(world().LoadLaunchdPlist(files_.Raw("junk.plist", "#!/bin/sh\necho hi\n"), nullptr),
              RefusedToLoad(HasSubstr("junk.plist: not a property list")));
  EXPECT_THAT(world().LoadLaunchdPlist("/nonexistent/com.example.plist", nullptr),
              RefusedToLoad(HasSubstr("/nonexistent/com.example.plist: cannot be read")));
}

TEST_F(PlistLoaderTest, ABadEntitlementsValueIsNamed) {
  CodeSigningIdentity identity;
  std::string error = control::LoadEntitlements(
      files_.Xml("App.entitlements", "<key>com.example.odd</key><dict/>"), &identity);
  EXPECT_THAT(error, HasSubstr("App.entitlements: key \"com.example.odd\": expected a boolean, "
                               "a string, an integer or an array of strings, found a dictionary"));
}

// One bad key each: the plist's entries and the error that must name it.
struct BadPlist {
  const char* what;
  const char* entries;
  const char* error;
};

void PrintTo(const BadPlist& bad, std::ostream* os) { *os << bad.what; }

const char* const kGoodStart =
    "<key>Label</key><string>com.example.job</string>"
    "<key>Program</key><string>/usr/libexec/job</string>";

class BadLaunchdPlistTest : public xpctest::Test,
                            public ::testing::WithParamInterface<BadPlist> {
 protected:
  PlistFiles files_;
};

TEST_P(BadLaunchdPlistTest, IsRefusedWithAnErrorNamingTheFileAndKey) {
  const BadPlist& bad = GetParam();
  std::string entries = bad.entries;
  size_t start = entries.find("$GOOD");
  if (start != std::string::npos) entries.replace(start, 5, kGoodStart);
  for (bool binary : {false, true}) {
    std::string path = binary ? files_.Binary("job.plist", entries) : files_.Xml("job.plist", entries);
    EXPECT_THAT(world().LoadLaunchdPlist(path, nullptr),
                RefusedToLoad(HasSubstr(std::string("job.plist: ") + bad.error)))
        << (binary ? "binary" : "XML") << " plist, " << bad.what;
  }
}

INSTANTIATE_TEST_SUITE_P(
    EachKey, BadLaunchdPlistTest,
    ::testing::Values(
        BadPlist{"no Label", "<key>Program</key><string>/bin/x</string>",
                 "key \"Label\": is required"},
        BadPlist{"Label not a string", "<key>Label</key><integer>7</integer>",
                 "key \"Label\": expected a string, found an integer"},
        BadPlist{"no program", "<key>Label</key><string>a</string>",
                 "the top level: needs Program or ProgramArguments"},
        BadPlist{"relative Program",
                 "<key>Label</key><string>a</string><key>Program</key><string>bin/x</string>",
                 "key \"Program\": \"bin/x\" is not an absolute path"},
        BadPlist{"ProgramArguments with a number",
                 "<key>Label</key><string>a</string><key>ProgramArguments</key>"
                 "<array><string>/bin/x</string><integer>1</integer></array>",
                 "key \"ProgramArguments\" > \"[1]\": expected a string, found an integer"},
        BadPlist{"MachServices as an array",
                 "$GOOD<key>MachServices</key><array><string>com.example.job</string></array>",
                 "key \"MachServices\": expected a dictionary, found an array"},
        BadPlist{"a MachServices entry as a string",
                 "$GOOD<key>MachServices</key><dict><key>com.example.job</key>"
                 "<string>yes</string></dict>",
                 "key \"MachServices\" > \"com.example.job\": expected true or a dictionary, "
                 "found a string"},
        BadPlist{"RunAtLoad as a string", "$GOOD<key>RunAtLoad</key><string>YES</string>",
                 "key \"RunAtLoad\": expected a boolean, found a string"},
        BadPlist{"KeepAlive as a number", "$GOOD<key>KeepAlive</key><integer>1</integer>",
                 "key \"KeepAlive\": expected a boolean or a dictionary, found an integer"},
        BadPlist{"SuccessfulExit as a string",
                 "$GOOD<key>KeepAlive</key><dict><key>SuccessfulExit</key>"
                 "<string>no</string></dict>",
                 "key \"KeepAlive\" > \"SuccessfulExit\": expected a boolean, found a string"},
        BadPlist{"EnableTransactions as a number",
                 "$GOOD<key>EnableTransactions</key><integer>1</integer>",
                 "key \"EnableTransactions\": expected a boolean, found an integer"},
        BadPlist{"an unknown ProcessType", "$GOOD<key>ProcessType</key><string>Turbo</string>",
                 "key \"ProcessType\": \"Turbo\" is not one of Background, Standard, Adaptive, "
                 "Interactive"},
        BadPlist{"a negative ThrottleInterval",
                 "$GOOD<key>ThrottleInterval</key><integer>-1</integer>",
                 "key \"ThrottleInterval\": must not be negative"},
        BadPlist{"UserName as a number", "$GOOD<key>UserName</key><integer>0</integer>",
                 "key \"UserName\": expected a string, found an integer"},
        BadPlist{"a LaunchEvents stream as an array",
                 "$GOOD<key>LaunchEvents</key><dict><key>com.apple.notifyd.matching</key>"
                 "<array/></dict>",
                 "key \"LaunchEvents\" > \"com.apple.notifyd.matching\": expected a dictionary, "
                 "found an array"},
        BadPlist{"an activity Interval as a string",
                 "$GOOD<key>LaunchEvents</key><dict><key>com.apple.xpc.activity</key><dict>"
                 "<key>com.example.sync</key><dict><key>Interval</key><string>hourly</string>"
                 "</dict></dict></dict>",
                 "key \"LaunchEvents\" > \"com.apple.xpc.activity\" > \"com.example.sync\" > "
                 "\"Interval\": expected int64, found string"},
        BadPlist{"an activity Priority that does not exist",
                 "$GOOD<key>LaunchEvents</key><dict><key>com.apple.xpc.activity</key><dict>"
                 "<key>com.example.sync</key><dict><key>Priority</key><string>Urgent</string>"
                 "</dict></dict></dict>",
                 "key \"LaunchEvents\" > \"com.apple.xpc.activity\" > \"com.example.sync\" > "
                 "\"Priority\": \"Urgent\" is not Maintenance or Utility"},
        BadPlist{"a disabled job", "$GOOD<key>Disabled</key><true/>",
                 "key \"Disabled\": is true: launchd does not load a disabled job"}));

class BadXpcServicePlistTest : public xpctest::Test,
                               public ::testing::WithParamInterface<BadPlist> {
 protected:
  PlistFiles files_;
};

TEST_P(BadXpcServicePlistTest, IsRefusedWithAnErrorNamingTheFileAndKey) {
  const BadPlist& bad = GetParam();
  for (bool binary : {false, true}) {
    std::string path =
        binary ? files_.Binary("Info.plist", bad.entries) : files_.Xml("Info.plist", bad.entries);
    EXPECT_THAT(world().LoadXpcServiceBundle(path, nullptr),
                RefusedToLoad(HasSubstr(std::string("Info.plist: ") + bad.error)))
        << (binary ? "binary" : "XML") << " plist, " << bad.what;
  }
}

INSTANTIATE_TEST_SUITE_P(
    EachKey, BadXpcServicePlistTest,
    ::testing::Values(
        BadPlist{"no CFBundleIdentifier",
                 "<key>CFBundlePackageType</key><string>XPC!</string>"
                 "<key>XPCService</key><dict/>",
                 "key \"CFBundleIdentifier\": is required"},
        BadPlist{"an app's package type",
                 "<key>CFBundleIdentifier</key><string>com.example.s</string>"
                 "<key>CFBundlePackageType</key><string>APPL</string>"
                 "<key>XPCService</key><dict/>",
                 "key \"CFBundlePackageType\": is \"APPL\"; an XPC service bundle's is \"XPC!\""},
        BadPlist{"no XPCService dictionary",
                 "<key>CFBundleIdentifier</key><string>com.example.s</string>"
                 "<key>CFBundlePackageType</key><string>XPC!</string>",
                 "key \"XPCService\": is required"},
        BadPlist{"an unknown ServiceType",
                 "<key>CFBundleIdentifier</key><string>com.example.s</string>"
                 "<key>CFBundlePackageType</key><string>XPC!</string>"
                 "<key>XPCService</key><dict><key>ServiceType</key><string>Daemon</string></dict>",
                 "key \"XPCService\" > \"ServiceType\": \"Daemon\" is not one of Application, "
                 "User, System"},
        BadPlist{"JoinExistingSession as a string",
                 "<key>CFBundleIdentifier</key><string>com.example.s</string>"
                 "<key>CFBundlePackageType</key><string>XPC!</string>"
                 "<key>XPCService</key><dict><key>JoinExistingSession</key>"
                 "<string>YES</string></dict>",
                 "key \"XPCService\" > \"JoinExistingSession\": expected a boolean, found a "
                 "string"}));

}  // namespace
}  // namespace xpctest::testing
