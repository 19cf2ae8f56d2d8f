// Each simulated process sees its own OS (docs/processes-and-the-os.md):
// getpid() and the credentials calls answer as the process, its clocks are
// the executor's (virtual on the deterministic one), sleep() waits on that
// clock, and the host — the test body — sees the real machine throughout.
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <chrono>

#include <bsm/libbsm.h>
#include <mach/mach_time.h>
#include <xpctest/real_os.h>

#include "framework/os_services.h"
#include "xpctest/xpctest.h"

// S103: declared by hand in C++, as real code does, with no <xpc/private.h>.
extern "C" void xpc_dictionary_get_audit_token(xpc_object_t message, audit_token_t* token);

namespace xpctest::testing {
namespace {

using ::testing::AllOf;
using ::testing::Ge;
using ::testing::Le;
using std::chrono::seconds;

constexpr int64_t kNanosPerSecond = 1'000'000'000;

int64_t Int(const Object& reply, const char* key) {
  return xpc_dictionary_get_int64(reply.get(), key);
}

// CLOCK_MONOTONIC as the calling code sees it.
int64_t MonotonicNow() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec * kNanosPerSecond + now.tv_nsec;
}

bool Deterministic(control::World& world) {
  return world.options().executor == control::ExecutorKind::kDeterministic;
}

class SimulatedOsTest : public xpctest::Test {
 protected:
  SimulatedOsTest() { os_services_reset(); }
};

TEST_F(SimulatedOsTest, AServiceSeesItsOwnPidAndCredentials) {
  Identity daemon;
  daemon.credentials.euid = 0;
  daemon.credentials.egid = 80;
  world().RegisterService("com.example.report", os_services_sleeper_main, {}, daemon);
  Client client = ConnectTo("com.example.report");
  Object reply = client.SendSync(Dict{{"op", "report"}});
  control::Process service = world().ServiceProcess("com.example.report");
  EXPECT_EQ(Int(reply, "pid"), service.pid()) << "getpid() in a handler";
  EXPECT_EQ(os_services_sleeper_pid(), service.pid()) << "getpid() in main";
  EXPECT_EQ(Int(reply, "ppid"), 1) << "launched by launchd";
  EXPECT_EQ(Int(reply, "euid"), 0);
  EXPECT_EQ(Int(reply, "uid"), 0);
  EXPECT_EQ(Int(reply, "egid"), 80);
  EXPECT_EQ(Int(reply, "gid"), 80);
}

TEST_F(SimulatedOsTest, TheHostSeesTheRealPidAndCredentials) {
  xpctest::Service report = Serve("report", os_services_report_peer);
  Client client = Connect(report);
  EXPECT_NE(Int(client.SendSync(Dict{{"op", "report"}}), "pid"), getpid());
  EXPECT_EQ(getpid(), real_os::Pid());
  EXPECT_EQ(world().host().pid(), real_os::Pid());
  // Host code run by the executor (a work item of the host) is the host too.
  __block pid_t seen_in_host_queue = 0;
  dispatch_queue_t queue = dispatch_queue_create("com.example.host", DISPATCH_QUEUE_SERIAL);
  dispatch_sync(queue, ^{
    seen_in_host_queue = getpid();
  });
  dispatch_release(queue);
  EXPECT_EQ(seen_in_host_queue, real_os::Pid());
}

// P10: the token of the client, read by the service with a hand declaration.
TEST_F(SimulatedOsTest, AServiceReadsItsClientsAuditToken) {
  Identity user;
  user.credentials.euid = 501;
  user.credentials.egid = 20;
  control::Process app = world().Spawn("app", user);
  xpctest::Service report = Serve("report", os_services_report_peer);
  Client client = ConnectFrom(app, report);
  Object reply = client.SendSync(Dict{{"op", "report"}});
  EXPECT_EQ(Int(reply, "token_pid"), app.pid());
  EXPECT_EQ(Int(reply, "token_euid"), 501);
  EXPECT_EQ(Int(reply, "token_egid"), 20);
  EXPECT_EQ(Int(reply, "token_ruid"), 501);
  EXPECT_EQ(Int(reply, "token_rgid"), 20);
  EXPECT_EQ(Int(reply, "token_asid"), app.identity().credentials.asid);
}

TEST_F(SimulatedOsTest, AHandDeclaredAuditTokenCallLinksFromCpp) {
  xpctest::Service report = Serve("report", os_services_report_peer);
  Client client = Connect(report);
  Object reply = client.SendSync(Dict{{"op", "report"}});
  audit_token_t token;
  xpc_dictionary_get_audit_token(reply.get(), &token);
  EXPECT_EQ(audit_token_to_pid(token), report.process().pid()) << "the reply's sender";
}

TEST_F(SimulatedOsTest, AServiceReadsTheExecutorsClock) {
  xpctest::Service report = Serve("report", os_services_report_peer);
  Client client = Connect(report);
  int64_t real_before = real_os::MonotonicNanos();
  int64_t wall_before = real_os::WallNanos();
  Object first = client.SendSync(Dict{{"op", "report"}});
  int64_t real_after = real_os::MonotonicNanos();
  int64_t wall_after = real_os::WallNanos();
  if (!Deterministic(world())) {
    // Threaded: the real clocks, read in this order by the service.
    EXPECT_THAT(Int(first, "monotonic"), AllOf(Ge(real_before), Le(Int(first, "uptime_raw"))));
    EXPECT_THAT(Int(first, "mach_absolute"),
                AllOf(Ge(Int(first, "uptime_raw")), Le(real_after)));
    EXPECT_THAT(Int(first, "realtime"), AllOf(Ge(wall_before), Le(wall_after)));
    EXPECT_GE(Int(first, "time"), Int(first, "realtime") / kNanosPerSecond);
    return;
  }
  // Every monotonic clock is the one dispatch_time and mach_absolute_time read,
  // and virtual time stands still while a work item runs.
  EXPECT_EQ(Int(first, "uptime_raw"), Int(first, "monotonic"));
  EXPECT_EQ(Int(first, "mach_absolute"), Int(first, "monotonic"));
  EXPECT_EQ(Int(first, "time"), Int(first, "realtime") / kNanosPerSecond);
  EXPECT_EQ(Int(first, "timeofday"), Int(first, "realtime") / 1000);
  EXPECT_EQ(Int(first, "dispatch_now"), Int(first, "monotonic"));
  RunFor(seconds(30));
  Object second = client.SendSync(Dict{{"op", "report"}});
  EXPECT_EQ(Int(second, "monotonic") - Int(first, "monotonic"), 30 * kNanosPerSecond)
      << "virtual time, exactly";
  EXPECT_EQ(Int(second, "realtime") - Int(first, "realtime"), 30 * kNanosPerSecond);
  EXPECT_EQ(Int(second, "time") - Int(first, "time"), 30);
}

TEST_F(SimulatedOsTest, TheHostKeepsTheRealClockWhileTheWorldRunsVirtualTime) {
  // (Threaded, RunFor would let an hour of real time pass.)
  if (Deterministic(world())) RunFor(std::chrono::hours(1));
  int64_t before = real_os::MonotonicNanos();
  struct timespec monotonic;
  clock_gettime(CLOCK_MONOTONIC, &monotonic);
  uint64_t uptime_raw = clock_gettime_nsec_np(CLOCK_UPTIME_RAW);
  uint64_t mach = mach_absolute_time();
  int64_t after = real_os::MonotonicNanos();
  EXPECT_THAT(monotonic.tv_sec * kNanosPerSecond + monotonic.tv_nsec,
              AllOf(Ge(before), Le(after)));
  EXPECT_THAT(static_cast<int64_t>(uptime_raw), AllOf(Ge(before), Le(after)));
  EXPECT_THAT(static_cast<int64_t>(mach), AllOf(Ge(before), Le(after)));
}

// A signal handler that interrupts a service (a fuzzer's timeout alarm) reads
// the real machine inside a real_os::ScopedRealOs; the service's view comes
// back when the scope ends.
TEST_F(SimulatedOsTest, CodeInAScopedRealOsSeesTheRealMachineFromInsideAService) {
  if (Deterministic(world())) RunFor(std::chrono::hours(1));  // virtual time moves away
  struct Seen {
    pid_t pid_inside = 0, pid_after = 0;
    int64_t monotonic_inside = 0, monotonic_after = 0;
  } seen;
  xpctest::Service service = Serve("scoped", [out = &seen](xpc_connection_t peer) {
    xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
      {
        real_os::ScopedRealOs as_test_program;
        out->pid_inside = getpid();
        out->monotonic_inside = MonotonicNow();
      }
      out->pid_after = getpid();
      out->monotonic_after = MonotonicNow();
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      xpc_connection_send_message(peer, reply);
      xpc_release(reply);
    });
    xpc_connection_activate(peer);
  });
  Client client = Connect(service);
  int64_t before = real_os::MonotonicNanos();
  client.SendSync(Dict{{"op", "read"}});
  int64_t after = real_os::MonotonicNanos();
  EXPECT_EQ(seen.pid_inside, real_os::Pid());
  EXPECT_THAT(seen.monotonic_inside, AllOf(Ge(before), Le(after)));
  EXPECT_EQ(seen.pid_after, service.process().pid()) << "the service's view, after the scope";
  if (Deterministic(world())) {
    EXPECT_FALSE(seen.monotonic_after >= before && seen.monotonic_after <= after)
        << "the virtual clock, an hour on, after the scope";
  }
}

