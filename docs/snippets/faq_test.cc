// docs/FAQ.md: every answer, as a test that runs on both executors.
#include <xpctest/xpctest.h>

#include <atomic>

// Replies to each request with its "n"; on {"push": true} it first sends the
// client a message of its own.
static void echo_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    if (xpc_dictionary_get_bool(message, "push")) {
      xpc_object_t event = xpc_dictionary_create(NULL, NULL, 0);
      xpc_dictionary_set_string(event, "event", "ping");
      xpc_connection_send_message(peer, event);
      xpc_release(event);
    }
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == NULL) return;
    xpc_dictionary_set_int64(reply, "n", xpc_dictionary_get_int64(message, "n"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

// The same service with the classic mistake: a fresh dictionary as its "reply".
static void fresh_dictionary_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create(NULL, NULL, 0);  // wrong: not tied to `message`
    xpc_dictionary_set_int64(reply, "n", xpc_dictionary_get_int64(message, "n"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using xpctest::CanRetry;
using xpctest::Client;
using xpctest::Dict;
using xpctest::HasInt64;
using xpctest::IsInterrupted;
using xpctest::IsInvalid;
using xpctest::IsMessage;
using xpctest::IsReply;
using xpctest::IsReplyTo;
using xpctest::IsRichError;
using xpctest::PendingReply;
using xpctest::Service;

constexpr const char* kEcho = "com.example.echo";

class Faq : public xpctest::Test {};

// --- INTERRUPTED or INVALID? ---

// S62, S63: the service's process died. A named connection gets INTERRUPTED,
// and so does the request in flight; the connection still works.
TEST_F(Faq, InterruptedMeansTheServiceWentAwayAndTheNamedConnectionStillWorks) {
  Service first = Serve("echo", echo_handle_peer, {.mach_service = kEcho});
  xpctest::Faults(world()).On(xpctest::RequestsTo(kEcho)).Nth(2).CrashService();
  Client client = ConnectTo(kEcho);
  client.SendSync(Dict{{"n", 1}});
  EXPECT_THAT(client.SendSync(Dict{{"n", 2}}), IsInterrupted());  // the service died at it
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  Service second = Serve("echo-again", echo_handle_peer, {.mach_service = kEcho});
  EXPECT_THAT(client.SendSync(Dict{{"n", 3}}), HasInt64("n", 3));  // resend your state here
}

// S64, S68, S69: INVALID is the end. Cancelling your own connection gives
// pending replies INVALID, then the event handler INVALID exactly once.
TEST_F(Faq, InvalidMeansThisConnectionIsOverForGood) {
  Service echo = Serve("echo", echo_handle_peer, {.mach_service = kEcho});
  Client client = ConnectTo(kEcho);
  client.SendSync(Dict{{"n", 1}});
  echo.Hang();
  PendingReply pending = client.SendAsync(Dict{{"n", 2}});
  client.Cancel();
  EXPECT_THAT(pending.Wait(), IsInvalid());
  EXPECT_THAT(client.NextEvent(), IsInvalid());
  echo.Resume();
  RunUntilIdle();
  // One INVALID for the pending reply, one final one for the event handler.
  EXPECT_THAT(client.Events(), testing::UnorderedElementsAre(IsReply(HasInt64("n", 1)),
                                                             IsInvalid(), IsInvalid()));
}

// P3: an endpoint connection cannot be re-created. After INTERRUPTED its
// sends fail with INVALID.
TEST_F(Faq, AnEndpointConnectionIsInterruptedThenInvalid) {
  Service echo = Serve("echo", echo_handle_peer);
  Client client = Connect(echo);
  client.SendSync(Dict{{"n", 1}});
  echo.Crash();
  EXPECT_THAT(client.NextEvent(), IsInterrupted());
  EXPECT_THAT(client.SendSync(Dict{{"n", 2}}), IsInvalid());
}

// --- Why must a reply come from xpc_dictionary_create_reply? ---

// S85, S86: the reply carries the request's identity, so it reaches the
// reply handler of that request.
TEST_F(Faq, AReplyFromCreateReplyAnswersItsRequest) {
  Service echo = Serve("echo", echo_handle_peer);
  Client client = Connect(echo);
  client.SendSync(Dict{{"n", 7}});
  EXPECT_THAT(client.Events(), testing::ElementsAre(IsReplyTo(HasInt64("n", 7), HasInt64("n", 7))));
}

// P2: a fresh dictionary is only a message. It reaches the client's event
// handler, the request is never answered, and the framework names the mistake.
TEST_F(Faq, AFreshDictionaryIsAMessageNotAReply) {
  ExpectWarning("replies must be made with xpc_dictionary_create_reply");
  Service wrong = Serve("wrong", fresh_dictionary_handle_peer);
  Client client = Connect(wrong);
  PendingReply pending = client.SendAsync(Dict{{"n", 7}});
  EXPECT_TRUE(client.WaitFor(IsMessage(HasInt64("n", 7))));
  RunUntilIdle();
  EXPECT_FALSE(pending.ready());
}

// --- Synchronous replies and deadlocks ---

// What the app's event handler saw when it waited for a reply inside itself.
struct NestedReply {
  std::atomic<int64_t> n{0};
};

// S75, S84: reply_sync inside the connection's own event handler can deadlock
// on macOS. Here it completes, and the framework warns about it.
TEST_F(Faq, ReplySyncInsideTheConnectionsOwnHandlerIsAWarning) {
  ExpectWarning("this can deadlock on macOS (S84)");
  Service echo = Serve("echo", echo_handle_peer, {.mach_service = kEcho});
  NestedReply nested;
  NestedReply* out = &nested;
  xpc_connection_t connection = xpc_connection_create_mach_service(kEcho, NULL, 0);
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
    xpc_dictionary_set_int64(request, "n", 2);
    xpc_object_t reply = xpc_connection_send_message_with_reply_sync(connection, request);  // S84
    out->n = xpc_dictionary_get_int64(reply, "n");
    xpc_release(reply);
    xpc_release(request);
  });
  xpc_connection_activate(connection);
  xpc_object_t push = xpc_dictionary_create(NULL, NULL, 0);
  xpc_dictionary_set_bool(push, "push", true);
  xpc_connection_send_message(connection, push);
  xpc_release(push);
  EXPECT_TRUE(RunUntil([&] { return nested.n.load() == 2; }));
  xpc_connection_cancel(connection);
  RunUntilIdle();
  xpc_release(connection);
}

// What a reply_sync on a session's own target queue returned.
struct SyncOutcome {
  std::atomic<bool> done{false};
  bool got_reply = false;
  bool got_error = false;
};

// S122: for sessions it is misuse, always; libxpc crashes on purpose.
TEST_F(Faq, ReplySyncOnASessionsOwnTargetQueueIsMisuse) {
  ExpectMisuse("Synchronous send on the session's own target queue");
  Service echo = Serve("echo", echo_handle_peer, {.mach_service = kEcho});
  dispatch_queue_t queue = dispatch_queue_create("com.example.app", DISPATCH_QUEUE_SERIAL);
  xpc_session_t session = xpc_session_create_mach_service(kEcho, queue, 0, NULL);
  SyncOutcome outcome;
  SyncOutcome* out = &outcome;
  dispatch_async(queue, ^{
    xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
    xpc_rich_error_t error = NULL;
    xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, request, &error);
    out->got_reply = reply != NULL;
    out->got_error = error != NULL;
    if (reply != NULL) xpc_release(reply);
    if (error != NULL) xpc_release(error);
    xpc_release(request);
    out->done = true;
  });
  ASSERT_TRUE(RunUntil([&] { return outcome.done.load(); }));
  EXPECT_FALSE(outcome.got_reply);
  EXPECT_TRUE(outcome.got_error);
  EXPECT_EQ(Diagnostics().at(0).kind, xpctest::DiagnosticKind::kXpcMisuse);
  xpc_session_cancel(session);
  RunUntilIdle();
  xpc_release(session);
  dispatch_release(queue);
}

// A reply that can never come: the request was lost (a fault drops it). On
// the deterministic executor the wait is reported as "deadlock:", with every
// blocked wait, and returns INVALID so that the test goes on.
TEST_F(Faq, AReplySyncThatCanNeverReturnIsReportedAsADeadlock) {
  if (xpctest::Options().executor != xpctest::control::ExecutorKind::kDeterministic) {
    GTEST_SKIP() << "on real threads this wait blocks forever, as on macOS";
  }
  ExpectMisuse("deadlock: ");
  Service echo = Serve("echo", echo_handle_peer, {.mach_service = kEcho});
  xpctest::Faults(world()).On(xpctest::RequestsTo(kEcho)).Drop();
  xpc_connection_t connection = xpc_connection_create_mach_service(kEcho, NULL, 0);
  xpc_connection_set_event_handler(connection, ^(xpc_object_t event) {});
  xpc_connection_activate(connection);
  xpc_object_t request = xpc_dictionary_create(NULL, NULL, 0);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(connection, request);
  EXPECT_EQ(reply, XPC_ERROR_CONNECTION_INVALID);
  ASSERT_EQ(Diagnostics().size(), 1u);
  EXPECT_EQ(Diagnostics()[0].kind, xpctest::DiagnosticKind::kDeadlock);
  EXPECT_THAT(Diagnostics()[0].headline,
              HasSubstr("xpc_connection_send_message_with_reply_sync can never return"));
  xpc_release(reply);
  xpc_release(request);
  xpc_connection_cancel(connection);
  RunUntilIdle();
  xpc_release(connection);
}

// --- Sessions never reconnect ---

// S116: a session ends with its peer. The cancel handler gets a rich error,
// never INTERRUPTED, and the session cannot be used again. It does not reach
// the next service; a new session does.
TEST_F(Faq, ASessionEndsWithItsServiceAndNeverReconnects) {
  Service first = Serve("echo", echo_handle_peer, {.mach_service = kEcho});
  Client session = ConnectSession(kEcho);
  EXPECT_THAT(session.SendSync(Dict{{"n", 1}}), HasInt64("n", 1));
  first.Crash();
  EXPECT_THAT(session.NextEvent(), AllOf(IsRichError(HasSubstr("Session cancelled")), CanRetry()));

  Service second = Serve("echo-again", echo_handle_peer, {.mach_service = kEcho});
  ExpectWarning("sent on a cancelled session");  // S120: a simulated crash on macOS
  EXPECT_THAT(session.SendSync(Dict{{"n", 2}}), IsRichError(HasSubstr("Session cancelled")));
  Client next = ConnectSession(kEcho);
  EXPECT_THAT(next.SendSync(Dict{{"n", 3}}), HasInt64("n", 3));
}

// --- Replaying a failing seed ---

// The world of every test runs on the executor and seed of the run
// (XPCTEST_EXECUTOR, XPCTEST_SEED, --xpctest_executor, --xpctest_seed): what
// a failure prints is what replays it.
TEST_F(Faq, EveryTestRunsOnTheExecutorAndSeedOfTheRun) {
  EXPECT_EQ(world().options().executor, xpctest::Options().executor);
  EXPECT_EQ(world().options().seed, xpctest::Options().seed);
}

// --- Seeing the trace ---

// Everything the world did is in its trace: what a failure prints the tail
// of, and what --xpctest_trace=FILE (or XPCTEST_TRACE) writes for every test,
// with a Mermaid sequence diagram.
TEST_F(Faq, TheTraceRecordsEverySendDeliveryAndReply) {
  Service echo = Serve("echo", echo_handle_peer);
  Client client = Connect(echo);
  client.SendSync(Dict{{"n", 1}});
  std::string trace = world().TraceTail(20);
  EXPECT_THAT(trace, HasSubstr("send: endpoint-client (anonymous): { n = 1 }"));
  EXPECT_THAT(trace, HasSubstr("deliver: peer (anonymous): { n = 1 }"));
  EXPECT_THAT(trace, HasSubstr("reply: endpoint-client (anonymous): { n = 1 }"));
  EXPECT_THAT(xpctest::MermaidSequenceDiagram(world().Trace()), HasSubstr("sequenceDiagram"));
}

}  // namespace
