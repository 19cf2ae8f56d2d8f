// Domains (simulated processes) and environments, on every executor.
#include <atomic>
#include <memory>

#include "dispatch/domain.h"
#include "dispatch/environment.h"
#include "dispatch_test_support.h"

namespace xpctest::testing {
namespace {

using fakes::dispatch::CurrentDomain;
using fakes::dispatch::Domain;
using fakes::dispatch::ScopedCurrentDomain;

class DispatchDomain : public DispatchFixture {};

TEST_P(DispatchDomain, MainAndGlobalQueuesArePerDomain) {
  Domain service("com.example.service", executor());
  dispatch_queue_t host_main = dispatch_get_main_queue();
  dispatch_queue_t service_main;
  dispatch_queue_t service_global;
  {
    ScopedCurrentDomain as_service(service);
    service_main = dispatch_get_main_queue();
    service_global = dispatch_get_global_queue(0, 0);
  }
  EXPECT_NE(host_main, service_main);
  EXPECT_EQ(service_main, service.main_queue());
  EXPECT_NE(service_global, dispatch_get_global_queue(0, 0));
}

TEST_P(DispatchDomain, WorkRunsAsItsQueuesDomain) {
  Domain service("com.example.service", executor());
  Domain* service_ptr = &service;
  dispatch_queue_t q;
  {
    ScopedCurrentDomain as_service(service);
    q = dispatch_queue_create("com.example.service.queue", DISPATCH_QUEUE_SERIAL);
  }
  __block Domain* async_domain = nullptr;
  __block Domain* sync_domain = nullptr;
  dispatch_semaphore_t done = dispatch_semaphore_create(0);
  dispatch_async(q, ^{
    async_domain = &CurrentDomain();
    dispatch_semaphore_signal(done);
  });
  ASSERT_TRUE(Await(done));
  dispatch_sync(q, ^{ sync_domain = &CurrentDomain(); });
  EXPECT_EQ(async_domain, service_ptr);
  EXPECT_EQ(sync_domain, service_ptr);
  EXPECT_EQ(&CurrentDomain(), &env_.host());
  dispatch_release(done);
  dispatch_release(q);
}

TEST_P(DispatchDomain, KilledDomainDiscardsPendingWorkTimersAndLaterSubmissions) {
  Domain service("com.example.service", executor());
  dispatch_queue_t q;
  {
    ScopedCurrentDomain as_service(service);
    q = dispatch_queue_create("com.example.service.queue", DISPATCH_QUEUE_SERIAL);
  }
  std::atomic<int> ran{0};
  std::atomic<int>* r = &ran;
  dispatch_group_t g = dispatch_group_create();
  dispatch_suspend(q);
  dispatch_group_async(g, q, ^{ r->fetch_add(1); });
  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 10 * NSEC_PER_MSEC), q, ^{ r->fetch_add(1); });
  service.Kill();
  dispatch_async(q, ^{ r->fetch_add(1); });
  __block bool sync_ran = false;
  dispatch_sync(q, ^{ sync_ran = true; });
  dispatch_resume(q);
  EXPECT_TRUE(Await(g)) << "discarded group work leaves the group";
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_FALSE(sync_ran);
  EXPECT_TRUE(service.killed());
  dispatch_release(g);
  dispatch_release(q);
}

// A killed domain's client blocks are abandoned, not released: what they hold
// stays as it was, as a dead process's memory just vanishes (and so
// LeakSanitizer does not report it).
TEST_P(DispatchDomain, KilledDomainAbandonsTheBlocksItDiscards) {
  Domain service("com.example.service", executor());
  dispatch_queue_t q;
  {
    ScopedCurrentDomain as_service(service);
    q = dispatch_queue_create("com.example.service.queue", DISPATCH_QUEUE_SERIAL);
  }
  auto held = std::make_shared<int>(7);
  dispatch_suspend(q);
  {
    std::shared_ptr<int> copy = held;
    dispatch_async(q, ^{ (void)*copy; });
  }
  EXPECT_EQ(held.use_count(), 2) << "the pending block holds a copy";
  service.Kill();
  EXPECT_EQ(held.use_count(), 2) << "the discarded block was abandoned, not released";
  dispatch_resume(q);
  executor().RunUntilIdle();
  dispatch_release(q);
}

TEST_P(DispatchDomain, PausedDomainKeepsItsWorkUntilResumed) {
  Domain service("com.example.service", executor());
  dispatch_queue_t q;
  {
    ScopedCurrentDomain as_service(service);
    q = dispatch_queue_create("com.example.service.queue", DISPATCH_QUEUE_SERIAL);
  }
  std::atomic<int> ran{0};
  std::atomic<int>* r = &ran;
  service.Pause();
  dispatch_async(q, ^{ r->fetch_add(1); });
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 0);
  service.Resume();
  executor().RunUntilIdle();
  EXPECT_EQ(ran.load(), 1);
  dispatch_release(q);
}

