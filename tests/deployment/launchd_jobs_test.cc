// launchd acting on a job's real plist: MachServices (P1 from the file, S89),
// launch on demand with ProgramArguments, RunAtLoad, KeepAlive and its
// throttle, UserName/GroupName, idle exit with transactions (S113),
// LaunchEvents (S114), unloading (S65); and XPC service bundles.
#include <gmock/gmock.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "deployment/plist_files.h"
#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using std::chrono::seconds;

std::mutex g_mutex;
std::vector<std::string> g_argv;
std::atomic<int> g_status{0};
std::vector<std::string> g_events;

// The helper, written as on macOS: checks in for its Mach name and parks.
int HelperMain(int argc, char** argv) {
  {
    std::lock_guard lock(g_mutex);
    g_argv.assign(argv, argv + argc);
  }
  ListenAsAdder("com.example.helper");
  dispatch_main();
}

// The same helper with a typo in its Mach name: the plist says otherwise.
int TypoHelperMain(int argc, char** argv) {
  ListenAsAdder("com.example.helpr");
  dispatch_main();
}

// A job that does its work and exits with g_status.
int OneShotMain(int argc, char** argv) { return g_status.load(); }

// A helper that also listens for a launchd notification event (S114).
int EventHelperMain(int argc, char** argv) {
  xpc_set_event_stream_handler("com.apple.notifyd.matching", nullptr, ^(xpc_object_t event) {
    std::lock_guard lock(g_mutex);
    g_events.push_back(xpc_dictionary_get_string(event, XPC_EVENT_KEY_NAME));
  });
  ListenAsAdder("com.example.helper");
  dispatch_main();
}

void AdderPeer(xpc_connection_t peer) { AdderHandlePeer(peer); }
int AdderXpcServiceMain(int argc, char** argv) { xpc_main(AdderPeer); }

const char* const kHelperJob = R"(
  <key>Label</key><string>com.example.helper</string>
  <key>ProgramArguments</key>
  <array><string>/Library/PrivilegedHelperTools/com.example.helper</string>
         <string>--serve</string></array>
  <key>MachServices</key><dict><key>com.example.helper</key><true/></dict>)";

class LaunchdJobTest : public xpctest::Test {
 protected:
  LaunchdJobTest() {
    std::lock_guard lock(g_mutex);
    g_argv.clear();
    g_events.clear();
    g_status = 0;
  }

  std::string Job(const std::string& extra_entries) {
    return files_.Xml("com.example.helper.plist", std::string(kHelperJob) + extra_entries);
  }
  bool TraceSays(const std::string& text) const {
    for (const TraceEntry& entry : const_cast<LaunchdJobTest*>(this)->world().Trace()) {
      if (entry.text.find(text) != std::string::npos) return true;
    }
    return false;
  }
  static std::string InvalidationReason(const Client& client) {
    char* reason = xpc_connection_copy_invalidation_reason(client.connection());
    std::string text = reason != nullptr ? reason : "";
    free(reason);
    return text;
  }

  PlistFiles files_;
};

TEST_F(LaunchdJobTest, AJobIsLaunchedByItsMachServiceWithItsProgramArguments) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job(""), HelperMain), Loaded());
  EXPECT_EQ(world().JobLaunches("com.example.helper"), 0) << "launched on demand only";
  Client client = ConnectTo("com.example.helper");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 3}}), HasInt64("sum", 5));
  EXPECT_EQ(world().JobLaunches("com.example.helper"), 1);
  std::lock_guard lock(g_mutex);
  EXPECT_THAT(g_argv,
              ElementsAre("/Library/PrivilegedHelperTools/com.example.helper", "--serve"));
}

TEST_F(LaunchdJobTest, AJobWorksFromABinaryPlistToo) {
  ASSERT_THAT(world().LoadLaunchdPlist(files_.Binary("com.example.helper.plist", kHelperJob),
                                       HelperMain),
              Loaded());
  Client client = ConnectTo("com.example.helper");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 1}}), HasInt64("sum", 2));
}

