// Sessions: creation, handlers, activation, sending, cancellation (S117–S125, P12).
#include <regex>

#include "conformance/session_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class SessionLifecycle : public SessionTest {};
XPCTEST_ON_BOTH_EXECUTORS(SessionLifecycle);

constexpr const char* kService = "com.example.sessions";

// S117: a session made without INACTIVE is active at once and can talk;
// reply_sync returns the reply +1 (S20, S122).
TEST_P(SessionLifecycle, S117SessionIsActiveOnCreationAndRepliesSync) {
  StartSessionListener(Spawn("service"), kService);
  xpc_rich_error_t error = nullptr;
  xpc_session_t session = xpc_session_create_mach_service(kService, nullptr, 0, &error);
  ASSERT_NE(session, nullptr) << DescriptionOf(error);
  EXPECT_EQ(xpc_get_type(session), XPC_TYPE_SESSION);
  xpc_object_t message = Message("ping");
  xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, message, &error);
  xpc_release(message);
  ASSERT_NE(reply, nullptr) << DescriptionOf(error);
  EXPECT_EQ(OpOf(reply), "ping");
  xpc_release(reply);
  xpc_session_cancel(session);
  RunUntilIdle();
  xpc_release(session);
}

// S117: a service nobody serves gives NULL and a +1 rich error.
TEST_P(SessionLifecycle, S117UnknownServiceGivesNullAndARichError) {
  xpc_rich_error_t error = nullptr;
  xpc_session_t session = xpc_session_create_xpc_service("com.example.nobody", nullptr, 0, &error);
  EXPECT_EQ(session, nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(xpc_get_type(error), XPC_TYPE_RICH_ERROR);
  EXPECT_THAT(DescriptionOf(error), HasSubstr("No such process"));
  EXPECT_FALSE(xpc_rich_error_can_retry(error));
  ReleaseIfAny(error);
}

// S117/S119: an INACTIVE session sends nothing until activated; a failed
// activation returns false with a rich error and runs the cancel handler.
TEST_P(SessionLifecycle, S119FailedActivationCancelsTheSession) {
  xpc_session_t session = xpc_session_create_mach_service("com.example.nobody", nullptr,
                                                          XPC_SESSION_CREATE_INACTIVE, nullptr);
  ASSERT_NE(session, nullptr);
  EventLog* log = &log_;
  xpc_session_set_cancel_handler(session, ^(xpc_rich_error_t e) { log->Add("cancel", e); });
  xpc_rich_error_t error = nullptr;
  EXPECT_FALSE(xpc_session_activate(session, &error));
  EXPECT_THAT(DescriptionOf(error), StartsWith("Session activation failed"));
  ReleaseIfAny(error);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  xpc_release(session);
}

// S118: handlers and the target queue can be set only while inactive; on an
// active session each is misuse, with libxpc's words.
TEST_P(SessionLifecycle, S118SettingHandlersOnAnActiveSessionIsMisuse) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  ASSERT_NE(session, nullptr);
  xpc_session_set_incoming_message_handler(session, ^(xpc_object_t) {});
  xpc_session_set_cancel_handler(session, ^(xpc_rich_error_t) {});
  xpc_session_set_target_queue(session, nullptr);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Session must be inactive to set the message handler, not Active",
                          "XPC API Misuse: Session must be inactive to set the cancel handler, not Active",
                          "XPC API Misuse: Session must be inactive to set the target queue, not Active"));
  misuse_.Clear();
}

TEST(SessionLifecycleDeathTest, S118SettingTheMessageHandlerOnAnActiveSessionAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        xpc_listener_t listener = xpc_listener_create("com.example.death", nullptr, 0,
                                                      ^(xpc_session_t peer) {
                                                        xpc_session_cancel(peer);
                                                      },
                                                      nullptr);
        xpc_session_t session =
            xpc_session_create_mach_service("com.example.death", nullptr, 0, nullptr);
        xpc_session_set_incoming_message_handler(session, ^(xpc_object_t) {});
        (void)listener;
      },
      "XPC API Misuse: Session must be inactive to set the message handler, not Active(.|\n)*"
      "xpc_session_set_incoming_message_handler");
}

