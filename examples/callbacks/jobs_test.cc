// Bidirectional XPC: the app hands the jobs service an endpoint of its own
// listener, and the service calls the app back with progress.
#include <Block.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "xpctest/xpctest.h"

extern "C" {
#include "jobs_client.h"
#include "jobs_service.h"
}

namespace {

using ::testing::AllOf;
using ::testing::InSequence;
using xpctest::Array;
using xpctest::Client;
using xpctest::Dict;
using xpctest::HasEntry;
using xpctest::HasInt64;
using xpctest::HasString;
using xpctest::Service;
using xpctest::XpcEq;
using xpctest::control::Process;
using xpctest::control::ScopedProcess;

// How long the app takes to acknowledge each step: virtual time on the
// deterministic executor, short enough for real threads.
constexpr std::chrono::milliseconds kAckDelay{250};
constexpr int64_t kAckDelayNs = std::chrono::nanoseconds(kAckDelay).count();

// What the app's progress handler saw, from whichever thread it ran on.
struct Progress {
  struct Step {
    int64_t step, of;
    std::chrono::nanoseconds time;
  };
  void Record(int64_t step, int64_t of, std::chrono::nanoseconds time) {
    std::lock_guard lock(mutex);
    steps.push_back({step, of, time});
    count = steps.size();
  }
  std::vector<Step> Steps() {
    std::lock_guard lock(mutex);
    return steps;
  }
  std::mutex mutex;
  std::vector<Step> steps;
  std::atomic<size_t> count{0};
};

// What a job's completion reported.
struct Completion {
  std::atomic<bool> done{false};
  int64_t steps_done = -1;
  bool failed = false;
};

class JobsTest : public xpctest::Test {
 protected:
  // The daemon, in its own process, serving JOBS_MACH_SERVICE.
  JobsTest() : jobsd_(world().Spawn("jobsd")) {
    ScopedProcess as(jobsd_);
    jobs_ = jobs_service_create(JOBS_MACH_SERVICE);
  }

  void TearDown() override {
    if (jobsd_.alive()) {
      ScopedProcess as(jobsd_);
      jobs_service_cancel(jobs_);
    }
    xpctest::Test::TearDown();
  }

  // What the service reports about itself, asked from a fresh connection.
  xpctest::Object Status() {
    Client admin = ConnectTo(JOBS_MACH_SERVICE);
    return admin.SendSync(Dict{{"op", "status"}});
  }