// S89, P1 from the file: the code's Mach name must be one of the plist's MachServices.
TEST_F(LaunchdJobTest, S89AMachNameInCodeThatIsNotInThePlistFailsItsCheckIn) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job(""), TypoHelperMain), Loaded());
  Client client = ConnectTo("com.example.helper");
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  EXPECT_TRUE(TraceSays("check-in refused: \"com.example.helpr\" is not in the MachServices of "
                        "the launchd job com.example.helper"))
      << world().TraceTail(20);
  EXPECT_TRUE(TraceSays("the launchd job com.example.helper was launched for "
                        "\"com.example.helper\" but did not check in for it"))
      << world().TraceTail(20);
}

TEST_F(LaunchdJobTest, P1AnotherProcessMayNotClaimAJobsName) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job(""), HelperMain), Loaded());
  control::Process impostor = world().Spawn("impostor");
  xpc_connection_t listener;
  {
    control::ScopedProcess as(impostor);
    listener = xpc_connection_create_mach_service("com.example.helper", nullptr,
                                                  XPC_CONNECTION_MACH_SERVICE_LISTENER);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t) {});
    xpc_connection_activate(listener);
  }
  RunUntilIdle();
  char* reason = xpc_connection_copy_invalidation_reason(listener);
  ASSERT_NE(reason, nullptr) << "the listener should have been invalidated";
  EXPECT_THAT(reason, HasSubstr("\"com.example.helper\" is advertised by the launchd job "
                                "com.example.helper, not by this process"));
  free(reason);
  xpc_release(listener);
}

TEST_F(LaunchdJobTest, TwoJobsMayNotAdvertiseTheSameName) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job(""), HelperMain), Loaded());
  std::string other = files_.Xml("com.example.other.plist", R"(
      <key>Label</key><string>com.example.other</string>
      <key>Program</key><string>/usr/libexec/other</string>
      <key>MachServices</key><dict><key>com.example.helper</key><true/></dict>)");
  EXPECT_THAT(world().LoadLaunchdPlist(other, HelperMain),
              RefusedToLoad(HasSubstr("com.example.other.plist: key \"MachServices\" > "
                                      "\"com.example.helper\": already advertised by the loaded "
                                      "job com.example.helper")));
}

TEST_F(LaunchdJobTest, RunAtLoadLaunchesTheJobWhenItIsLoaded) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job("<key>RunAtLoad</key><true/>"), HelperMain), Loaded());
  EXPECT_EQ(world().JobLaunches("com.example.helper"), 1);
  EXPECT_TRUE(world().JobProcess("com.example.helper").alive());
}

TEST_F(LaunchdJobTest, KeepAliveRelaunchesACrashedJobNoSoonerThanItsThrottleInterval) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job("<key>KeepAlive</key><true/>"
                                           "<key>ThrottleInterval</key><integer>2</integer>"),
                                       HelperMain),
              Loaded());
  control::Process first = world().JobProcess("com.example.helper");
  ASSERT_TRUE(first) << "KeepAlive implies RunAtLoad";
  first.Crash();
  if (world().options().executor == control::ExecutorKind::kDeterministic) {
    RunFor(std::chrono::milliseconds(1999));
    EXPECT_EQ(world().JobLaunches("com.example.helper"), 1) << "throttled for 2 s";
  }
  EXPECT_TRUE(RunUntil([&] { return world().JobLaunches("com.example.helper") == 2; }));
  EXPECT_NE(world().JobProcess("com.example.helper").pid(), first.pid());
}

TEST_F(LaunchdJobTest, KeepAliveSuccessfulExitFalseRelaunchesOnlyAfterAFailure) {
  ASSERT_THAT(world().LoadLaunchdPlist(
                  Job("<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>"
                      "<key>ThrottleInterval</key><integer>0</integer>"),
                  OneShotMain),
              Loaded());
  // RunAtLoad (implied): main returned 0, a successful exit, so no relaunch.
  RunUntilIdle();
  EXPECT_EQ(world().JobLaunches("com.example.helper"), 1);
  EXPECT_TRUE(TraceSays("exited with status 0; KeepAlive does not relaunch it"))
      << world().TraceTail(20);
  // A failure is relaunched: the next launch fails, and so on while it fails.
  g_status = 1;
  Client client = ConnectTo("com.example.helper");
  EXPECT_TRUE(RunUntil([&] { return world().JobLaunches("com.example.helper") >= 3; }))
      << "exit status 1 is relaunched";
  g_status = 0;
  RunUntilIdle();
  int launches = world().JobLaunches("com.example.helper");
  RunUntilIdle();
  EXPECT_EQ(world().JobLaunches("com.example.helper"), launches) << "status 0 stops it";
  client.Cancel();
}

