// xpc_activity (activity.h) on virtual time: registration and check-in, the
// state machine (CHECK_IN, WAIT, RUN, DEFER, CONTINUE, DONE) and its legal
// transitions, criteria and device conditions, should_defer, unregister, and
// activities a launchd plist declares.
//
// Deterministic executor only: the criteria are minutes to days of world
// time, which only a virtual clock makes free.
#include <gmock/gmock.h>
#include <xpc/activity.h>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "deployment/plist_files.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using std::chrono::minutes;
using std::chrono::seconds;

// What an activity's handler saw: the state of each call, at the time (s).
struct Calls {
  std::mutex mutex;
  std::vector<std::string> seen;
  xpc_activity_t last = nullptr;
  ~Calls() {
    if (last != nullptr) xpc_release(last);
  }
  // S19: the handler's activity is borrowed; keeping it takes a reference.
  void Add(xpc_activity_t activity, long seconds) {
    std::lock_guard lock(mutex);
    seen.push_back(std::string(ActivityStateName(xpc_activity_get_state(activity))) + "@" +
                   std::to_string(seconds));
    if (last != nullptr) xpc_release(last);
    last = static_cast<xpc_activity_t>(xpc_retain(activity));
  }
  std::vector<std::string> Seen() {
    std::lock_guard lock(mutex);
    return seen;
  }
};

xpc_object_t Criteria(std::initializer_list<std::pair<const char*, xpc_object_t>> entries) {
  xpc_object_t criteria = xpc_dictionary_create_empty();
  for (auto& [key, value] : entries) {
    xpc_dictionary_set_value(criteria, key, value);
    xpc_release(value);
  }
  return criteria;
}

class ActivityTest : public xpctest::Test {
 protected:
  long Seconds() {
    return static_cast<long>(std::chrono::duration_cast<seconds>(world().Now()).count());
  }
  // Registers `identifier` from the test body (the host process) with a
  // handler that records each call and then does `then` with the activity.
  void Register(const char* identifier, xpc_object_t criteria,
                void (^then)(xpc_activity_t) = nullptr) {
    Calls* calls = &calls_;
    ActivityTest* self = this;
    xpc_activity_register(identifier, criteria, ^(xpc_activity_t activity) {
      calls->Add(activity, self->Seconds());
      if (then != nullptr) then(activity);
    });
  }
  std::string State(const char* identifier) {
    return ActivityStateName(world().ActivityState("host", identifier));
  }

  Calls calls_;
};

TEST_F(ActivityTest, ADelayedActivityRunsOnceItsDelayHasPassedThenIsDone) {
  xpc_object_t criteria = Criteria({{XPC_ACTIVITY_DELAY, xpc_int64_create(3600)}});
  Register("com.example.once", criteria);
  xpc_release(criteria);
  EXPECT_EQ(State("com.example.once"), "WAIT");
  RunFor(seconds(3599));
  EXPECT_THAT(calls_.Seen(), IsEmpty());
  RunFor(seconds(1));
  RunUntilIdle();
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@3600"));
  // activity.h: returning in RUN is done; a non-repeating activity is then gone.
  EXPECT_EQ(State("com.example.once"), "none");
}

TEST_F(ActivityTest, AnIntervalRunsFirstAfterHalfOfItThenOncePerInterval) {
  xpc_object_t criteria =
      Criteria({{XPC_ACTIVITY_INTERVAL, xpc_int64_create(XPC_ACTIVITY_INTERVAL_1_HOUR)}});
  Register("com.example.hourly", criteria);
  xpc_release(criteria);
  RunFor(minutes(155));
  // activity.h: delay = interval / 2, then on average one run per interval.
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@1800", "RUN@5400", "RUN@9000"));
  EXPECT_EQ(State("com.example.hourly"), "WAIT");
  xpc_activity_unregister("com.example.hourly");
  RunFor(minutes(120));
  EXPECT_EQ(calls_.Seen().size(), 3u) << "no run after unregister";
}

TEST_F(ActivityTest, CheckingInAnUnknownActivityGivesEmptyCriteriaToFill) {
  __block bool criteria_was_empty = false;
  Register("com.example.checkin", XPC_ACTIVITY_CHECK_IN, ^(xpc_activity_t activity) {
    if (xpc_activity_get_state(activity) != XPC_ACTIVITY_STATE_CHECK_IN) return;
    xpc_object_t existing = xpc_activity_copy_criteria(activity);
    criteria_was_empty = existing != nullptr && xpc_dictionary_get_count(existing) == 0;
    xpc_release(existing);
    xpc_object_t criteria = Criteria({{XPC_ACTIVITY_DELAY, xpc_int64_create(60)}});
    xpc_activity_set_criteria(activity, criteria);
    xpc_release(criteria);
  });
  RunFor(seconds(61));
  EXPECT_TRUE(criteria_was_empty) << "activity.h: a new one is created with empty criteria";
  EXPECT_THAT(calls_.Seen(), ElementsAre("CHECK_IN@0", "RUN@60"));
}

