// Process faults beyond a crash: launchd unloading a job (S65), and the
// system terminating a service, idle or busy (S66, S113).
#include <atomic>
#include <chrono>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using std::chrono::seconds;

std::atomic<int> g_termination_imminent{0};
std::atomic<int> g_messages_seen{0};

// Answers "slow" five seconds later (the reply is an open transaction until
// then, S113) and "add" at once; counts TERMINATION_IMMINENT.
void SlowAdderHandlePeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (event == XPC_ERROR_TERMINATION_IMMINENT) {
      ++g_termination_imminent;
      return;
    }
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    ++g_messages_seen;
    xpc_object_t reply = xpc_dictionary_create_reply(event);
    xpc_dictionary_set_int64(reply, "sum", xpc_dictionary_get_int64(event, "a") +
                                               xpc_dictionary_get_int64(event, "b"));
    const char* op = xpc_dictionary_get_string(event, "op");
    int64_t delay = op != nullptr && std::string_view(op) == "slow" ? 5 : 0;
    dispatch_after(dispatch_time(DISPATCH_TIME_NOW, delay * NSEC_PER_SEC),
                   dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0), ^{
                     xpc_connection_send_message(peer, reply);
                     xpc_release(reply);
                   });
  });
  xpc_connection_activate(peer);
}

class ProcessFaultsTest : public xpctest::Test {
 protected:
  void SetUp() override {
    g_termination_imminent = 0;
    g_messages_seen = 0;
  }
  bool deterministic() { return Options().executor == control::ExecutorKind::kDeterministic; }
  static Object Add(int64_t a, int64_t b) { return Dict{{"op", "add"}, {"a", a}, {"b", b}}; }
};

// S65: INTERRUPTED, then INVALID, and no relaunch.
TEST_F(ProcessFaultsTest, UnloadingAJobInterruptsThenInvalidatesItsNamedClients) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.adder"});
  Client client = ConnectTo("com.example.adder");
  EXPECT_THAT(client.SendSync(Add(1, 2)), HasInt64("sum", 3));
  ASSERT_TRUE(world().UnloadService("com.example.adder"));
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  EXPECT_EQ(adder.process().state(), "exited");
  EXPECT_THAT(client.SendSync(Add(1, 2)), IsInvalid()) << "S64: the connection is done";
  EXPECT_FALSE(world().UnloadService("com.example.adder")) << "nothing serves it any more";
}

int AdderMain(int, char**) {
  ListenAsAdder("com.example.unloadable");
  dispatch_main();
}

// S65: "nothing announces that it was loaded again" — an unloaded job is not
// launched on demand.
TEST_F(ProcessFaultsTest, AnUnloadedJobIsNotLaunchedAgain) {
  world().RegisterService("com.example.unloadable", AdderMain);
  Client first = ConnectTo("com.example.unloadable");
  EXPECT_THAT(first.SendSync(Add(2, 2)), HasInt64("sum", 4));
  ASSERT_TRUE(world().UnloadService("com.example.unloadable"));
  Client second = ConnectTo("com.example.unloadable");
  EXPECT_THAT(second.SendSync(Add(2, 2)), IsInvalid());
  EXPECT_EQ(world().ServiceLaunches("com.example.unloadable"), 1);
}

// S113: an idle service just exits; its named clients see INTERRUPTED (S62).
TEST_F(ProcessFaultsTest, TerminatingAnIdleServiceExitsItAtOnce) {
  Service adder = Serve("adder", SlowAdderHandlePeer, {.mach_service = "com.example.adder"});
  Client client = ConnectTo("com.example.adder");
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  // On threads the reply can arrive before the service's handler returns.
  RunUntilIdle();
  EXPECT_EQ(adder.process().transactions(), 0);
  adder.process().Terminate();
  EXPECT_EQ(adder.process().state(), "exited");
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_EQ(g_termination_imminent.load(), 0) << "nobody was busy: no warning needed";
}

// S66, S113: a busy service's peers hear TERMINATION_IMMINENT and receive
// nothing more; replies still go out; the last transaction's end exits it.
TEST_F(ProcessFaultsTest, TerminatingABusyServiceWaitsForItsLastTransaction) {
  if (!deterministic()) GTEST_SKIP() << "steps virtual time";
  Service adder = Serve("adder", SlowAdderHandlePeer, {.mach_service = "com.example.adder"});
  Client client = ConnectTo("com.example.adder");
  PendingReply slow = client.SendAsync(Dict{{"op", "slow"}, {"a", 20}, {"b", 22}});
  RunFor(seconds(1));
  ASSERT_EQ(g_messages_seen.load(), 1);
  EXPECT_EQ(adder.process().transactions(), 1) << "S113: the reply is not sent yet";

  adder.process().Terminate();
  PendingReply late = client.SendAsync(Add(1, 1));
  RunFor(seconds(1));
  EXPECT_EQ(g_termination_imminent.load(), 1);
  EXPECT_EQ(adder.process().state(), "running");
  EXPECT_EQ(g_messages_seen.load(), 1) << "S66: no more incoming messages";

  EXPECT_THAT(slow.Wait(), HasInt64("sum", 42)) << "S66: outgoing messages still go";
  EXPECT_TRUE(RunUntil([&] { return adder.process().state() == "exited"; }));
  EXPECT_THAT(late.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
}

// S113: xpc_transaction_begin/end keep a service alive by hand.
TEST_F(ProcessFaultsTest, AManualTransactionDelaysTheExit) {
  control::Process daemon = world().Spawn("daemon");
  {
    control::ScopedProcess as(daemon);
    xpc_transaction_begin();
  }
  daemon.Terminate();
  EXPECT_EQ(daemon.state(), "running");
  {
    control::ScopedProcess as(daemon);
    xpc_transaction_end();
  }
  EXPECT_EQ(daemon.state(), "exited");
}

// Regression: a request queued in a hung service that then crashed was
// sometimes reported (P2) as released without a reply while the process's
// queues were torn down (threaded executor, ~4 runs in 100).
TEST_F(ProcessFaultsTest, ARequestLostWithAHungServiceThatCrashesIsNotWarnedAbout) {
  for (int round = 0; round < 50; ++round) {
    std::string name = "com.example.echo." + std::to_string(round);
    Service echo = Serve("echo", AdderHandlePeer, {.mach_service = name});
    Client client = ConnectTo(name);
    ASSERT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
    echo.Hang();
    PendingReply lost = client.SendAsync(Add(2, 2));
    echo.Crash();
    EXPECT_THAT(lost.Wait(), IsInterrupted()) << "round " << round;  // S63
  }
}

}  // namespace
}  // namespace xpctest::testing