// A main that sleeps before it serves: virtual seconds on the deterministic
// executor (the client does not wait them out); real ones on the threaded
// executor, where this runs 1 s to spare CI.
TEST_F(SimulatedOsTest, AServiceMainThatSleepsThenServesKeepsItsPid) {
  std::string seconds_asleep = Deterministic(world()) ? "10" : "1";
  world().RegisterService("com.example.sleeper", os_services_sleeper_main, {seconds_asleep});
  Client client = ConnectTo("com.example.sleeper");
  Object reply = client.SendSync(Dict{{"op", "report"}});
  control::Process service = world().ServiceProcess("com.example.sleeper");
  EXPECT_EQ(os_services_sleeper_pid(), service.pid());
  EXPECT_EQ(os_services_sleeper_left(), 0u) << "sleep() slept it all";
  EXPECT_EQ(Int(reply, "pid"), service.pid());
  if (Deterministic(world())) EXPECT_GE(world().Now(), seconds(10));
}

// A process that ends while its main sleeps does not run the rest of main
// (P11), and its sleep ends at once, not at its deadline.
TEST_F(SimulatedOsTest, AServiceThatCrashesWhileItsMainSleepsNeverWakesUp) {
  world().RegisterService("com.example.sleeper", os_services_sleeper_main, {"10"});
  control::World* w = &world();
  std::chrono::nanoseconds crash_after =
      Deterministic(world()) ? std::chrono::nanoseconds(seconds(5)) : std::chrono::milliseconds(50);
  dispatch_after(dispatch_time(DISPATCH_TIME_NOW, crash_after.count()),
                 dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0), ^{
                   w->ServiceProcess("com.example.sleeper").Crash();
                 });
  auto start = world().Now();
  EXPECT_TRUE(world().LaunchService("com.example.sleeper"));
  EXPECT_EQ(world().ServiceProcess("com.example.sleeper").state(), "crashed");
  EXPECT_EQ(os_services_sleeper_woke(), 0) << "P11: the dead process's main never continues";
  if (Deterministic(world())) EXPECT_EQ(world().Now() - start, seconds(5));
}