TEST_F(ActivityTest, OnlyDeferContinueAndDoneMayBeSetAndOnlyWhileRunning) {
  __block std::vector<bool> results;
  xpc_object_t criteria = Criteria({});
  Register("com.example.states", criteria, ^(xpc_activity_t activity) {
    results.push_back(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_WAIT));
    results.push_back(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_RUN));
    results.push_back(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_CHECK_IN));
    results.push_back(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_CONTINUE));
    results.push_back(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_DONE));
  });
  xpc_release(criteria);
  RunUntilIdle();
  EXPECT_THAT(results, ElementsAre(false, false, false, true, true));
  ASSERT_NE(calls_.last, nullptr);
  EXPECT_EQ(xpc_activity_get_state(calls_.last), XPC_ACTIVITY_STATE_DONE);
  EXPECT_FALSE(xpc_activity_set_state(calls_.last, XPC_ACTIVITY_STATE_CONTINUE))
      << "nothing moves a completed activity";
  EXPECT_EQ(xpc_activity_copy_criteria(calls_.last), nullptr)
      << "activity.h: NULL once a non-repeating activity completed";
}

TEST_F(ActivityTest, ContinueKeepsTheActivityRunningAfterItsHandlerUntilDone) {
  __block xpc_activity_t held = nullptr;
  xpc_object_t criteria = Criteria({});
  Register("com.example.download", criteria, ^(xpc_activity_t activity) {
    EXPECT_TRUE(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_CONTINUE));
    held = static_cast<xpc_activity_t>(xpc_retain(activity));
  });
  xpc_release(criteria);
  RunFor(minutes(10));
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(State("com.example.download"), "CONTINUE");
  EXPECT_TRUE(xpc_activity_set_state(held, XPC_ACTIVITY_STATE_DONE));
  EXPECT_EQ(xpc_activity_get_state(held), XPC_ACTIVITY_STATE_DONE);
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@0")) << "CONTINUE: not invoked again meanwhile";
  xpc_release(held);
}

TEST_F(ActivityTest, AMaintenanceActivityWaitsOnBatteryAUtilityOneDoesNot) {
  world().SetDeviceConditions({.on_battery = true});
  xpc_object_t maintenance = Criteria({});
  Register("com.example.maintenance", maintenance);
  xpc_release(maintenance);
  xpc_object_t utility = Criteria(
      {{XPC_ACTIVITY_PRIORITY, xpc_string_create(XPC_ACTIVITY_PRIORITY_UTILITY)}});
  Register("com.example.utility", utility);
  xpc_release(utility);
  RunFor(minutes(5));
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@0")) << "activity.h: battery defaults by priority";
  EXPECT_EQ(State("com.example.maintenance"), "WAIT");
  world().SetDeviceConditions({.on_battery = false});
  RunUntilIdle();
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@0", "RUN@300"));
}

TEST_F(ActivityTest, AllowBatteryAndScreenSleepAreHonoured) {
  world().SetDeviceConditions({.on_battery = true, .screen_asleep = false});
  xpc_object_t criteria = Criteria({{XPC_ACTIVITY_ALLOW_BATTERY, xpc_bool_create(true)},
                                    {XPC_ACTIVITY_REQUIRE_SCREEN_SLEEP, xpc_bool_create(true)}});
  Register("com.example.nightly", criteria);
  xpc_release(criteria);
  RunFor(minutes(1));
  EXPECT_THAT(calls_.Seen(), IsEmpty()) << "the screen is awake";
  world().SetDeviceConditions({.on_battery = true, .screen_asleep = true});
  RunUntilIdle();
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@60")) << "battery allowed, screen asleep";
}

TEST_F(ActivityTest, LowBatteryAndHeatHoldActivitiesBack) {
  world().SetDeviceConditions({.battery_level = 15, .thermal = ThermalState::kFair});
  xpc_object_t maintenance = Criteria({});
  Register("com.example.maintenance", maintenance);
  xpc_release(maintenance);
  xpc_object_t utility = Criteria(
      {{XPC_ACTIVITY_PRIORITY, xpc_string_create(XPC_ACTIVITY_PRIORITY_UTILITY)}});
  Register("com.example.utility", utility);
  xpc_release(utility);
  RunUntilIdle();
  // activity.h: maintenance needs 20% and a nominal thermal state; utility 10% and a fair one.
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@0"));
  EXPECT_EQ(State("com.example.maintenance"), "WAIT");
}

TEST_F(ActivityTest, TheSystemAsksARunningActivityToDeferAndItRunsAgainLater) {
  __block xpc_activity_t held = nullptr;
  xpc_object_t criteria = Criteria({{XPC_ACTIVITY_GRACE_PERIOD, xpc_int64_create(600)}});
  Register("com.example.index", criteria, ^(xpc_activity_t activity) {
    if (held == nullptr) {
      EXPECT_TRUE(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_CONTINUE));
      held = static_cast<xpc_activity_t>(xpc_retain(activity));
    }
  });
  xpc_release(criteria);
  RunUntilIdle();
  ASSERT_NE(held, nullptr);
  EXPECT_FALSE(xpc_activity_should_defer(held));
  EXPECT_TRUE(world().AskActivityToDefer("host", "com.example.index"));
  EXPECT_TRUE(xpc_activity_should_defer(held));
  EXPECT_TRUE(xpc_activity_set_state(held, XPC_ACTIVITY_STATE_DEFER));
  EXPECT_EQ(State("com.example.index"), "WAIT") << "activity.h: DEFER -> WAIT";
  RunFor(seconds(599));
  EXPECT_EQ(calls_.Seen().size(), 1u);
  RunFor(seconds(1));
  RunUntilIdle();
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@0", "RUN@600")) << "after its grace period";
  xpc_release(held);
}