TEST_P(DispatchDomain, ExecutorTimersFireAsTheirDomainAndCanBeCancelled) {
  Domain service("com.example.service", executor());
  std::atomic<Domain*> fired_as{nullptr};
  std::atomic<int> cancelled_fired{0};
  // The timer to cancel is due an hour from now: cancelled long before it
  // could fire, however slowly this thread runs. (Both used to be due in
  // 5 ms, and on a loaded machine the second fired before its cancel.)
  auto now = executor().Now();
  executor().ScheduleTimer(service, now + std::chrono::milliseconds(5),
                           [&] { fired_as = &CurrentDomain(); });
  auto id = executor().ScheduleTimer(service, now + std::chrono::hours(1),
                                     [&] { cancelled_fired++; });
  EXPECT_TRUE(executor().CancelTimer(id));
  EXPECT_FALSE(executor().CancelTimer(id));
  executor().RunUntilIdle();
  EXPECT_EQ(fired_as.load(), &service);
  EXPECT_EQ(cancelled_fired.load(), 0);
}

TEST_P(DispatchDomain, ParkerWakesFromAnotherQueue) {
  fakes::dispatch::Parker parker(executor());
  fakes::dispatch::Parker* p = &parker;
  dispatch_queue_t q = dispatch_queue_create("com.example.unparker", DISPATCH_QUEUE_SERIAL);
  dispatch_async(q, ^{ p->Unpark(); });
  EXPECT_EQ(parker.Park(executor().Now() + std::chrono::seconds(10), "test", "an unpark"),
            fakes::dispatch::ParkResult::kUnparked);
  dispatch_release(q);
}

TEST_P(DispatchDomain, TraceHookSeesEveryItemWithItsQueueLabel) {
  auto* labels = new EventLog;
  executor().SetTraceHook(
      [labels](const fakes::dispatch::TraceEvent& e) { labels->Add(std::string(e.queue_label)); });
  dispatch_queue_t q = dispatch_queue_create("com.example.traced", DISPATCH_QUEUE_SERIAL);
  dispatch_async(q, ^{});
  dispatch_async(q, ^{});
  executor().RunUntilIdle();
  executor().SetTraceHook(nullptr);
  EXPECT_THAT(labels->Events(), ::testing::ElementsAre("com.example.traced", "com.example.traced"));
  dispatch_release(q);
  delete labels;
}

INSTANTIATE_TEST_SUITE_P(Executors, DispatchDomain, ::testing::ValuesIn(kExecutorParams),
                         ExecutorParamName);

// Two environments in a row see nothing of each other: work left pending in
// the first is discarded with it and never runs in the second.
TEST(DispatchEnvironment, TwoEnvironmentsInARowAreIsolated) {
  static std::atomic<int> ran{0};
  for (auto kind : {fakes::dispatch::ExecutorKind::kThreaded,
                    fakes::dispatch::ExecutorKind::kDeterministic}) {
    ran = 0;
    {
      fakes::dispatch::ScopedEnvironment first(fakes::dispatch::EnvironmentOptions{kind, 1, "first"});
      dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 3600 * NSEC_PER_SEC),
                     dispatch_get_main_queue(), ^{ ran++; });
      EXPECT_EQ(CurrentDomain().label(), "first");
    }
    fakes::dispatch::ScopedEnvironment second(fakes::dispatch::EnvironmentOptions{kind, 1, "second"});
    EXPECT_EQ(CurrentDomain().label(), "second");
    second.executor().RunFor(std::chrono::milliseconds(1));
    second.executor().RunUntilIdle();
    EXPECT_EQ(ran.load(), 0);
  }
}

TEST(DispatchEnvironment, ProcessEnvironmentSelectsExecutorAndSeed) {
  setenv("XPCTEST_EXECUTOR", "deterministic", 1);
  setenv("XPCTEST_SEED", "99", 1);
  auto options = fakes::dispatch::EnvironmentOptions::FromProcessEnvironment();
  unsetenv("XPCTEST_EXECUTOR");
  unsetenv("XPCTEST_SEED");
  EXPECT_EQ(options.kind, fakes::dispatch::ExecutorKind::kDeterministic);
  EXPECT_EQ(options.seed, 99u);
  EXPECT_EQ(fakes::dispatch::EnvironmentOptions::FromProcessEnvironment().kind,
            fakes::dispatch::ExecutorKind::kThreaded);
}

}  // namespace
}  // namespace xpctest::testing
