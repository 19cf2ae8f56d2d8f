// The sandboxed Notes app, its login-item helper and its bundled renderer,
// deployed from their real files: the helper's launchd plist (XML), the
// renderer's Info.plist (binary, made by plistutil at build time) and the
// app's entitlements. The app runs in a simulated process with the App
// Sandbox's lookup rule; the helper is launched by launchd's rules.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "xpctest/xpctest.h"

extern "C" {
#include "notes.h"
#include "notes_app.h"
#include "notes_helper.h"
#include "notes_renderer.h"
}

namespace {

using ::testing::HasSubstr;
using xpctest::Loaded;
using xpctest::control::ExecutorKind;
using xpctest::control::Process;
using xpctest::control::ScopedProcess;

namespace fs = std::filesystem;

const std::string kHelperPlist =
    NOTES_SOURCE_DIR "/NotesHelper/ABCDE12345.com.example.notes.helper.plist";
const std::string kBrokenHelperPlist =
    NOTES_SOURCE_DIR "/broken/ABCDE12345.com.example.notes.helper.plist";
const std::string kRendererInfoPlist = NOTES_BINARY_DIR "/NotesRenderer/Info.plist";
const std::string kAppEntitlements = NOTES_SOURCE_DIR "/NotesApp/NotesApp.entitlements";
const std::string kHelperLabel = NOTES_HELPER_SERVICE;

class NotesTest : public xpctest::Test {
 protected:
  NotesTest() {
    // The helper's plist stores notes in "notes-store", relative to its
    // working directory: a fresh one per test.
    std::string root = ::testing::TempDir() + "notes-XXXXXX";
    EXPECT_NE(mkdtemp(root.data()), nullptr);
    root_ = root;
    previous_directory_ = fs::current_path();
    fs::current_path(root_);
    fs::create_directory(root_ / "notes-store");
    xpctest::Identity identity =
        xpctest::SignedWithEntitlements("com.example.notes", kAppEntitlements, "ABCDE12345");
    app_ = world().Spawn("Notes", identity);
  }
  ~NotesTest() override {
    fs::current_path(previous_directory_);
    fs::remove_all(root_);
  }

  void LoadTheHelper() {
    ASSERT_THAT(world().LoadLaunchdPlist(kHelperPlist, notes_helper_main), Loaded());
  }
  void LoadTheRenderer() {
    ASSERT_THAT(world().LoadXpcServiceBundle(kRendererInfoPlist, notes_renderer_main,
                                             {.app_identifier = "com.example.notes"}),
                Loaded());
  }
  notes_result_t SaveFromTheApp(const char* name, const char* text) {
    ScopedProcess as(app_);
    return notes_save(name, text);
  }
  std::string Store(const std::string& file) const {
    std::ifstream in(root_ / "notes-store" / file);
    std::stringstream contents;
    contents << in.rdbuf();
    return contents.str();
  }
  bool TraceSays(const std::string& text) {
    for (const xpctest::TraceEntry& entry : world().Trace()) {
      if (entry.text.find(text) != std::string::npos) return true;
    }
    return false;
  }

  fs::path root_;
  fs::path previous_directory_;
  Process app_;
};

TEST_F(NotesTest, TheAppSavesANoteThroughItsHelper) {
  LoadTheHelper();
  EXPECT_EQ(world().JobLaunches(kHelperLabel), 1) << "KeepAlive implies RunAtLoad";
  notes_result_t saved = SaveFromTheApp("groceries", "milk, eggs");
  ASSERT_TRUE(saved.ok) << saved.error;
  EXPECT_EQ(Store("groceries.note"), "milk, eggs");
}

TEST_F(NotesTest, TheAppRendersThroughItsBundledXpcService) {
  LoadTheRenderer();
  ScopedProcess as(app_);
  notes_result_t rendered = notes_render("hello");
  ASSERT_TRUE(rendered.ok) << rendered.error;
  EXPECT_STREQ(rendered.value, "<p>hello</p>");
}

// The first plist's MachServices lacked the app group prefix the code uses:
// launchd refuses the helper's check-in, and the app finds no such service.
TEST_F(NotesTest, AHelperPlistWhoseMachNameDoesNotMatchTheCodeIsCaught) {
  ASSERT_THAT(world().LoadLaunchdPlist(kBrokenHelperPlist, notes_helper_main), Loaded());
  ASSERT_TRUE(world().LaunchService(kHelperLabel));
  EXPECT_TRUE(TraceSays("check-in refused: \"" NOTES_HELPER_SERVICE
                        "\" is not in the MachServices of the launchd job " NOTES_HELPER_SERVICE))
      << world().TraceTail(20);
  notes_result_t saved = SaveFromTheApp("groceries", "milk");
  EXPECT_FALSE(saved.ok);
  EXPECT_THAT(saved.error, HasSubstr("error 3 - No such process"));
}

// S111: the sandbox refuses a name outside the app's group and exceptions.
TEST_F(NotesTest, TheSandboxRefusesALookupOutsideTheAppGroup) {
  world().RegisterService(NOTES_SYNC_SERVICE, notes_helper_main);
  ScopedProcess as(app_);
  notes_result_t synced = notes_sync_now();
  EXPECT_FALSE(synced.ok);
  EXPECT_EQ(std::string(synced.error),
            "Connection invalid: Connection init failed at lookup with error 159 - Sandbox "
            "restriction");
  EXPECT_TRUE(TraceSays("the App Sandbox denied com.example.notes the lookup of \"" NOTES_SYNC_SERVICE
                        "\""))
      << world().TraceTail(10);
}

TEST_F(NotesTest, TheHelperIsKeptAliveAfterACrash) {
  LoadTheHelper();
  Process first = world().JobProcess(kHelperLabel);
  first.Crash();
  // launchd.plist(5): KeepAlive { SuccessfulExit = false } relaunches after a
  // crash, no sooner than the default 10 s throttle, counted from its launch
  // (on real threads a few milliseconds have passed since).
  EXPECT_TRUE(TraceSays("crashed; KeepAlive relaunches it in ")) << world().TraceTail(10);
  if (world().options().executor != ExecutorKind::kDeterministic) return;  // 10 real seconds
  EXPECT_TRUE(TraceSays("crashed; KeepAlive relaunches it in 10.000s")) << world().TraceTail(10);
  RunFor(std::chrono::seconds(10));
  EXPECT_EQ(world().JobLaunches(kHelperLabel), 2);
  notes_result_t saved = SaveFromTheApp("after-crash", "still here");
  EXPECT_TRUE(saved.ok) << saved.error;
}

// The backup activity's criteria are in the plist: hourly, maintenance, not
// on battery. Half an hour of virtual time is free; of real time it is not.
TEST_F(NotesTest, TheHelperBacksUpWhenItsActivityComesDueButNotOnBattery) {
  if (world().options().executor != ExecutorKind::kDeterministic) {
    GTEST_SKIP() << "needs the virtual clock: the activity is due after 30 minutes";
  }
  world().SetDeviceConditions({.on_battery = true});
  LoadTheHelper();
  RunFor(std::chrono::minutes(45));
  EXPECT_EQ(Store("backups.log"), "") << "a maintenance activity waits for power";
  world().SetDeviceConditions({.on_battery = false});
  RunFor(std::chrono::minutes(1));
  EXPECT_EQ(Store("backups.log"), "backup\n");
  RunFor(std::chrono::hours(1));
  EXPECT_EQ(Store("backups.log"), "backup\nbackup\n")
      << "hourly: the next window opens an hour after the first (at 90 minutes)";
}

}  // namespace
