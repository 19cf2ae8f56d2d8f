// The App Sandbox's lookup rule: a sandboxed app looks up only names
// prefixed by one of its application groups, names its mach-lookup
// exception lists, and its own bundle's XPC services; anything else fails
// as on macOS (INVALID, "error 159 - Sandbox restriction", S111), with a
// trace line saying why.
#include <gmock/gmock.h>

#include <string>

#include "deployment/plist_files.h"
#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::HasSubstr;

int AdderDaemonMain(int argc, char** argv) {
  ListenAsAdder(argv[1]);
  dispatch_main();
}

void AdderPeer(xpc_connection_t peer) { AdderHandlePeer(peer); }
int AdderXpcServiceMain(int argc, char** argv) { xpc_main(AdderPeer); }

const char* const kAppEntitlements = R"(
  <key>com.apple.security.app-sandbox</key><true/>
  <key>com.apple.security.application-groups</key>
  <array><string>ABCDE12345.com.example.notes</string></array>
  <key>com.apple.security.temporary-exception.mach-lookup.global-name</key>
  <array><string>com.example.licensing</string></array>)";

class SandboxLookupTest : public xpctest::Test {
 protected:
  SandboxLookupTest() {
    for (const char* name : {"ABCDE12345.com.example.notes.sync", "ABCDE12345.com.example.notesx",
                             "com.example.licensing", "com.example.other-daemon"}) {
      world().RegisterService(name, AdderDaemonMain, {name});
    }
    app_ = world().Spawn("Notes", SignedWithEntitlements(
                                      "com.example.notes",
                                      files_.Xml("Notes.entitlements", kAppEntitlements),
                                      "ABCDE12345"));
  }

  // Sends one request from the app and returns what came back.
  Object AskFromApp(const std::string& name) {
    Client client = ConnectFrom(app_, name);
    return client.SendSync(Dict{{"op", "add"}, {"a", 40}, {"b", 2}});
  }
  std::string RefusalFromApp(const std::string& name) {
    Client client = ConnectFrom(app_, name);
    EXPECT_THAT(client.NextEvent(), IsInvalid());
    char* reason = xpc_connection_copy_invalidation_reason(client.connection());
    std::string text = reason != nullptr ? reason : "";
    free(reason);
    return text;
  }
  bool TraceSays(const std::string& text) {
    for (const TraceEntry& entry : world().Trace()) {
      if (entry.text.find(text) != std::string::npos) return true;
    }
    return false;
  }

  PlistFiles files_;
  control::Process app_;
};

TEST_F(SandboxLookupTest, ASandboxedAppMayLookUpANamePrefixedByItsApplicationGroup) {
  EXPECT_THAT(AskFromApp("ABCDE12345.com.example.notes.sync"), HasInt64("sum", 42));
}

TEST_F(SandboxLookupTest, ASandboxedAppMayLookUpANameItsMachLookupExceptionLists) {
  EXPECT_THAT(AskFromApp("com.example.licensing"), HasInt64("sum", 42));
}

TEST_F(SandboxLookupTest, ASandboxedAppMayUseAnXpcServiceOfItsOwnBundle) {
  ASSERT_THAT(world().LoadXpcServiceBundle(files_.Xml("Info.plist", R"(
      <key>CFBundleIdentifier</key><string>com.example.notes.renderer</string>
      <key>CFBundlePackageType</key><string>XPC!</string>
      <key>XPCService</key><dict/>)"),
                                           AdderXpcServiceMain,
                                           {.app_identifier = "com.example.notes"}),
              Loaded());
  EXPECT_THAT(AskFromApp("com.example.notes.renderer"), HasInt64("sum", 42));
}

// S111: "Connection init failed at lookup with error 159 - Sandbox restriction".
TEST_F(SandboxLookupTest, S111ASandboxedAppMayNotLookUpAnyOtherName) {
  EXPECT_EQ(RefusalFromApp("com.example.other-daemon"),
            "Connection init failed at lookup with error 159 - Sandbox restriction");
  EXPECT_TRUE(TraceSays("lookup refused: the App Sandbox denied com.example.notes the lookup of "
                        "\"com.example.other-daemon\""))
      << world().TraceTail(10);
  EXPECT_EQ(world().ServiceLaunches("com.example.other-daemon"), 0)
      << "the sandbox refuses before launchd launches anything";
}

TEST_F(SandboxLookupTest, AGroupPrefixNeedsItsPeriod) {
  EXPECT_THAT(RefusalFromApp("ABCDE12345.com.example.notesx"), HasSubstr("error 159"));
}

TEST_F(SandboxLookupTest, ARefusedSessionIsNotCreated) {
  xpc_rich_error_t error = nullptr;
  xpc_session_t session;
  {
    control::ScopedProcess as(app_);
    session = xpc_session_create_mach_service("com.example.other-daemon", nullptr,
                                              XPC_SESSION_CREATE_NONE, &error);
  }
  EXPECT_EQ(session, nullptr) << "S117";
  ASSERT_NE(error, nullptr);
  xpc_release(error);
}

TEST_F(SandboxLookupTest, AProcessWithoutTheSandboxMayLookUpAnything) {
  control::Process tool = world().Spawn("tool");
  Client client = ConnectFrom(tool, "com.example.other-daemon");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 1}}), HasInt64("sum", 2));
}

TEST_F(SandboxLookupTest, AnotherAppsXpcServiceIsNotThereForTheApp) {
  ASSERT_THAT(world().LoadXpcServiceBundle(files_.Xml("Info.plist", R"(
      <key>CFBundleIdentifier</key><string>com.example.mail.renderer</string>
      <key>CFBundlePackageType</key><string>XPC!</string>
      <key>XPCService</key><dict/>)"),
                                           AdderXpcServiceMain,
                                           {.app_identifier = "com.example.mail"}),
              Loaded());
  EXPECT_THAT(RefusalFromApp("com.example.mail.renderer"), HasSubstr("error 159"))
      << "the sandbox refuses it first: not in the app's groups, exceptions or bundle";
}

}  // namespace
}  // namespace xpctest::testing
