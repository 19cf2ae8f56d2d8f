// docs/processes-and-the-os.md: a daemon built as a service module sees its
// own pid and, on the deterministic executor, the virtual clock; a relaunch
// starts with fresh globals; what it logs is in the trace.
#include <unistd.h>

#include <xpctest/xpctest.h>

namespace {

using xpctest::Dict;
using xpctest::HasInt64;
using std::chrono::seconds;

constexpr char kDaemon[] = "com.example.counterd";

class ProcessesAndTheOsTest : public xpctest::Test {
 protected:
  bool deterministic() {
    return world().options().executor == xpctest::control::ExecutorKind::kDeterministic;
  }
};

TEST_F(ProcessesAndTheOsTest, ADaemonThatWarmsUpTenSecondsCostsNoRealTime) {
  if (!deterministic()) GTEST_SKIP() << "on threads the ten seconds are real";
  world().RegisterServiceModule(kDaemon, COUNTER_DAEMON_MODULE_PATH, {"10"});
  xpctest::Client client = ConnectTo(kDaemon);
  xpctest::Object reply = client.SendSync(Dict{{"op", "count"}});
  xpctest::control::Process daemon = world().ServiceProcess(kDaemon);
  EXPECT_THAT(reply, HasInt64("pid", daemon.pid()));  // getpid() in the daemon
  EXPECT_NE(daemon.pid(), getpid());                  // the test body: the real pid
  EXPECT_EQ(xpc_dictionary_get_uint64(reply.get(), "up_ns"), 10'000'000'000u);
  EXPECT_GE(world().Now(), seconds(10));
}

TEST_F(ProcessesAndTheOsTest, ARelaunchedDaemonStartsWithFreshGlobals) {
  world().RegisterServiceModule(kDaemon, COUNTER_DAEMON_MODULE_PATH);
  xpctest::Client client = ConnectTo(kDaemon);
  EXPECT_THAT(client.SendSync(Dict{{"op", "count"}}), HasInt64("count", 1));
  EXPECT_THAT(client.SendSync(Dict{{"op", "count"}}), HasInt64("count", 2));
  world().ServiceProcess(kDaemon).Crash();
  EXPECT_THAT(client.NextEvent(), xpctest::IsInterrupted());
  EXPECT_THAT(client.SendSync(Dict{{"op", "count"}}), HasInt64("count", 1));
}

TEST_F(ProcessesAndTheOsTest, WhatADaemonLogsIsInTheTrace) {
  world().RegisterServiceModule(kDaemon, COUNTER_DAEMON_MODULE_PATH);
  xpctest::Client client = ConnectTo(kDaemon);
  client.SendSync(Dict{{"op", "count"}});
  std::string expected = "default: request 1 from pid " + std::to_string(getpid());
  bool logged = false;
  for (const xpctest::TraceEntry& entry : world().Trace()) {
    if (entry.kind == xpctest::TraceKind::kLog && entry.text == expected) {
      logged = entry.pid == world().ServiceProcess(kDaemon).pid();
    }
  }
  EXPECT_TRUE(logged) << world().TraceTail(10);
}

}  // namespace
