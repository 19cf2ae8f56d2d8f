// Message faults: delay, drop, hold, nth, probability, crashes; the trace.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::_;
using ::testing::InSequence;

class FaultsTest : public xpctest::Test {
 protected:
  bool deterministic() { return Options().executor == control::ExecutorKind::kDeterministic; }
  Service Adder() { return Serve("adder", AdderHandlePeer, {.mach_service = "com.example.adder"}); }
  static Object Add(int64_t a, int64_t b) { return Dict{{"op", "add"}, {"a", a}, {"b", b}}; }
};

bool HasFaultEntry(const std::vector<TraceEntry>& trace, const std::string& text) {
  for (const TraceEntry& entry : trace) {
    if (entry.kind == TraceKind::kFault && entry.text.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST_F(FaultsTest, DelayedReplyArrivesOnVirtualTime) {
  if (!deterministic()) GTEST_SKIP() << "virtual time is the deterministic executor's";
  Service adder = Adder();
  FaultHandle delay =
      Faults(world()).On(RepliesFrom("com.example.adder")).Delay(std::chrono::seconds(30));
  Client client = ConnectTo("com.example.adder");
  auto wall_start = std::chrono::steady_clock::now();
  EXPECT_THAT(client.SendSync(Add(2, 3)), HasInt64("sum", 5));
  EXPECT_GE(world().Now(), std::chrono::seconds(30));
  EXPECT_LT(std::chrono::steady_clock::now() - wall_start, std::chrono::seconds(5));
  EXPECT_EQ(delay.Applied(), 1);
}

TEST_F(FaultsTest, DelayKeepsPerConnectionOrder) {
  if (!deterministic()) GTEST_SKIP() << "virtual time is the deterministic executor's";
  MockService mock;
  Service service = Serve("ordered", mock.Handler());
  {
    InSequence in_order;
    EXPECT_CALL(mock, OnMessage(HasString("op", "first"))).WillOnce(Reply(Dict{{"n", 1}}));
    EXPECT_CALL(mock, OnMessage(HasString("op", "second"))).WillOnce(Reply(Dict{{"n", 2}}));
  }
  Faults(world()).On(RequestsTo(service).Matching(HasString("op", "first")))
      .Delay(std::chrono::seconds(10));
  Client client = Connect(service);
  PendingReply first = client.SendAsync(Dict{{"op", "first"}});
  PendingReply second = client.SendAsync(Dict{{"op", "second"}});
  EXPECT_THAT(second.Wait(), HasInt64("n", 2));
  EXPECT_TRUE(first.ready());
  EXPECT_THAT(first.Wait(), HasInt64("n", 1));
  EXPECT_GE(world().Now(), std::chrono::seconds(10));
}

TEST_F(FaultsTest, DroppedRequestIsNeverAnsweredButLaterOnesAre) {
  Service adder = Adder();
  FaultHandle drop = Faults(world()).On(RequestsTo("com.example.adder")).Times(1).Drop();
  Client client = ConnectTo("com.example.adder");
  PendingReply lost = client.SendAsync(Add(1, 1));
  EXPECT_THAT(client.SendSync(Add(2, 2)), HasInt64("sum", 4));
  RunUntilIdle();
  EXPECT_FALSE(lost.ready());
  EXPECT_EQ(drop.Applied(), 1);
  client.Cancel();
  EXPECT_THAT(lost.Wait(), IsInvalid());  // S69: the cancel ends the wait
}

TEST_F(FaultsTest, HeldRequestsWaitForRelease) {
  Service adder = Adder();
  FaultHandle hold = Faults(world()).On(RequestsTo("com.example.adder")).Times(1).Hold();
  Client client = ConnectTo("com.example.adder");
  PendingReply held = client.SendAsync(Add(1, 2));
  PendingReply behind = client.SendAsync(Add(3, 4));
  RunUntilIdle();
  EXPECT_FALSE(held.ready());
  EXPECT_FALSE(behind.ready()) << "a held message holds back the ones behind it";
  world().ReleaseHeldMessages();
  EXPECT_THAT(held.Wait(), HasInt64("sum", 3));
  EXPECT_THAT(behind.Wait(), HasInt64("sum", 7));
  EXPECT_EQ(hold.Applied(), 1);
}

TEST_F(FaultsTest, NthSelectsOnlyTheNthMatch) {
  Service adder = Adder();
  FaultHandle drop = Faults(world()).On(RequestsTo("com.example.adder")).Nth(2).Drop();
  Client client = ConnectTo("com.example.adder");
  PendingReply one = client.SendAsync(Add(1, 0));
  PendingReply two = client.SendAsync(Add(2, 0));
  PendingReply three = client.SendAsync(Add(3, 0));
  EXPECT_THAT(one.Wait(), HasInt64("sum", 1));
  EXPECT_THAT(three.Wait(), HasInt64("sum", 3));
  RunUntilIdle();
  EXPECT_FALSE(two.ready());
  EXPECT_EQ(drop.Applied(), 1);
  client.Cancel();
  EXPECT_THAT(two.Wait(), IsInvalid());
}

// Which of 20 requests a 50% drop rule with `seed` drops, in its own world.
std::vector<int> DroppedWithSeed(uint64_t seed) {
  control::World world({.executor = control::ExecutorKind::kDeterministic, .seed = seed});
  control::Process service = world.Spawn("com.example.echo");
  xpc_connection_t listener;
  {
    control::ScopedProcess as(service);
    listener = xpc_connection_create_mach_service("com.example.echo", nullptr,
                                                  XPC_CONNECTION_MACH_SERVICE_LISTENER);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
      if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) AdderHandlePeer((xpc_connection_t)peer);
    });
    xpc_connection_activate(listener);
  }
  control::MessageFault fault;
  fault.direction = control::MessageFault::Direction::kRequest;
  fault.service = "com.example.echo";
  fault.probability = 0.5;
  fault.action = control::MessageFault::Action::kDrop;
  world.AddFault(fault);
  xpc_connection_t client = xpc_connection_create_mach_service("com.example.echo", nullptr, 0);
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  static std::vector<int> answered;
  answered.clear();
  for (int i = 0; i < 20; ++i) {
    xpc_object_t request = xpc_dictionary_create(nullptr, nullptr, 0);
    xpc_dictionary_set_string(request, "op", "add");
    xpc_dictionary_set_int64(request, "a", i);
    xpc_connection_send_message_with_reply(client, request, nullptr, ^(xpc_object_t reply) {
      if (xpc_get_type(reply) == XPC_TYPE_DICTIONARY) {
        answered.push_back(static_cast<int>(xpc_dictionary_get_int64(reply, "sum")));
      }
    });
    xpc_release(request);
  }
  world.RunUntilIdle();
  std::vector<int> dropped;
  for (int i = 0; i < 20; ++i) {
    if (std::find(answered.begin(), answered.end(), i) == answered.end()) dropped.push_back(i);
  }
  xpc_connection_cancel(client);
  xpc_release(client);
  {
    control::ScopedProcess as(service);
    xpc_connection_cancel(listener);
    xpc_release(listener);
  }
  world.RunUntilIdle();
  return dropped;
}

