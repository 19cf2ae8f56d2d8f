// docs/fault-injection.md: every recipe, as a test of what the client (or the
// service) sees. Each runs on both executors; the ones that step virtual time
// skip on the threaded executor.
#include <xpctest/xpctest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <vector>

static const char kCalc[] = "com.example.calc";

// What the calculator's peers saw, for the recipes that say what the service
// sees. Reset by the fixture.
struct PeerLog {
  std::atomic<int> accepted{0};
  std::atomic<int> messages{0};
  std::atomic<int> invalid{0};
  std::atomic<int> interrupted{0};  // S93: never, for a peer
  std::atomic<int> termination_imminent{0};
  std::atomic<int> forbidden{0};
  // A "park" request's reply, made and not sent: an open transaction (S113).
  std::atomic<xpc_connection_t> parked_peer{NULL};
  std::atomic<xpc_object_t> parked_reply{NULL};

  void Reset() {
    accepted = messages = invalid = interrupted = termination_imminent = forbidden = 0;
    parked_peer = NULL;
    parked_reply = NULL;
  }
};
static PeerLog g_peers;

// The code under test: {op: "add", a, b} gets {sum, seen} (seen: how many
// messages the service had received, this one included), or {error} when a
// or b is not a number; {op: "park"} gets its reply only when the test says so.
static void calc_handle_peer(xpc_connection_t peer) {
  ++g_peers.accepted;
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INVALID) { ++g_peers.invalid; return; }
    if (event == XPC_ERROR_CONNECTION_INTERRUPTED) { ++g_peers.interrupted; return; }
    if (event == XPC_ERROR_TERMINATION_IMMINENT) { ++g_peers.termination_imminent; return; }
    if (event == XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT) { ++g_peers.forbidden; return; }
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(event);
    const char* op = xpc_dictionary_get_string(event, "op");
    if (reply != NULL && op != NULL && strcmp(op, "park") == 0) {
      g_peers.parked_peer = peer;
      g_peers.parked_reply = reply;  // sent by SendParkedReply()
      ++g_peers.messages;
      return;
    }
    int seen = ++g_peers.messages;
    if (reply == NULL) return;
    xpc_object_t a = xpc_dictionary_get_value(event, "a");
    xpc_object_t b = xpc_dictionary_get_value(event, "b");
    if (op == NULL || strcmp(op, "add") != 0) {
      xpc_dictionary_set_string(reply, "error", "unknown op");
    } else if (a == NULL || b == NULL || xpc_get_type(a) != XPC_TYPE_INT64 ||
               xpc_get_type(b) != XPC_TYPE_INT64) {
      xpc_dictionary_set_string(reply, "error", "a and b must be numbers");
    } else {
      xpc_dictionary_set_int64(reply, "sum", xpc_int64_get_value(a) + xpc_int64_get_value(b));
      xpc_dictionary_set_int64(reply, "seen", seen);
    }
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

// The calculator as a launchd job: launched when a client first looks the
// name up, and again after a crash.
static int calc_main(int argc, char** argv) {
  xpc_connection_t listener =
      xpc_connection_create_mach_service(kCalc, NULL, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) calc_handle_peer((xpc_connection_t)peer);
  });
  xpc_connection_activate(listener);
  dispatch_main();
}

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using std::chrono::seconds;
using xpctest::AnyMessage;
using xpctest::CanRetry;
using xpctest::Client;
using xpctest::ConnectionsTo;
using xpctest::Dict;
using xpctest::FaultHandle;
using xpctest::Faults;
using xpctest::HasInt64;
using xpctest::HasString;
using xpctest::IsInterrupted;
using xpctest::IsInvalid;
using xpctest::IsPeerForbidden;
using xpctest::IsRichError;
using xpctest::Object;
using xpctest::PendingReply;
using xpctest::RepliesFrom;
using xpctest::RequestsTo;
using xpctest::Service;
using xpctest::control::ExecutorKind;
using xpctest::control::Process;

Object Add(int64_t a, int64_t b) { return Dict{{"op", "add"}, {"a", a}, {"b", b}}; }

bool Deterministic() { return xpctest::Options().executor == ExecutorKind::kDeterministic; }