  Process jobsd_;
  jobs_service_t jobs_ = nullptr;
};

// The app's listener is a MockService that takes kAckDelay to answer each
// step (ReplyAfter, on the world's clock): the service waits for each answer
// before it sends the next step.
TEST_F(JobsTest, TheServiceSendsTheNextStepOnlyAfterTheAppAnswered) {
  xpctest::MockService app_callbacks;
  Service callbacks = Serve("app", app_callbacks.Handler());
  {
    InSequence in_order;
    for (int64_t step = 1; step <= 3; step++) {
      EXPECT_CALL(app_callbacks, OnMessage(AllOf(HasString("event", "progress"),
                                                 HasString("job", "build"),
                                                 HasInt64("step", step), HasInt64("of", 3))))
          .WillOnce(xpctest::ReplyAfter(kAckDelay, Dict{{"ok", true}}));
    }
  }
  Client app = ConnectTo(JOBS_MACH_SERVICE);
  EXPECT_THAT(app.SendSync(Dict{{"op", "subscribe"}, {"callback", callbacks.endpoint()}}),
              HasEntry("subscribed", XpcEq(xpctest::Object::Adopt(xpc_bool_create(true)))));
  auto start = world().Now();
  EXPECT_THAT(app.SendSync(Dict{{"op", "run"}, {"job", "build"}, {"steps", 3}}),
              AllOf(HasString("job", "build"), HasInt64("steps_done", 3)));
  EXPECT_GE(world().Now() - start, 3 * kAckDelay) << "three answers, one after the other";
}

TEST_F(JobsTest, AJobWithoutSubscribersCompletesAtOnce) {
  Client app = ConnectTo(JOBS_MACH_SERVICE);
  EXPECT_THAT(app.SendSync(Dict{{"op", "run"}, {"job", "lint"}, {"steps", 5}}),
              HasInt64("steps_done", 5));
}

// A client cannot keep the service's queue busy for ever: with nobody
// subscribed every step is immediate, and fuzzing found that a job of
// 10^17 steps wedged the service (docs/fuzzing.md).
TEST_F(JobsTest, AJobOfMoreThanAThousandStepsIsRefused) {
  Client app = ConnectTo(JOBS_MACH_SERVICE);
  EXPECT_THAT(app.SendSync(Dict{{"op", "run"}, {"job", "huge"}, {"steps", 100'000}}),
              HasString("error", "a job needs a \"job\" name and 0 to 1000 \"steps\""));
  EXPECT_THAT(app.SendSync(Dict{{"op", "run"}, {"job", "most"}, {"steps", 1000}}),
              HasInt64("steps_done", 1000));
}

TEST_F(JobsTest, ASubscriptionWithoutAnEndpointIsRefused) {
  Client app = ConnectTo(JOBS_MACH_SERVICE);
  EXPECT_THAT(app.SendSync(Dict{{"op", "subscribe"}, {"callback", "not an endpoint"}}),
              HasString("error", "\"callback\" is not an endpoint"));
}

// The app's handler records each step and acknowledges it kAckDelay later
// (dispatch_after: virtual time on the deterministic executor).
TEST_F(JobsTest, TheAppIsCalledBackForEveryStepOfItsJob) {
  Process app = world().Spawn("app");
  Progress progress;
  Progress* seen = &progress;
  xpctest::control::World* w = &world();
  Completion completion;
  Completion* finished = &completion;
  jobs_client_t jobs;
  {
    ScopedProcess as(app);
    jobs = jobs_client_create(
        JOBS_MACH_SERVICE, ^(const char* job, int64_t step, int64_t of, dispatch_block_t ack) {
          seen->Record(step, of, w->Now());
          dispatch_block_t later = Block_copy(ack);
          dispatch_after(dispatch_time(DISPATCH_TIME_NOW, kAckDelayNs),
                         dispatch_get_global_queue(DISPATCH_QUEUE_PRIORITY_DEFAULT, 0), ^{
                           later();
                           Block_release(later);
                         });
        });
    ASSERT_TRUE(jobs_client_subscribe(jobs));
    jobs_client_run(jobs, "build", 3, ^(int64_t steps_done, const char* error) {
      finished->steps_done = steps_done;
      finished->failed = error != nullptr;
      finished->done = true;
    });
  }
  ASSERT_TRUE(RunUntil([&] { return completion.done.load(); }));
  EXPECT_FALSE(completion.failed);
  EXPECT_EQ(completion.steps_done, 3);
  std::vector<Progress::Step> steps = progress.Steps();
  ASSERT_EQ(steps.size(), 3u);
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(steps[i].step, i + 1);
    EXPECT_EQ(steps[i].of, 3);
    if (i > 0) {
      EXPECT_GE(steps[i].time - steps[i - 1].time, kAckDelay) << "step " << i + 1 << " came early";
    }
  }
  {
    ScopedProcess as(app);
    jobs_client_destroy(jobs);
  }
}

// P3: the app's process dies while the service waits for its answer. The
// service's connection to the app's listener (an endpoint connection) gets
// INTERRUPTED, and so does the step in flight (S63); the service drops the
// subscriber, and its own cancel brings the final INVALID (S68).
TEST_F(JobsTest, AnAppThatCrashesIsDroppedByTheService) {
  Process app = world().Spawn("app");
  Progress progress;
  Progress* seen = &progress;
  xpctest::control::World* w = &world();
  {
    ScopedProcess as(app);
    // This app never answers: it keeps the acknowledgement and crashes first.
    // What it kept is the crashed process's memory: never freed, as on macOS.
    static auto* kept_by_the_dead_app = new std::vector<dispatch_block_t>();
    std::vector<dispatch_block_t>* kept = kept_by_the_dead_app;
    jobs_client_t jobs = jobs_client_create(
        JOBS_MACH_SERVICE, ^(const char* job, int64_t step, int64_t of, dispatch_block_t ack) {
          seen->Record(step, of, w->Now());
          kept->push_back(Block_copy(ack));
        });
    ASSERT_TRUE(jobs_client_subscribe(jobs));
    jobs_client_run(jobs, "build", 3, ^(int64_t, const char*) {});
  }
  EXPECT_THAT(Status(), HasInt64("subscribers", 1));
  ASSERT_TRUE(RunUntil([&] { return progress.count.load() == 1; }));
  app.Crash();
  RunUntilIdle();
  xpctest::Object status = Status();
  EXPECT_THAT(status, AllOf(HasInt64("subscribers", 0),
                            HasEntry("callback_errors", XpcEq(Array{"Connection interrupted",
                                                                    "Connection invalid"}))));
  EXPECT_THAT(status, HasEntry("lost_acks", XpcEq(Array{"Connection interrupted"})));
  EXPECT_EQ(progress.count.load(), 1u) << "no step after the crash";
}

// S62: the app's named connection is interrupted when the service's process
// dies; the app subscribes again, which relaunches the service, and hears of
// the next job.
TEST_F(JobsTest, AfterTheServiceCrashesTheAppSubscribesAgain) {
  std::vector<Process> launches;
  std::vector<jobs_service_t> services;
  world().SetLauncher(JOBS_MACH_SERVICE, [&] {
    launches.push_back(world().Spawn("jobsd"));
    ScopedProcess as(launches.back());
    services.push_back(jobs_service_create(JOBS_MACH_SERVICE));
    return true;
  });
  Process app = world().Spawn("app");
  Progress progress;
  Progress* seen = &progress;
  xpctest::control::World* w = &world();
  Completion completion;
  Completion* finished = &completion;
  jobs_client_t jobs;
  {
    ScopedProcess as(app);
    jobs = jobs_client_create(
        JOBS_MACH_SERVICE, ^(const char* job, int64_t step, int64_t of, dispatch_block_t ack) {
          seen->Record(step, of, w->Now());
          ack();
        });
    ASSERT_TRUE(jobs_client_subscribe(jobs));
  }
  jobsd_.Crash();
  ASSERT_TRUE(RunUntil([&] {
    ScopedProcess as(app);
    return jobs_client_subscriptions(jobs) == 2;
  }));
  ASSERT_EQ(launches.size(), 1u);
  {
    ScopedProcess as(app);
    jobs_client_run(jobs, "build", 2, ^(int64_t steps_done, const char* error) {
      finished->steps_done = steps_done;
      finished->done = true;
    });
  }
  ASSERT_TRUE(RunUntil([&] { return completion.done.load(); }));
  EXPECT_EQ(completion.steps_done, 2);
  EXPECT_EQ(progress.count.load(), 2u);
  {
    ScopedProcess as(app);
    jobs_client_destroy(jobs);
  }
  world().RemoveLauncher(JOBS_MACH_SERVICE);
  {
    ScopedProcess as(launches[0]);
    jobs_service_cancel(services[0]);
  }
}

}  // namespace