TEST_F(FaultsTest, ProbabilityWithASeedIsReproducible) {
  if (!deterministic()) GTEST_SKIP() << "uses its own deterministic worlds";
  std::vector<int> first = DroppedWithSeed(42);
  std::vector<int> again = DroppedWithSeed(42);
  EXPECT_EQ(first, again);
  EXPECT_FALSE(first.empty());
  EXPECT_LT(first.size(), 20u);
}

// Each delay is drawn from the range with the world's seed; FIFO still holds.
TEST_F(FaultsTest, DelayRangeDrawsEachDelayWithinTheRange) {
  if (!deterministic()) GTEST_SKIP() << "measures virtual time";
  Service adder = Adder();
  Faults(world()).On(RepliesFrom(adder))
      .Delay(std::chrono::milliseconds(1), std::chrono::milliseconds(9));
  Client client = ConnectTo("com.example.adder");
  std::vector<std::chrono::nanoseconds> round_trips;
  for (int i = 0; i < 10; ++i) {
    std::chrono::nanoseconds start = world().Now();
    EXPECT_THAT(client.SendSync(Add(i, 1)), HasInt64("sum", i + 1));
    round_trips.push_back(world().Now() - start);
  }
  for (std::chrono::nanoseconds round_trip : round_trips) {
    EXPECT_GE(round_trip, std::chrono::milliseconds(1));
    EXPECT_LE(round_trip, std::chrono::milliseconds(9));
  }
  EXPECT_NE(*std::min_element(round_trips.begin(), round_trips.end()),
            *std::max_element(round_trips.begin(), round_trips.end()))
      << "ten draws from a 8 ms range are not all equal";
}