// Has `service` send the parked reply from a queue of its own, as the
// service's code would once its work is done.
void SendParkedReply(const Process& service) {
  xpctest::control::ScopedProcess as(service);
  dispatch_async(dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0), ^{
    xpc_object_t reply = g_peers.parked_reply.exchange(NULL);
    xpc_connection_send_message(g_peers.parked_peer.load(), reply);
    xpc_release(reply);  // S113: the reply's transaction ends
  });
}

class FaultRecipes : public xpctest::Test {
 protected:
  void SetUp() override { g_peers.Reset(); }
  Service Calc() { return Serve("calc", calc_handle_peer, {.mach_service = kCalc}); }
};

// --- Rules ---

// One chain, one rule: the third "write" crashes the service, adds are not
// counted, and the fault is in the trace.
TEST_F(FaultRecipes, ARuleCrashesTheServiceAtTheThirdWriteAndTheTraceSaysSo) {
  Service calc = Calc();
  FaultHandle crash =
      Faults(world()).On(RequestsTo(kCalc).Matching(HasString("op", "write"))).Nth(3).CrashService();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Dict{{"op", "write"}}), HasString("error", "unknown op"));
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_THAT(client.SendSync(Dict{{"op", "write"}}), HasString("error", "unknown op"));
  EXPECT_THAT(client.SendSync(Add(2, 2)), HasInt64("sum", 4));
  EXPECT_THAT(client.SendSync(Dict{{"op", "write"}}), IsInterrupted());
  EXPECT_EQ(calc.process().state(), "crashed");
  EXPECT_EQ(crash.Applied(), 1);
  EXPECT_THAT(world().TraceTail(50),
              HasSubstr("fault: crash receiver request of requests to com.example.calc that has "
                        "\"op\" (string) that is equal to \"write\" (match #3)"));
}

// FaultHandle::Remove() takes the rule away again.
TEST_F(FaultRecipes, ARemovedRuleNoLongerApplies) {
  Service calc = Calc();
  FaultHandle drop = Faults(world()).On(AnyMessage()).Drop();
  drop.Remove();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_EQ(drop.Applied(), 0);
}

// Without the framework: a control::MessageFault, and the world's own calls.
TEST_F(FaultRecipes, APlainMessageFaultWorksWithoutTheFramework) {
  Service calc = Calc();
  xpctest::control::MessageFault hold;
  hold.direction = xpctest::control::MessageFault::Direction::kRequest;
  hold.service = kCalc;
  hold.times = 1;
  hold.action = xpctest::control::MessageFault::Action::kHold;
  int id = world().AddFault(hold);
  Client client = ConnectTo(kCalc);
  PendingReply held = client.SendAsync(Add(1, 2));
  RunUntilIdle();
  EXPECT_FALSE(held.ready());
  EXPECT_EQ(world().FaultsApplied(id), 1);
  world().ReleaseHeldMessages();
  EXPECT_THAT(held.Wait(), HasInt64("sum", 3));
  world().RemoveFault(id);
  EXPECT_EQ(world().FaultsApplied(id), 0);
}

// --- Delay ---

// The reply comes d later on the world's clock: 30 virtual seconds, no wall time.
TEST_F(FaultRecipes, DelayDeliversTheReplyThirtyVirtualSecondsLater) {
  if (!Deterministic()) GTEST_SKIP() << "on the threaded executor the delay is real time";
  Service calc = Calc();
  FaultHandle slow = Faults(world()).On(RepliesFrom(kCalc)).Delay(seconds(30));
  Client client = ConnectTo(kCalc);
  std::chrono::nanoseconds sent = world().Now();
  EXPECT_THAT(client.SendSync(Add(2, 3)), HasInt64("sum", 5));
  EXPECT_EQ(world().Now() - sent, seconds(30));
  EXPECT_EQ(slow.Applied(), 1);
}

// S80: a delayed request holds back every request sent after it on the connection.
TEST_F(FaultRecipes, ADelayedRequestHoldsBackTheOnesSentAfterIt) {
  if (!Deterministic()) GTEST_SKIP() << "on the threaded executor the delay is real time";
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc).Matching(HasInt64("a", 1))).Delay(seconds(10));
  Client client = ConnectTo(kCalc);
  PendingReply first = client.SendAsync(Add(1, 1));
  PendingReply second = client.SendAsync(Add(2, 2));
  EXPECT_THAT(second.Wait(), HasInt64("sum", 4));
  EXPECT_EQ(world().Now(), seconds(10));
  EXPECT_TRUE(first.ready());
  EXPECT_THAT(first.Wait(), HasInt64("sum", 2));
}