TEST_F(ActivityTest, ShouldDeferSaysTrueWhenTheDeviceNoLongerMeetsTheCriteria) {
  __block xpc_activity_t held = nullptr;
  xpc_object_t criteria = Criteria({});
  Register("com.example.sync", criteria, ^(xpc_activity_t activity) {
    EXPECT_TRUE(xpc_activity_set_state(activity, XPC_ACTIVITY_STATE_CONTINUE));
    held = static_cast<xpc_activity_t>(xpc_retain(activity));
  });
  xpc_release(criteria);
  RunUntilIdle();
  ASSERT_NE(held, nullptr);
  world().SetDeviceConditions({.on_battery = true});
  EXPECT_TRUE(xpc_activity_should_defer(held)) << "maintenance, now on battery";
  EXPECT_TRUE(xpc_activity_set_state(held, XPC_ACTIVITY_STATE_DEFER));
  world().SetDeviceConditions({.on_battery = false});
  RunUntilIdle();
  EXPECT_EQ(calls_.Seen().size(), 2u) << "the next opportunity: the device changed";
  xpc_release(held);
}

TEST_F(ActivityTest, NewCriteriaForAnExistingIdentifierReplaceTheOldOnes) {
  xpc_object_t late = Criteria({{XPC_ACTIVITY_DELAY, xpc_int64_create(7200)}});
  Register("com.example.report", late);
  xpc_release(late);
  xpc_object_t soon = Criteria({{XPC_ACTIVITY_DELAY, xpc_int64_create(60)}});
  Register("com.example.report", soon);
  xpc_release(soon);
  RunFor(minutes(2));
  EXPECT_THAT(calls_.Seen(), ElementsAre("RUN@60"));
}

TEST_F(ActivityTest, MisuseIsReported) {
  ExpectMisuse("The criteria must be a dictionary");
  ExpectMisuse("The identifier and the handler must not be NULL");
  xpc_object_t not_a_dictionary = xpc_int64_create(1);
  xpc_activity_register("com.example.bad", not_a_dictionary, ^(xpc_activity_t) {});
  xpc_release(not_a_dictionary);
  xpc_activity_register(nullptr, XPC_ACTIVITY_CHECK_IN, ^(xpc_activity_t) {});
  EXPECT_EQ(Diagnostics().size(), 2u);
}

TEST_F(ActivityTest, AMistypedCriteriaKeyIsAWarning) {
  ExpectWarning("\"Interval\": expected int64, found string");
  xpc_object_t criteria = Criteria({{XPC_ACTIVITY_INTERVAL, xpc_string_create("hourly")}});
  Register("com.example.typo", criteria);
  xpc_release(criteria);
  RunUntilIdle();
}

// A job's plist declares its activity; when it comes due launchd launches the
// job, which checks in and runs it (activity.h, XPC_ACTIVITY_STATE_WAIT's note).
std::mutex g_job_mutex;
std::vector<std::string> g_job_calls;

int CleanupJobMain(int argc, char** argv) {
  xpc_activity_register("com.example.cleanup", XPC_ACTIVITY_CHECK_IN, ^(xpc_activity_t activity) {
    std::lock_guard lock(g_job_mutex);
    g_job_calls.push_back(ActivityStateName(xpc_activity_get_state(activity)));
  });
  dispatch_main();
}

TEST_F(ActivityTest, AnActivityInAJobsPlistLaunchesTheJobWhenItIsDue) {
  {
    std::lock_guard lock(g_job_mutex);
    g_job_calls.clear();
  }
  PlistFiles files;
  ASSERT_THAT(world().LoadLaunchdPlist(files.Binary("com.example.cleanup.plist", R"(
      <key>Label</key><string>com.example.cleanup</string>
      <key>Program</key><string>/usr/libexec/cleanup</string>
      <key>LaunchEvents</key><dict><key>com.apple.xpc.activity</key><dict>
        <key>com.example.cleanup</key>
        <dict><key>Interval</key><integer>86400</integer>
              <key>Priority</key><string>Maintenance</string></dict>
      </dict></dict>)"),
                                       CleanupJobMain),
              Loaded());
  RunFor(std::chrono::hours(11));
  EXPECT_EQ(world().JobLaunches("com.example.cleanup"), 0) << "due after half a day";
  RunFor(std::chrono::hours(1));
  RunUntilIdle();
  EXPECT_EQ(world().JobLaunches("com.example.cleanup"), 1);
  std::lock_guard lock(g_job_mutex);
  EXPECT_THAT(g_job_calls, ElementsAre("CHECK_IN", "RUN"));
}

}  // namespace
}  // namespace xpctest::testing
