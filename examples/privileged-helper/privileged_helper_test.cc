// The privileged helper serves its own app and nobody else: the app and the
// intruders are simulated processes with code-signing identities and users.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "xpctest/xpctest.h"

extern "C" {
#include "helper_client.h"
#include "privileged_helper.h"
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using xpctest::Client;
using xpctest::Dict;
using xpctest::HasString;
using xpctest::Identity;
using xpctest::IsInterrupted;
using xpctest::IsInvalid;
using xpctest::IsReply;
using xpctest::control::Process;
using xpctest::control::ScopedProcess;

namespace fs = std::filesystem;

// The console user, as the helper finds it: the owner of the console device,
// which the fixture creates. So it is whoever runs the test.
const uid_t kConsoleUser = geteuid();
const uid_t kAnotherUser = geteuid() + 1;

// A process signed by our team as `identifier`, run by `euid`.
Identity SignedByOurTeam(const char* identifier, uid_t euid) {
  Identity identity;
  identity.credentials.euid = euid;
  identity.code_signing.team_identifier = HELPER_TEAM_ID;
  identity.code_signing.signing_identifier = identifier;
  return identity;
}

Identity OtherTeamsApp() {
  Identity identity = SignedByOurTeam(HELPER_APP_IDENTIFIER, kConsoleUser);
  identity.code_signing.team_identifier = "ZZZZZ99999";
  return identity;
}

// What a helper_install call from some process came back with.
helper_result_t InstallAs(const Process& process, const char* name, const char* contents) {
  ScopedProcess as(process);
  return helper_install(name, contents);
}

class PrivilegedHelperTest : public xpctest::Test {
 protected:
  PrivilegedHelperTest() {
    std::string root = ::testing::TempDir() + "privileged-helper-XXXXXX";
    EXPECT_NE(mkdtemp(root.data()), nullptr);
    root_ = root;
    fs::create_directory(install_dir());
    std::ofstream(root_ / "console").close();
    // launchd's part: the helper runs as root, launched when first looked up.
    RegisterHelper(SignedByOurTeam(HELPER_IDENTIFIER, 0));
  }
  ~PrivilegedHelperTest() override { fs::remove_all(root_); }

  void RegisterHelper(Identity identity) {
    world().RegisterService(HELPER_MACH_SERVICE, privileged_helper_main,
                            {install_dir().string(), (root_ / "audit.log").string(),
                             (root_ / "console").string()},
                            identity);
  }

  fs::path install_dir() const { return root_ / "installed"; }
  std::vector<std::string> Installed() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(install_dir())) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }
  std::string Contents(const std::string& name) const {
    std::ifstream file(install_dir() / name);
    std::stringstream contents;
    contents << file.rdbuf();
    return contents.str();
  }
  // The helper's audit log, once everything in flight has settled.
  std::vector<std::string> Audit() {
    RunUntilIdle();
    std::ifstream log(root_ / "audit.log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(log, line);) lines.push_back(line);
    return lines;
  }
  static std::string Refused(const Process& process, const std::string& why) {
    return "refused pid " + std::to_string(process.pid()) + ": " + why;
  }

  // A recording client made by `process`, for what a refused program sees.
  Client ConnectAs(const Process& process) {
    ScopedProcess as(process);
    return Client(world(),
                  xpc_connection_create_mach_service(HELPER_MACH_SERVICE, nullptr,
                                                     XPC_CONNECTION_MACH_SERVICE_PRIVILEGED),
                  process.name() + " client of " HELPER_MACH_SERVICE);
  }

  fs::path root_;
};

TEST_F(PrivilegedHelperTest, OurAppRunByTheConsoleUserIsServed) {
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kConsoleUser));
  helper_result_t result = InstallAs(app, "example.conf", "enabled = yes\n");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.installed, (install_dir() / "example.conf").string());
  EXPECT_EQ(Contents("example.conf"), "enabled = yes\n");
  EXPECT_THAT(Audit(), ElementsAre("installed example.conf for pid " + std::to_string(app.pid()) +
                                   " (euid " + std::to_string(kConsoleUser) + ")"));
  EXPECT_EQ(world().ServiceLaunches(HELPER_MACH_SERVICE), 1);
}