// A delayed reply is lost with the link: the client gets what a crash gives it.
TEST_F(FaultRecipes, ADelayedReplyIsLostWhenTheServiceDies) {
  if (!Deterministic()) GTEST_SKIP() << "on the threaded executor the delay is real time";
  Service calc = Calc();
  Faults(world()).On(RepliesFrom(kCalc)).Delay(seconds(30));
  Client client = ConnectTo(kCalc);
  PendingReply pending = client.SendAsync(Add(1, 1));
  RunFor(seconds(1));
  ASSERT_EQ(g_peers.messages.load(), 1);
  calc.Crash();
  EXPECT_THAT(pending.Wait(), IsInterrupted());  // S63
  EXPECT_THAT(client.NextEvent(), IsInterrupted());  // S62
}

// --- Drop ---

// The dropped request's reply handler is not called until the client
// cancels (S69); later messages are delivered normally.
TEST_F(FaultRecipes, ADroppedRequestIsNeverAnsweredUntilTheClientCancels) {
  Service calc = Calc();
  FaultHandle drop = Faults(world()).On(RequestsTo(kCalc)).Times(1).Drop();
  Client client = ConnectTo(kCalc);
  PendingReply lost = client.SendAsync(Add(1, 1));
  EXPECT_THAT(client.SendSync(Add(2, 2)), HasInt64("sum", 4));
  RunUntilIdle();
  EXPECT_FALSE(lost.ready());
  EXPECT_EQ(g_peers.messages.load(), 1);
  EXPECT_EQ(drop.Applied(), 1);
  client.Cancel();
  EXPECT_THAT(lost.Wait(), IsInvalid());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
}

// S62, S63: a request whose reply was dropped waits until the service goes away.
TEST_F(FaultRecipes, ARequestWhoseReplyWasDroppedIsInterruptedWhenTheServiceGoesAway) {
  Service calc = Calc();
  Faults(world()).On(RepliesFrom(kCalc)).Times(1).Drop();
  Client client = ConnectTo(kCalc);
  PendingReply lost = client.SendAsync(Add(1, 1));
  ASSERT_TRUE(RunUntil([] { return g_peers.messages.load() == 1; }));
  RunUntilIdle();
  EXPECT_FALSE(lost.ready());
  calc.Crash();
  EXPECT_THAT(lost.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
}

// A reply_sync on a dropped request blocks; the deterministic executor
// reports the wait as a deadlock and returns INVALID.
TEST_F(FaultRecipes, AReplySyncOnADroppedRequestIsReportedAsADeadlock) {
  if (!Deterministic()) GTEST_SKIP() << "on real threads this wait blocks forever, as on macOS";
  ExpectMisuse("deadlock: ");
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Drop();
  xpc_connection_t connection = xpc_connection_create_mach_service(kCalc, NULL, 0);
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {});
  xpc_connection_activate(connection);
  Object request = Add(1, 1);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(connection, request.get());
  EXPECT_EQ(reply, XPC_ERROR_CONNECTION_INVALID);
  ASSERT_EQ(Diagnostics().size(), 1u);
  EXPECT_EQ(Diagnostics()[0].kind, xpctest::DiagnosticKind::kDeadlock);
  xpc_release(reply);
  xpc_connection_cancel(connection);
  RunUntilIdle();
  xpc_release(connection);
}

// --- Hold ---

// Nothing arrives, nor anything sent after it, until the release; then both
// are delivered in order.
TEST_F(FaultRecipes, AHeldRequestAndEverythingBehindItWaitForRelease) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Times(1).Hold();
  Client client = ConnectTo(kCalc);
  PendingReply held = client.SendAsync(Add(1, 2));
  PendingReply behind = client.SendAsync(Add(3, 4));
  RunUntilIdle();
  EXPECT_FALSE(held.ready());
  EXPECT_FALSE(behind.ready());
  EXPECT_EQ(g_peers.messages.load(), 0);
  world().ReleaseHeldMessages();
  EXPECT_THAT(held.Wait(), AllOf(HasInt64("sum", 3), HasInt64("seen", 1)));
  EXPECT_THAT(behind.Wait(), AllOf(HasInt64("sum", 7), HasInt64("seen", 2)));
}