// S119: activating twice is misuse; releasing a never-activated session too.
TEST_P(SessionLifecycle, S119SecondActivationAndReleaseWhileInactiveAreMisuse) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  xpc_rich_error_t error = nullptr;
  EXPECT_FALSE(xpc_session_activate(session, &error));
  ReleaseIfAny(error);
  xpc_session_t inactive =
      xpc_session_create_mach_service(kService, nullptr, XPC_SESSION_CREATE_INACTIVE, nullptr);
  xpc_release(inactive);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Session must be inactive to be activated, not Active",
                          "XPC API Misuse: Release of last reference on an inactive session."));
  misuse_.Clear();
}

// S120: sending on an inactive session is misuse (libxpc aborts); with a
// recorder the send returns a rich error.
TEST_P(SessionLifecycle, S120SendingOnAnInactiveSessionIsMisuse) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session =
      xpc_session_create_mach_service(kService, nullptr, XPC_SESSION_CREATE_INACTIVE, nullptr);
  xpc_object_t message = Message("early");
  xpc_rich_error_t error = xpc_session_send_message(session, message);
  xpc_release(message);
  EXPECT_NE(error, nullptr);
  ReleaseIfAny(error);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Session must be activated before sending messages, not Inactive"));
  misuse_.Clear();
  xpc_session_set_incoming_message_handler(session, ^(xpc_object_t) {});
  ASSERT_TRUE(xpc_session_activate(session, nullptr));
  xpc_session_cancel(session);
  RunUntilIdle();
  xpc_release(session);
}

// S120/P12: reply_async on a cancelled session is a warning (a simulated
// crash on macOS); the handler still gets (NULL, rich error) (S123).
TEST_P(SessionLifecycle, P12ReplyAsyncOnACancelledSessionIsAWarning) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  xpc_session_cancel(session);
  Cell<xpc_rich_error_t> failure;
  Cell<bool> got_reply;
  auto* failure_cell = &failure;
  auto* reply_cell = &got_reply;
  xpc_object_t message = Message("late");
  xpc_session_send_message_with_reply_async(session, message, ^(xpc_object_t reply, xpc_rich_error_t e) {
    reply_cell->set(reply != nullptr);
    if (e != nullptr) failure_cell->set(static_cast<xpc_rich_error_t>(xpc_retain(e)));
  });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return failure.get() != nullptr; }));
  EXPECT_FALSE(got_reply.get());
  EXPECT_THAT(DescriptionOf(failure.get()), HasSubstr("xpc_session_cancel"));
  ReleaseIfAny(failure.get());
  ASSERT_EQ(misuse_.Reports().size(), 1u);
  EXPECT_EQ(misuse_.Reports()[0].kind, DiagnosticKind::kWarning);
  EXPECT_THAT(misuse_.Headlines()[0], HasSubstr("cancelled session"));
  misuse_.Clear();
}

// S121: send_message returns NULL on success; messages arrive in order.
TEST_P(SessionLifecycle, S121SendMessageReturnsNullAndKeepsOrder) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  for (const char* op : {"one", "two", "three"}) {
    xpc_object_t message = Message(op);
    EXPECT_EQ(xpc_session_send_message(session, message), nullptr);
    xpc_release(message);
  }
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 3; }));
  std::vector<std::string> ops;
  for (xpc_object_t m : log_.For("peer")) ops.push_back(OpOf(m));
  EXPECT_THAT(ops, ElementsAre("one", "two", "three"));
}

// S122: reply_sync on the session's own target queue is misuse (unlike S84).
TEST_P(SessionLifecycle, S122ReplySyncOnTheTargetQueueIsMisuse) {
  StartSessionListener(Spawn("service"), kService);
  dispatch_queue_t queue = dispatch_queue_create("session.target", DISPATCH_QUEUE_SERIAL);
  xpc_session_t session =
      xpc_session_create_mach_service(kService, queue, 0, nullptr);
  ASSERT_NE(session, nullptr);
  Cell<int> outcome;  // 0 pending, 1 NULL with error, 2 other
  auto* outcome_cell = &outcome;
  dispatch_async(queue, ^{
    xpc_object_t message = Message("sync");
    xpc_rich_error_t error = nullptr;
    xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, message, &error);
    xpc_release(message);
    outcome_cell->set(reply == nullptr && error != nullptr ? 1 : 2);
    if (reply != nullptr) xpc_release(reply);
    if (error != nullptr) ReleaseIfAny(error);
  });
  ASSERT_TRUE(RunUntil([&] { return outcome.get() != 0; }));
  EXPECT_EQ(outcome.get(), 1);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Synchronous send on the session's own target queue."));
  misuse_.Clear();
  xpc_session_cancel(session);
  RunUntilIdle();
  xpc_release(session);
  dispatch_release(queue);
}