TEST_F(LaunchdJobTest, ADaemonRunsAsRootAndAnAgentAsTheUser) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job(""), HelperMain,
                                       {.domain = control::LaunchdDomain::kSystemDaemon}),
              Loaded());
  Client client = ConnectTo("com.example.helper");
  client.SendSync(Dict{{"op", "add"}, {"a", 0}, {"b", 0}});
  EXPECT_EQ(xpc_connection_get_euid(client.connection()), 0u) << "launchd.plist(5)";
  EXPECT_EQ(world().JobProcess("com.example.helper").identity().credentials.egid, 0u);

  std::string agent = files_.Xml("com.example.agent.plist", R"(
      <key>Label</key><string>com.example.agent</string>
      <key>Program</key><string>/usr/libexec/agent</string>
      <key>UserName</key><string>root</string>
      <key>MachServices</key><dict><key>com.example.helper.agent</key><true/></dict>)");
  ASSERT_THAT(world().LoadLaunchdPlist(agent, HelperMain), Loaded());
  ASSERT_TRUE(world().LaunchService("com.example.agent"));
  EXPECT_EQ(world().ServiceProcess("com.example.agent").identity().credentials.euid, geteuid())
      << "UserName applies to daemons only";
}

TEST_F(LaunchdJobTest, ADaemonRunsAsItsPlistsUserName) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job("<key>UserName</key><string>_examplehelper</string>"
                                           "<key>RunAtLoad</key><true/>"),
                                       HelperMain,
                                       {.domain = control::LaunchdDomain::kSystemDaemon}),
              Loaded());
  Credentials credentials = world().JobProcess("com.example.helper").identity().credentials;
  EXPECT_NE(credentials.euid, 0u);
  EXPECT_EQ(credentials.egid, credentials.euid) << "the user's (simulated) primary group";
}

// S113: launchd stops an idle job with EnableTransactions at once.
TEST_F(LaunchdJobTest, S113StoppingAnIdleJobEndsItAndTheNextLookupLaunchesItAgain) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job("<key>EnableTransactions</key><true/>"), HelperMain),
              Loaded());
  Client client = ConnectTo("com.example.helper");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}}), HasInt64("sum", 3));
  // Idle means the peer's handler has returned too (threaded: it may still be
  // on its way out, holding the message's transaction, when the reply lands).
  RunUntilIdle();
  EXPECT_TRUE(world().StopJob("com.example.helper"));
  EXPECT_THAT(client.NextEvent(), IsInterrupted()) << "S62";
  EXPECT_TRUE(TraceSays("terminated while idle")) << world().TraceTail(20);
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 2}, {"b", 2}}), HasInt64("sum", 4));
  EXPECT_EQ(world().JobLaunches("com.example.helper"), 2);
}

// S114: a job gets the events its plist's LaunchEvents declare, launched for them.
TEST_F(LaunchdJobTest, S114LaunchEventsReachTheJobAndUndeclaredOnesAreRefused) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job(R"(
      <key>LaunchEvents</key><dict><key>com.apple.notifyd.matching</key><dict>
        <key>com.example.prefs-changed</key>
        <dict><key>Notification</key><string>com.example.prefs</string></dict>
      </dict></dict>)"),
                                       EventHelperMain),
              Loaded());
  EXPECT_EQ(world().PostLaunchEvent("com.example.helper", "com.apple.notifyd.matching",
                                    "com.example.prefs-changed", nullptr),
            "");
  EXPECT_EQ(world().JobLaunches("com.example.helper"), 1) << "the event launched it";
  EXPECT_THAT(world().PostLaunchEvent("com.example.helper", "com.apple.notifyd.matching",
                                      "com.example.other", nullptr),
              HasSubstr("com.example.helper.plist: key \"LaunchEvents\" > "
                        "\"com.apple.notifyd.matching\" > \"com.example.other\" is not declared"));
  RunUntilIdle();
  std::lock_guard lock(g_mutex);
  EXPECT_THAT(g_events, ElementsAre("com.example.prefs-changed"));
}