// Messages still held when the link breaks are lost.
TEST_F(FaultRecipes, AHeldRequestIsLostWhenTheServiceCrashes) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Times(1).Hold();
  Client client = ConnectTo(kCalc);
  PendingReply held = client.SendAsync(Add(1, 2));
  RunUntilIdle();
  calc.Crash();
  EXPECT_THAT(held.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  world().ReleaseHeldMessages();
  RunUntilIdle();
  EXPECT_EQ(g_peers.messages.load(), 0);
}

// --- CrashService ---

// S62, S63: earlier replies stand, the third request and the event handler
// get INTERRUPTED, and the next send relaunches the job.
TEST_F(FaultRecipes, CrashServiceAtTheThirdRequestInterruptsItAndTheNextSendRelaunches) {
  world().RegisterService(kCalc, calc_main);
  Faults(world()).On(RequestsTo(kCalc)).Nth(3).CrashService();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 0)), HasInt64("sum", 1));
  EXPECT_THAT(client.SendSync(Add(2, 0)), HasInt64("sum", 2));
  EXPECT_THAT(client.SendSync(Add(3, 0)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_EQ(world().ServiceProcess(kCalc).state(), "crashed");
  EXPECT_THAT(client.SendSync(Add(4, 0)), HasInt64("sum", 4));
  EXPECT_EQ(world().ServiceLaunches(kCalc), 2);
}

// S63: every reply still pending at the crash gets INTERRUPTED.
TEST_F(FaultRecipes, CrashServiceInterruptsEveryReplyStillPending) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Nth(3).CrashService();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 0)), HasInt64("sum", 1));
  calc.Hang();  // the second request stays unanswered in the service
  PendingReply second = client.SendAsync(Add(2, 0));
  PendingReply third = client.SendAsync(Add(3, 0));
  EXPECT_THAT(second.Wait(), IsInterrupted());
  EXPECT_THAT(third.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
}

// P3: an endpoint client is interrupted and can never reconnect.
TEST_F(FaultRecipes, CrashServiceLeavesAnEndpointClientInvalidOnItsNextSend) {
  Service calc = Serve("calc", calc_handle_peer);
  Faults(world()).On(RequestsTo(calc)).Nth(2).CrashService();
  Client client = Connect(calc);
  EXPECT_THAT(client.SendSync(Add(1, 0)), HasInt64("sum", 1));
  EXPECT_THAT(client.SendSync(Add(2, 0)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.SendSync(Add(3, 0)), IsInvalid());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
}

// With AnyMessage() the crash applies to requests only: the first reply is
// not the second message counted.
TEST_F(FaultRecipes, WithAnyMessageCrashServiceCountsRequestsOnly) {
  Service calc = Calc();
  Faults(world()).On(AnyMessage()).Nth(2).CrashService();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 0)), HasInt64("sum", 1));
  EXPECT_THAT(client.SendSync(Add(2, 0)), IsInterrupted());
  EXPECT_EQ(calc.process().state(), "crashed");
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
}

// --- CrashClient ---

// S93, S70: the service's peer for a crashed client gets INVALID, never
// INTERRUPTED; the message it crashed at is not delivered.
TEST_F(FaultRecipes, CrashClientGivesTheServicesPeerInvalidNeverInterrupted) {
  Process app = world().Spawn("app");
  Service calc = Serve("calc", calc_handle_peer);
  FaultHandle crash =
      Faults(world()).On(RequestsTo(calc).Matching(HasString("op", "bye"))).CrashClient();
  Client client = ConnectFrom(app, calc);  // not the host process
  client.Send(Dict{{"op", "hello"}});
  // S90: the peer must be active before its client dies, or it hears nothing.
  ASSERT_TRUE(RunUntil([] { return g_peers.messages.load() == 1; }));
  client.Send(Dict{{"op", "bye"}});
  EXPECT_TRUE(RunUntil([] { return g_peers.invalid.load() == 1; }));
  EXPECT_EQ(app.state(), "crashed");
  EXPECT_EQ(crash.Applied(), 1);
  RunUntilIdle();
  EXPECT_EQ(g_peers.interrupted.load(), 0);
  EXPECT_EQ(g_peers.messages.load(), 1);
}