// Threaded: a main that blocks before it serves runs on a thread of its own,
// so the client that launched it goes on.
TEST_F(SimulatedOsTest, AMainThatBlocksBeforeItServesDoesNotBlockItsClient) {
  if (Deterministic(world())) {
    GTEST_SKIP() << "one thread: a main runs before the lookup that launched it returns";
  }
  os_services_gate = dispatch_semaphore_create(0);
  world().RegisterService("com.example.gated", os_services_gated_main);
  Client client = ConnectTo("com.example.gated");  // launches it
  PendingReply pending = client.SendAsync(Dict{{"op", "report"}});
  EXPECT_FALSE(pending.ready());
  dispatch_semaphore_signal(os_services_gate);  // from this thread: it was not blocked
  EXPECT_EQ(Int(pending.Wait(), "pid"), world().ServiceProcess("com.example.gated").pid());
  dispatch_release(os_services_gate);
  os_services_gate = nullptr;
}

// S64, threaded: a PRIVILEGED lookup of a name that a user's process is still
// starting to serve finds, once it checks in, nobody in the system domain. The
// connection is invalid, and so is the reply of the send that waited for the
// check-in (it used to come back "interrupted", as if a peer had died).
TEST_F(SimulatedOsTest, S64APrivilegedRequestToAUserServiceStillStartingFailsAsInvalid) {
  if (Deterministic(world())) {
    GTEST_SKIP() << "one thread: a main runs before the lookup that launched it returns";
  }
  os_services_gate = dispatch_semaphore_create(0);
  Identity user;
  user.credentials.euid = 501;
  world().RegisterService("com.example.gated", os_services_gated_main, {}, user);
  control::Process app = world().Spawn("app", user);
  __block xpc_object_t reply = nullptr;
  dispatch_semaphore_t answered = dispatch_semaphore_create(0);
  xpc_connection_t connection;
  {
    control::ScopedProcess as(app);
    connection = xpc_connection_create_mach_service("com.example.gated", nullptr,
                                                    XPC_CONNECTION_MACH_SERVICE_PRIVILEGED);
    xpc_connection_set_event_handler(connection, ^(xpc_object_t) {});
    xpc_connection_activate(connection);
    xpc_object_t message = xpc_dictionary_create(nullptr, nullptr, 0);
    xpc_connection_send_message_with_reply(connection, message, nullptr, ^(xpc_object_t r) {
      reply = r;
      dispatch_semaphore_signal(answered);
    });
    xpc_release(message);
  }
  dispatch_semaphore_signal(os_services_gate);
  ASSERT_EQ(dispatch_semaphore_wait(answered, dispatch_time(DISPATCH_TIME_NOW, 10 * kNanosPerSecond)), 0);
  EXPECT_EQ(reply, XPC_ERROR_CONNECTION_INVALID);
  xpc_connection_cancel(connection);
  xpc_release(connection);
  dispatch_release(answered);
  dispatch_release(os_services_gate);
  os_services_gate = nullptr;
}

}  // namespace
}  // namespace xpctest::testing