// S123: an async reply handler gets (reply, NULL), or (NULL, rich error)
// when the session is cancelled first (S124: pending replies get a rich error).
TEST_P(SessionLifecycle, S123AsyncReplyGetsExactlyOneOfReplyAndError) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  Cell<int> replies;
  auto* replies_cell = &replies;
  xpc_object_t message = Message("async");
  xpc_session_send_message_with_reply_async(session, message, ^(xpc_object_t reply, xpc_rich_error_t e) {
    if (reply != nullptr && e == nullptr && OpOf(reply) == "async") replies_cell->set(replies_cell->get() + 1);
  });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return replies.get() == 1; }));

  // A service that never answers: the pending reply learns of the cancel.
  fakes::runtime::Process& silent = Spawn("silent");
  xpc_listener_t quiet = nullptr;
  {
    fakes::runtime::ScopedProcess as(silent);
    quiet = xpc_listener_create("com.example.quiet", nullptr, 0, ^(xpc_session_t peer) {
      xpc_session_set_incoming_message_handler(peer, ^(xpc_object_t) {});
    }, nullptr);
  }
  xpc_session_t waiting = OpenSession("com.example.quiet");
  Cell<xpc_rich_error_t> failure;
  auto* failure_cell = &failure;
  xpc_object_t request = Message("never");
  xpc_session_send_message_with_reply_async(waiting, request, ^(xpc_object_t reply, xpc_rich_error_t e) {
    if (reply == nullptr && e != nullptr) failure_cell->set(static_cast<xpc_rich_error_t>(xpc_retain(e)));
  });
  xpc_release(request);
  RunUntilIdle();
  xpc_session_cancel(waiting);
  ASSERT_TRUE(RunUntil([&] { return failure.get() != nullptr; }));
  EXPECT_THAT(DescriptionOf(failure.get()), StartsWith("Session cancelled"));
  ReleaseIfAny(failure.get());
  xpc_listener_cancel(quiet);
  RunUntilIdle();
  xpc_release(quiet);
  misuse_.Clear();  // the unanswered request's P2 warning is not this test's subject
}

// S124: cancel is idempotent; the cancel handler runs once, with a rich
// error that says why and cannot be retried.
TEST_P(SessionLifecycle, S124CancelHandlerRunsOnceWithARichError) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  xpc_session_cancel(session);
  xpc_session_cancel(session);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  RunUntilIdle();
  EXPECT_EQ(log_.CountFor("cancel"), 1u);
  xpc_rich_error_t error = static_cast<xpc_rich_error_t>(log_.For("cancel")[0]);
  EXPECT_EQ(DescriptionOf(error),
            "Session cancelled: the session was cancelled by this process (xpc_session_cancel)");
  EXPECT_FALSE(xpc_rich_error_can_retry(error));
  xpc_object_t message = Message("after");
  xpc_rich_error_t refused = xpc_session_send_message(session, message);
  xpc_release(message);
  EXPECT_NE(refused, nullptr) << "S121: a cancelled session refuses to send";
  ReleaseIfAny(refused);
}

// S124: cancelling a session that was never activated is misuse.
TEST_P(SessionLifecycle, S124CancellingAnInactiveSessionIsMisuse) {
  xpc_session_t session =
      xpc_session_create_mach_service(kService, nullptr, XPC_SESSION_CREATE_INACTIVE, nullptr);
  xpc_session_cancel(session);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Session must be activated before it is cancelled, not Inactive"));
  misuse_.Clear();
  xpc_release(session);
  EXPECT_TRUE(misuse_.Headlines().empty());
}

// S135/S110: rich errors and sessions describe themselves.
TEST_P(SessionLifecycle, S135RichErrorsAndSessionsDescribeThemselves) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  char* text = xpc_session_copy_description(session);
  std::string masked = std::regex_replace(text, std::regex("0x[0-9a-f]+"), "0xADDR");
  free(text);
  EXPECT_EQ(masked, "<session: 0xADDR> { name = com.example.sessions, peer = false, state = Active, pid = 0 }");
  xpc_rich_error_t error = nullptr;
  EXPECT_EQ(xpc_session_create_mach_service("com.example.none", nullptr, 0, &error), nullptr);
  char* described = xpc_copy_description(error);
  EXPECT_THAT(described, HasSubstr("<rich_error: "));
  EXPECT_THAT(described, HasSubstr("can_retry = false"));
  free(described);
  ReleaseIfAny(error);
}

}  // namespace
}  // namespace xpctest::testing