// --- CancelService ---

// S70: a named client is interrupted, for the pending reply and on its event
// handler, and its next send reaches a new peer; S68: the service's peer gets
// its own final INVALID.
TEST_F(FaultRecipes, CancelServiceInterruptsANamedClient) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Nth(2).CancelService();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_THAT(client.SendSync(Add(2, 2)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_TRUE(RunUntil([] { return g_peers.invalid.load() == 1; }));
  EXPECT_THAT(client.SendSync(Add(3, 3)), HasInt64("sum", 6));
  EXPECT_EQ(g_peers.accepted.load(), 2);
  EXPECT_EQ(g_peers.messages.load(), 2) << "the selected request is not delivered";
}

// P3: an endpoint client is interrupted, then its next send gets INVALID.
TEST_F(FaultRecipes, CancelServiceLeavesAnEndpointClientInvalidOnItsNextSend) {
  Service calc = Serve("calc", calc_handle_peer);
  Faults(world()).On(RequestsTo(calc)).Nth(2).CancelService();
  Client client = Connect(calc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_THAT(client.SendSync(Add(2, 2)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.SendSync(Add(3, 3)), IsInvalid());
  EXPECT_TRUE(RunUntil([] { return g_peers.invalid.load() == 1; }));
}

// S116: a session ends with a rich error.
TEST_F(FaultRecipes, CancelServiceEndsASession) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Nth(2).CancelService();
  Client session = ConnectSession(kCalc);
  EXPECT_THAT(session.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_THAT(session.SendSync(Add(2, 2)), IsRichError());
  EXPECT_THAT(session.NextEvent(), IsRichError(HasSubstr("Session cancelled")));
  EXPECT_TRUE(RunUntil([] { return g_peers.invalid.load() == 1; }));
}

// --- CancelClient ---

// S69, S70: the client's pending reply and its event handler get INVALID, and
// so does the service's peer.
TEST_F(FaultRecipes, CancelClientInvalidatesItsPendingReplyAndThePeer) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Nth(2).CancelClient();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_THAT(client.SendSync(Add(2, 2)), IsInvalid());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  EXPECT_TRUE(RunUntil([] { return g_peers.invalid.load() == 1; }));
  EXPECT_EQ(g_peers.interrupted.load(), 0);
}

// A session's cancel handler gets its rich error.
TEST_F(FaultRecipes, CancelClientEndsASession) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Nth(2).CancelClient();
  Client session = ConnectSession(kCalc);
  EXPECT_THAT(session.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_THAT(session.SendSync(Add(2, 2)), IsRichError());
  EXPECT_THAT(session.NextEvent(), IsRichError());
  EXPECT_TRUE(RunUntil([] { return g_peers.invalid.load() == 1; }));
}

// --- Mutate, ReplaceEntry, RemoveEntry ---

// S48: the receiver's copy changes, the sender's object never does; the
// service answers the bad request with an error reply.
TEST_F(FaultRecipes, ReplaceEntryChangesOnlyTheReceiversCopy) {
  Service calc = Calc();
  FaultHandle bad = Faults(world()).On(RequestsTo(kCalc)).Times(1).ReplaceEntry("a", "not a number");
  Client client = ConnectTo(kCalc);
  Object request = Add(1, 2);
  EXPECT_THAT(client.SendSync(request), HasString("error", "a and b must be numbers"));
  EXPECT_THAT(request, HasInt64("a", 1));
  EXPECT_THAT(client.SendSync(request), HasInt64("sum", 3));
  EXPECT_EQ(bad.Applied(), 1);
}

TEST_F(FaultRecipes, RemoveEntryGetsTheServicesErrorReply) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).RemoveEntry("op");
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 2)), HasString("error", "unknown op"));
  EXPECT_THAT(client.SendSync(Add(3, 4)), HasString("error", "unknown op"));
}

TEST_F(FaultRecipes, MutateRewritesTheMessageInFlight) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Mutate([](xpc_object_t message) {
    xpc_dictionary_set_int64(message, "b", 40);
  });
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(2, 0)), HasInt64("sum", 42));
}

// --- FailCodeSigning ---