// S65: an unloaded job's clients are interrupted, then invalid.
TEST_F(LaunchdJobTest, S65AnUnloadedJobIsNotLaunchedAgain) {
  ASSERT_THAT(world().LoadLaunchdPlist(Job(""), HelperMain), Loaded());
  Client client = ConnectTo("com.example.helper");
  client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 1}});
  EXPECT_TRUE(world().UnloadJob("com.example.helper"));
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  Client late = ConnectTo("com.example.helper");
  EXPECT_THAT(late.NextEvent(), IsInvalid());
  EXPECT_EQ(world().JobLaunches("com.example.helper"), 1);
}

TEST_F(LaunchdJobTest, AnXpcServiceIsNamedByItsBundleIdentifier) {
  ASSERT_THAT(world().LoadXpcServiceBundle(files_.Binary("Info.plist", R"(
      <key>CFBundleIdentifier</key><string>com.example.app.adder</string>
      <key>CFBundlePackageType</key><string>XPC!</string>
      <key>XPCService</key><dict><key>ServiceType</key><string>Application</string></dict>)"),
                                           AdderXpcServiceMain),
              Loaded());
  Client client = ConnectToXpcService("com.example.app.adder");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 3}, {"b", 4}}), HasInt64("sum", 7));
}

// xpcservice.plist(5): an app's bundled services are in its namespace only,
// and a service joins its app's audit session only when it says so.
TEST_F(LaunchdJobTest, AnAppsXpcServiceIsFoundByThatAppOnly) {
  std::string info = files_.Xml("Info.plist", R"(
      <key>CFBundleIdentifier</key><string>com.example.app.adder</string>
      <key>CFBundlePackageType</key><string>XPC!</string>
      <key>XPCService</key><dict><key>JoinExistingSession</key><true/></dict>)");
  Identity app_identity;
  app_identity.code_signing.signing_identifier = "com.example.app";
  app_identity.credentials.asid = 4242;
  control::Process app = world().Spawn("app", app_identity);
  control::Process other = world().Spawn("other");
  ASSERT_THAT(world().LoadXpcServiceBundle(info, AdderXpcServiceMain,
                                           {.app_identifier = "com.example.app",
                                            .app_asid = 4242}),
              Loaded());
  Client mine = ConnectFrom(app, "com.example.app.adder");
  EXPECT_THAT(mine.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}}), HasInt64("sum", 3));
  EXPECT_EQ(xpc_connection_get_asid(mine.connection()), 4242) << "JoinExistingSession";
  Client theirs = ConnectFrom(other, "com.example.app.adder");
  EXPECT_THAT(theirs.NextEvent(), IsInvalid());
  EXPECT_THAT(InvalidationReason(theirs), HasSubstr("error 3 - No such process"));
}

TEST_F(LaunchdJobTest, ASystemXpcServiceInAnAppBundleIsRefused) {
  std::string info = files_.Xml("Info.plist", R"(
      <key>CFBundleIdentifier</key><string>com.example.app.system</string>
      <key>CFBundlePackageType</key><string>XPC!</string>
      <key>XPCService</key><dict><key>ServiceType</key><string>System</string></dict>)");
  EXPECT_THAT(world().LoadXpcServiceBundle(info, AdderXpcServiceMain,
                                           {.app_identifier = "com.example.app"}),
              RefusedToLoad(HasSubstr("Info.plist: key \"XPCService\" > \"ServiceType\": a "
                                      "System service must reside in a system framework")));
}

}  // namespace
}  // namespace xpctest::testing
