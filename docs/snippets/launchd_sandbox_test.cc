// A sandboxed app and its helper, deployed from their real files.
#include <unistd.h>

#include <fstream>
#include <string>

#include <xpctest/xpctest.h>

// The helper's code, as shipped: it checks in for its Mach name.
int helper_main(int argc, char** argv) {
  xpc_connection_t listener = xpc_connection_create_mach_service(
      "ABCDE12345.com.example.notes.helper", nullptr, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
    xpc_connection_t connection = static_cast<xpc_connection_t>(peer);
    xpc_connection_set_event_handler(connection, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;  // the client went away
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      if (reply == nullptr) return;
      xpc_dictionary_set_bool(reply, "ok", true);
      xpc_connection_send_message(connection, reply);
      xpc_release(reply);
    });
    xpc_connection_activate(connection);
  });
  xpc_connection_activate(listener);
  dispatch_main();
}

// The files, as they are in the Xcode project (written here to keep the
// snippet self-contained; a real test names the project's own files). One
// set per test program run: ctest -j runs this test on both executors at once.
std::string Write(const std::string& name, const std::string& dict) {
  std::string path = ::testing::TempDir() + std::to_string(getpid()) + "-" + name;
  std::ofstream(path) << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">"
                      << "<dict>" << dict << "</dict></plist>\n";
  return path;
}

class NotesDeploymentTest : public xpctest::Test {
 protected:
  NotesDeploymentTest() {
    helper_plist_ = Write("helper.plist", R"(
        <key>Label</key><string>ABCDE12345.com.example.notes.helper</string>
        <key>Program</key><string>/Applications/Notes.app/Contents/MacOS/NotesHelper</string>
        <key>MachServices</key>
        <dict><key>ABCDE12345.com.example.notes.helper</key><true/></dict>)");
    entitlements_ = Write("Notes.entitlements", R"(
        <key>com.apple.security.app-sandbox</key><true/>
        <key>com.apple.security.application-groups</key>
        <array><string>ABCDE12345.com.example.notes</string></array>)");
  }
  std::string helper_plist_;
  std::string entitlements_;
};

TEST_F(NotesDeploymentTest, TheSandboxedAppReachesItsHelperAndNothingElse) {
  ASSERT_THAT(world().LoadLaunchdPlist(helper_plist_, helper_main), xpctest::Loaded());
  xpctest::control::Process app =
      world().Spawn("Notes", xpctest::SignedWithEntitlements("com.example.notes", entitlements_));

  // Allowed: the name starts with the app's group.
  xpctest::Client helper = ConnectFrom(app, "ABCDE12345.com.example.notes.helper");
  EXPECT_THAT(helper.SendSync(xpctest::Dict{{"op", "hello"}}), xpctest::HasBool("ok", true));

  // Refused by the App Sandbox, as on macOS.
  xpctest::Client other = ConnectFrom(app, "com.example.sync.daemon");
  EXPECT_THAT(other.NextEvent(), xpctest::IsInvalid());
  char* reason = xpc_connection_copy_invalidation_reason(other.connection());
  EXPECT_STREQ(reason, "Connection init failed at lookup with error 159 - Sandbox restriction");
  free(reason);
}