// S115c: the reply handler gets PEER_CODE_SIGNING_REQUIREMENT instead of the
// reply, and so does the event handler, as the connection's final error.
TEST_F(FaultRecipes, FailCodeSigningOnAReplyGivesTheClientPeerForbidden) {
  Service calc = Calc();
  Faults(world()).On(RepliesFrom(kCalc)).FailCodeSigning();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), IsPeerForbidden());
  EXPECT_THAT(client.NextEvent(), IsPeerForbidden());
  RunUntilIdle();
  EXPECT_THAT(client.Events(), ::testing::ElementsAre(IsPeerForbidden(), IsPeerForbidden()));
}

// S126: a session ends with "Peer Forbidden", not retryable.
TEST_F(FaultRecipes, FailCodeSigningOnAReplyEndsASessionAsPeerForbidden) {
  Service calc = Calc();
  Faults(world()).On(RepliesFrom(kCalc)).FailCodeSigning();
  Client session = ConnectSession(kCalc);
  EXPECT_THAT(session.SendSync(Add(1, 1)), IsRichError(HasSubstr("Peer Forbidden")));
  EXPECT_THAT(session.NextEvent(), AllOf(IsRichError(HasSubstr("Peer Forbidden")), Not(CanRetry())));
}

// S115c: on requests, the service's peer finds the client fails its
// requirement: it gets PEER_CODE_SIGNING_REQUIREMENT instead of the message.
// The client's connection is interrupted, then invalid.
TEST_F(FaultRecipes, FailCodeSigningOnARequestForbidsTheServicesPeer) {
  Service calc = Calc();
  Faults(world()).On(RequestsTo(kCalc)).Nth(2).FailCodeSigning();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  EXPECT_THAT(client.SendSync(Add(2, 2)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  EXPECT_TRUE(RunUntil([] { return g_peers.forbidden.load() == 1; }));
  EXPECT_EQ(g_peers.messages.load(), 1);
}

// S133: the listener's requirement refuses the client: it never gets a peer,
// and its connection is interrupted, then invalid.
TEST_F(FaultRecipes, FailCodeSigningOnAConnectionNeverGivesTheClientAPeer) {
  Service calc = Calc();
  FaultHandle refuse = Faults(world()).On(ConnectionsTo(kCalc)).FailCodeSigning();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  EXPECT_EQ(refuse.Applied(), 1);
  RunUntilIdle();
  EXPECT_EQ(g_peers.accepted.load(), 0);
}

// --- Refuse ---

// S70: a named client is interrupted and may try again.
TEST_F(FaultRecipes, RefuseInterruptsANamedClientWhichMayTryAgain) {
  Service calc = Calc();
  FaultHandle refuse = Faults(world()).On(ConnectionsTo(kCalc)).Times(1).Refuse();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.SendSync(Add(2, 2)), HasInt64("sum", 4));
  EXPECT_EQ(refuse.Applied(), 1);
}

// P3: an endpoint client is interrupted, then invalid.
TEST_F(FaultRecipes, RefuseLeavesAnEndpointClientInvalidOnItsNextSend) {
  Service calc = Serve("calc", calc_handle_peer);
  Faults(world()).On(ConnectionsTo(calc)).Times(1).Refuse();
  Client client = Connect(calc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.SendSync(Add(2, 2)), IsInvalid());
}

TEST_F(FaultRecipes, RefuseEndsASession) {
  Service calc = Calc();
  Faults(world()).On(ConnectionsTo(kCalc)).Times(1).Refuse();
  Client session = ConnectSession(kCalc);
  EXPECT_THAT(session.SendSync(Add(1, 1)), IsRichError());
  EXPECT_THAT(session.NextEvent(), IsRichError(HasSubstr("Session cancelled")));
}

// --- Process faults ---

// S65: INTERRUPTED, then INVALID; the pending reply gets INTERRUPTED, later
// sends INVALID, and the name is not launched again.
TEST_F(FaultRecipes, UnloadingTheJobInterruptsThenInvalidatesItsNamedClients) {
  world().RegisterService(kCalc, calc_main);
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 2)), HasInt64("sum", 3));
  world().ServiceProcess(kCalc).Hang();  // the next request stays unanswered
  PendingReply pending = client.SendAsync(Add(2, 2));
  ASSERT_TRUE(world().UnloadService(kCalc));
  EXPECT_THAT(pending.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  EXPECT_THAT(client.SendSync(Add(3, 3)), IsInvalid());
  EXPECT_EQ(world().ServiceLaunches(kCalc), 1);
}