TEST_F(PrivilegedHelperTest, OurAppRunByRootIsServed) {
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, 0));
  helper_result_t result = InstallAs(app, "example.conf", "as root");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(Contents("example.conf"), "as root");
}

// S115c: the requirement drops the intruder's request unseen, the helper's
// peer gets "Peer Forbidden", and the pending reply is interrupted.
TEST_F(PrivilegedHelperTest, AnotherTeamsAppIsRefusedAndNothingIsInstalled) {
  Process intruder = world().Spawn("intruder", OtherTeamsApp());
  helper_result_t result = InstallAs(intruder, "example.conf", "pwned");
  EXPECT_FALSE(result.ok);
  EXPECT_STREQ(result.error, "Connection interrupted");
  EXPECT_THAT(Installed(), IsEmpty());
  EXPECT_THAT(Audit(), ElementsAre(Refused(intruder, "Peer Forbidden")));
}

TEST_F(PrivilegedHelperTest, AnAdHocSignedToolIsRefused) {
  Identity ad_hoc;  // no team id
  ad_hoc.code_signing.signing_identifier = HELPER_APP_IDENTIFIER;
  Process tool = world().Spawn("tool", ad_hoc);
  EXPECT_FALSE(InstallAs(tool, "example.conf", "pwned").ok);
  EXPECT_THAT(Installed(), IsEmpty());
  EXPECT_THAT(Audit(), ElementsAre(Refused(tool, "Peer Forbidden")));
}

TEST_F(PrivilegedHelperTest, AnotherAppOfOurOwnTeamIsRefused) {
  Process other = world().Spawn("other", SignedByOurTeam("com.example.other", kConsoleUser));
  EXPECT_FALSE(InstallAs(other, "example.conf", "not yours").ok);
  EXPECT_THAT(Installed(), IsEmpty());
  EXPECT_THAT(Audit(), ElementsAre(Refused(other, "Peer Forbidden")));
}

// S90, S70: the helper cancels the peer of another user's process; that
// process's request is interrupted before the helper read it.
TEST_F(PrivilegedHelperTest, OurAppRunByAnotherUserIsRefusedAndNothingIsInstalled) {
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kAnotherUser));
  helper_result_t result = InstallAs(app, "example.conf", "from another user");
  EXPECT_FALSE(result.ok);
  EXPECT_STREQ(result.error, "Connection interrupted");
  EXPECT_THAT(Installed(), IsEmpty());
  EXPECT_THAT(Audit(), ElementsAre(Refused(app, "euid " + std::to_string(kAnotherUser) +
                                                    " is neither root nor the console user")));
}

// The docs/peer-identity.md table: a client refused by a peer requirement is
// interrupted, then invalidated (S115c, S98); it cannot try again.
TEST_F(PrivilegedHelperTest, ARefusedProgramIsInterruptedThenInvalidated) {
  Process intruder = world().Spawn("intruder", OtherTeamsApp());
  Client client = ConnectAs(intruder);
  EXPECT_THAT(client.SendSync(Dict{{"op", "install"}, {"name", "x"}, {"contents", "y"}}),
              IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  EXPECT_THAT(client.SendSync(Dict{{"op", "install"}, {"name", "x"}, {"contents", "y"}}),
              IsInvalid());
  EXPECT_THAT(Installed(), IsEmpty());
}

// S90, S70: a peer the helper cancels only interrupts a named client; unlike
// a failed requirement, nothing invalidates the connection.
TEST_F(PrivilegedHelperTest, AnotherUsersProgramIsInterruptedButNotInvalidated) {
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kAnotherUser));
  Client client = ConnectAs(app);
  EXPECT_THAT(client.SendSync(Dict{{"op", "install"}, {"name", "x"}, {"contents", "y"}}),
              IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(Audit(), ElementsAre(Refused(app, "euid " + std::to_string(kAnotherUser) +
                                                    " is neither root nor the console user")));
  // The failed request's reply and the event handler's INTERRUPTED; no INVALID.
  EXPECT_THAT(client.Events(), ElementsAre(IsInterrupted(), IsInterrupted()));
  EXPECT_THAT(Installed(), IsEmpty());
}