TEST_F(FaultsTest, CrashServiceAtTheThirdRequest) {
  Service adder = Adder();
  FaultHandle crash = Faults(world()).On(RequestsTo("com.example.adder")).Nth(3).CrashService();
  Client client = ConnectTo("com.example.adder");
  EXPECT_THAT(client.SendSync(Add(1, 0)), HasInt64("sum", 1));
  EXPECT_THAT(client.SendSync(Add(2, 0)), HasInt64("sum", 2));
  PendingReply three = client.SendAsync(Add(3, 0));
  EXPECT_THAT(three.Wait(), IsInterrupted());  // S62, S63
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_EQ(adder.process().state(), "crashed");
  EXPECT_EQ(crash.Applied(), 1);
  EXPECT_TRUE(HasFaultEntry(world().Trace(), "crash receiver request of requests to com.example.adder"));
}

std::atomic<int> g_peer_invalid{0};
std::atomic<int> g_peer_messages{0};

void CountInvalidPeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INVALID) ++g_peer_invalid;
    if (xpc_get_type(event) == XPC_TYPE_DICTIONARY) ++g_peer_messages;
  });
  xpc_connection_activate(peer);
}

TEST_F(FaultsTest, CrashClientInvalidatesTheServicePeer) {
  g_peer_invalid = 0;
  g_peer_messages = 0;
  control::Process app = world().Spawn("app");
  Service service = Serve("counter", CountInvalidPeer);
  FaultHandle crash = Faults(world()).On(RequestsTo(service).Matching(HasString("op", "bye")))
                          .CrashClient();
  Client client = ConnectFrom(app, service);
  client.Send(Dict{{"op", "hello"}});
  // The peer is active once it handled a message; a peer whose client ends
  // before the listener activated it never hears of it (S90).
  ASSERT_TRUE(RunUntil([] { return g_peer_messages.load() == 1; }));
  client.Send(Dict{{"op", "bye"}});
  EXPECT_TRUE(RunUntil([] { return g_peer_invalid.load() == 1; }));  // S93
  EXPECT_EQ(app.state(), "crashed");
  EXPECT_EQ(crash.Applied(), 1);
}

TEST_F(FaultsTest, AppliedFaultsAreInTheTrace) {
  Service adder = Adder();
  Faults(world()).On(RepliesFrom(adder)).Delay(std::chrono::milliseconds(1));
  Client client = ConnectTo("com.example.adder");
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_TRUE(HasFaultEntry(world().Trace(), "delay reply of replies from"));
}

TEST_F(FaultsTest, RemovedRulesNoLongerApply) {
  Service adder = Adder();
  FaultHandle drop = Faults(world()).On(AnyMessage()).Drop();
  drop.Remove();
  Client client = ConnectTo("com.example.adder");
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_EQ(drop.Applied(), 0);
}


// A delayed reply lost with its link (the client cancelled) takes its delay
// timer with it: the world is idle at once, not when the delay would have
// ended. On threads, RunUntilIdle (and so every test's teardown) used to
// wait the whole delay out; on the deterministic executor the clock jumped
// to it.
TEST_F(FaultsTest, ADelayedReplyLostWithItsLinkDoesNotKeepTheWorldBusy) {
  Service adder = Adder();
  Faults(world()).On(RepliesFrom("com.example.adder")).Delay(std::chrono::hours(1));
  Client client = ConnectTo("com.example.adder", "impatient");
  PendingReply pending = client.SendAsync(Add(2, 3));
  ASSERT_TRUE(RunUntil([this] { return HasFaultEntry(world().Trace(), "delay"); }));
  client.Cancel();
  EXPECT_THAT(pending.Wait(), IsInvalid()) << "S69: a cancelled request gets INVALID";
  RunUntilIdle();
  EXPECT_LT(world().Now(), std::chrono::hours(1));
  bool reported = false;
  for (const TraceEntry& entry : world().Trace()) {
    reported = reported || entry.text.find("lost in flight when the link broke: { sum = 5 }") !=
                               std::string::npos;
  }
  EXPECT_TRUE(reported) << world().TraceTail(10);
}

}  // namespace
}  // namespace xpctest::testing