// S113: with no open transaction the process exits at once; S62: its named
// clients see INTERRUPTED.
TEST_F(FaultRecipes, TerminatingAnIdleServiceExitsItAtOnce) {
  Service calc = Calc();
  Client client = ConnectTo(kCalc);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  RunUntilIdle();  // the reply can come before the service's handler returns
  EXPECT_EQ(calc.process().transactions(), 0);
  calc.process().Terminate();
  EXPECT_EQ(calc.process().state(), "exited");
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_EQ(g_peers.termination_imminent.load(), 0);
}

// S66, S113: a busy process's peers get TERMINATION_IMMINENT and no more
// messages; its outgoing messages still go; it exits with its last transaction.
TEST_F(FaultRecipes, TerminatingABusyServiceWaitsForItsLastTransaction) {
  Service calc = Calc();
  Client client = ConnectTo(kCalc);
  PendingReply parked = client.SendAsync(Dict{{"op", "park"}});
  ASSERT_TRUE(RunUntil([] { return g_peers.messages.load() == 1; }));
  EXPECT_EQ(calc.process().transactions(), 1) << "the reply is made and not sent";

  calc.process().Terminate();
  EXPECT_TRUE(RunUntil([] { return g_peers.termination_imminent.load() == 1; }));
  EXPECT_EQ(calc.process().state(), "running");
  PendingReply late = client.SendAsync(Add(1, 1));
  RunUntilIdle();
  EXPECT_EQ(g_peers.messages.load(), 1) << "no more incoming messages";

  SendParkedReply(calc.process());
  EXPECT_THAT(parked.Wait(), Not(xpctest::XpcType(XPC_TYPE_ERROR)));
  EXPECT_TRUE(RunUntil([&calc] { return calc.process().state() == "exited"; }));
  EXPECT_THAT(late.Wait(), IsInterrupted());
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
}

// S113: xpc_transaction_begin/end count too.
TEST_F(FaultRecipes, AManualTransactionKeepsATerminatedProcessAlive) {
  Process daemon = world().Spawn("daemon");
  {
    xpctest::control::ScopedProcess as(daemon);
    xpc_transaction_begin();
  }
  EXPECT_EQ(daemon.transactions(), 1);
  daemon.Terminate();
  EXPECT_EQ(daemon.state(), "running");
  {
    xpctest::control::ScopedProcess as(daemon);
    xpc_transaction_end();
  }
  EXPECT_EQ(daemon.state(), "exited");
}

// --- Probability and seeds ---

// Which of 20 requests a 50% drop rule lets through, in a world of its own
// with `seed` (on the run's executor).
std::vector<int> AnsweredWithSeed(uint64_t seed) {
  xpctest::control::World world({.executor = xpctest::Options().executor, .seed = seed});
  Service calc(world, "calc", calc_handle_peer, {.mach_service = kCalc});
  Faults(world).On(RequestsTo(kCalc).Matching(HasInt64("b", 0))).Probability(0.5).Drop();
  Client client(world, xpc_connection_create_mach_service(kCalc, NULL, 0), "client");
  std::vector<PendingReply> pending;
  for (int i = 0; i < 20; ++i) pending.push_back(client.SendAsync(Add(i, 0)));
  // Not selected, so never dropped: once it is answered, every request before
  // it that got through was handled (S80); and once the world is idle, every
  // reply handler has run.
  EXPECT_THAT(client.SendSync(Add(0, 1)), HasInt64("sum", 1));
  world.RunUntilIdle();
  std::vector<int> answered;
  for (int i = 0; i < 20; ++i) {
    if (pending[i].ready()) answered.push_back(i);
  }
  client.Cancel();
  for (PendingReply& reply : pending) reply.Wait();  // the dropped ones: INVALID (S69)
  world.RunUntilIdle();
  return answered;
}

// The same seed faults the same messages.
TEST_F(FaultRecipes, TheSameSeedDropsTheSameRequests) {
  std::vector<int> first = AnsweredWithSeed(17);
  std::vector<int> again = AnsweredWithSeed(17);
  EXPECT_EQ(first, again);
  EXPECT_GT(first.size(), 0u);
  EXPECT_LT(first.size(), 20u);
}

}  // namespace