TEST_F(PrivilegedHelperTest, IntrudersDoNotTakeTheHelperDown) {
  Process intruder = world().Spawn("intruder", OtherTeamsApp());
  Process stranger = world().Spawn("stranger", SignedByOurTeam(HELPER_APP_IDENTIFIER, kAnotherUser));
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kConsoleUser));
  EXPECT_FALSE(InstallAs(intruder, "a.conf", "pwned").ok);
  EXPECT_FALSE(InstallAs(stranger, "b.conf", "pwned").ok);
  helper_result_t result = InstallAs(app, "c.conf", "ours");
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_THAT(Installed(), ElementsAre("c.conf"));
  EXPECT_EQ(world().ServiceLaunches(HELPER_MACH_SERVICE), 1);
  EXPECT_EQ(world().ServiceProcess(HELPER_MACH_SERVICE).state(), "running");
}

TEST_F(PrivilegedHelperTest, OurAppsBadRequestsAreAnsweredWithErrors) {
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kConsoleUser));
  EXPECT_STREQ(InstallAs(app, "../escape.conf", "x").error, "\"name\" must be a plain file name");
  EXPECT_STREQ(InstallAs(app, "..", "x").error, "\"name\" must be a plain file name");
  Client client = ConnectAs(app);
  EXPECT_THAT(client.SendSync(Dict{{"op", "install"}, {"name", "x.conf"}}),
              HasString("error", "install needs strings \"name\" and \"contents\""));
  EXPECT_THAT(client.SendSync(Dict{{"op", "uninstall"}}), HasString("error", "unknown op"));
  EXPECT_THAT(client.Events(), ::testing::Each(IsReply(::testing::_))) << "still connected";
  EXPECT_THAT(Installed(), IsEmpty());
  EXPECT_FALSE(fs::exists(root_ / "escape.conf"));
}

// The app's own check (S115c, client side): a root daemon with the helper's
// name but another team's signature gets the request, but the app never
// believes its answer.
TEST_F(PrivilegedHelperTest, OurAppDoesNotBelieveAnImpostorHelper) {
  Identity impostor = SignedByOurTeam(HELPER_IDENTIFIER, 0);
  impostor.code_signing.team_identifier = "ZZZZZ99999";
  RegisterHelper(impostor);
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kConsoleUser));
  helper_result_t result = InstallAs(app, "example.conf", "enabled = yes\n");
  EXPECT_FALSE(result.ok);
  EXPECT_STREQ(result.error, "Peer Forbidden");
}

// S64: a PRIVILEGED lookup sees only the system domain, where root daemons
// live; a helper that runs as a user is not the helper.
TEST_F(PrivilegedHelperTest, OurAppDoesNotReachAHelperThatIsNotRunAsRoot) {
  RegisterHelper(SignedByOurTeam(HELPER_IDENTIFIER, kConsoleUser == 0 ? kAnotherUser : kConsoleUser));
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kConsoleUser));
  helper_result_t result = InstallAs(app, "example.conf", "enabled = yes\n");
  EXPECT_FALSE(result.ok);
  EXPECT_STREQ(result.error, "Connection invalid");
  EXPECT_THAT(Installed(), IsEmpty());
}

// launchd runs the helper with the ProgramArguments of its plist; without
// them it exits (S112: main returning), and the name is served by nobody (S64).
TEST_F(PrivilegedHelperTest, AHelperStartedWithoutItsArgumentsExits) {
  world().RegisterService(HELPER_MACH_SERVICE, privileged_helper_main, {},
                          SignedByOurTeam(HELPER_IDENTIFIER, 0));
  Process app = world().Spawn("app", SignedByOurTeam(HELPER_APP_IDENTIFIER, kConsoleUser));
  helper_result_t result = InstallAs(app, "example.conf", "enabled = yes\n");
  EXPECT_FALSE(result.ok);
  EXPECT_STREQ(result.error, "Connection invalid");
  EXPECT_EQ(world().ServiceProcess(HELPER_MACH_SERVICE).state(), "exited");
}

}  // namespace
