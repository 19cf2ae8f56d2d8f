// Listeners: creation, the incoming-session handler's duty, rejection,
// activation and cancellation (S128–S132, P1).
#include <regex>

#include "conformance/session_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class Listeners : public SessionTest {};
XPCTEST_ON_BOTH_EXECUTORS(Listeners);

constexpr const char* kService = "com.example.listener";

// S128/P1: a listener is active on creation and claims its name; the handler
// is given a peer session (S129) per client.
TEST_P(Listeners, S128ListenerIsActiveAndServesItsName) {
  xpc_listener_t listener = StartSessionListener(Spawn("service"), kService);
  char* text = xpc_listener_copy_description(listener);
  std::string masked = std::regex_replace(text, std::regex("0x[0-9a-f]+"), "0xADDR");
  free(text);
  EXPECT_EQ(masked, "<listener: 0xADDR> { name = com.example.listener, state = Active }");
  xpc_session_t first = OpenSession(kService);
  xpc_session_t second = OpenSession(kService);
  xpc_object_t message = Message("hi");
  for (xpc_session_t session : {first, second}) {
    xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, message, nullptr);
    ASSERT_NE(reply, nullptr);
    xpc_release(reply);
  }
  xpc_release(message);
  ASSERT_EQ(peer_sessions().size(), 2u);
  EXPECT_EQ(xpc_get_type(peer_sessions()[0]), XPC_TYPE_SESSION);
  EXPECT_NE(peer_sessions()[0], peer_sessions()[1]);
}

// S128: the handler is required.
TEST_P(Listeners, S128HandlerIsRequired) {
  xpc_rich_error_t error = nullptr;
  EXPECT_EQ(xpc_listener_create(kService, nullptr, 0, nullptr, &error), nullptr);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: The incoming session handler must not be NULL."));
  misuse_.Clear();
  ReleaseIfAny(error);
}

// P1/S128: a name already served gives NULL and a rich error.
TEST_P(Listeners, P1SecondListenerForATakenNameFails) {
  StartSessionListener(Spawn("first"), kService);
  xpc_rich_error_t error = nullptr;
  xpc_listener_t second = nullptr;
  {
    fakes::runtime::ScopedProcess as(Spawn("second"));
    second = xpc_listener_create(kService, nullptr, 0, ^(xpc_session_t peer) {
      xpc_session_cancel(peer);
    }, &error);
  }
  EXPECT_EQ(second, nullptr);
  EXPECT_THAT(DescriptionOf(error), HasSubstr("already served"));
  ReleaseIfAny(error);
}

// S129: a handler that neither sets a message handler nor cancels or
// rejects the peer is misuse; the peer is then cancelled, and with it the
// client's session.
TEST_P(Listeners, S129HandlerMustDecideAboutEachPeer) {
  xpc_listener_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    listener = xpc_listener_create(kService, nullptr, 0, ^(xpc_session_t) {}, nullptr);
  }
  xpc_session_t session = OpenSession(kService);
  xpc_object_t message = Message("anyone?");
  ReleaseIfAny(xpc_session_send_message(session, message));
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: The incoming session handler returned without setting "
                          "a message handler on the peer session, cancelling it or rejecting it."));
  misuse_.Clear();
  xpc_listener_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S130: rejecting a peer from the handler cancels it; the client's session
// is cancelled and the peer gets no message.
TEST_P(Listeners, S130RejectedPeerCancelsTheClientSession) {
  EventLog* log = &log_;
  xpc_listener_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    listener = xpc_listener_create(kService, nullptr, 0, ^(xpc_session_t peer) {
      log->Add("offered", peer);
      xpc_listener_reject_peer(peer, "not today");
    }, nullptr);
  }
  xpc_session_t session = OpenSession(kService);
  xpc_object_t message = Message("knock");
  ReleaseIfAny(xpc_session_send_message(session, message));
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  EXPECT_EQ(log_.CountFor("offered"), 1u);
  xpc_listener_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S130: only a peer the handler is deciding on can be rejected.
TEST_P(Listeners, S130RejectingOutsideTheHandlerIsMisuse) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService);
  xpc_object_t message = Message("m");
  ReleaseIfAny(xpc_session_send_message_with_reply_sync(session, message, nullptr));
  xpc_release(message);
  ASSERT_EQ(peer_sessions().size(), 1u);
  xpc_listener_reject_peer(peer_sessions()[0], "too late");
  xpc_listener_reject_peer(session, "not a peer");
  EXPECT_EQ(misuse_.Headlines().size(), 2u);
  EXPECT_THAT(misuse_.Headlines()[0], StartsWith("XPC API Misuse: Only a peer session given"));
  misuse_.Clear();
}

// S131: activating twice is misuse; releasing an inactive listener is misuse
// (P6); an inactive listener does not serve its name until activated.
TEST_P(Listeners, S131ActivationRules) {
  xpc_listener_t listener = xpc_listener_create(kService, nullptr, XPC_LISTENER_CREATE_INACTIVE,
                                                ^(xpc_session_t peer) { xpc_session_cancel(peer); },
                                                nullptr);
  xpc_rich_error_t error = nullptr;
  EXPECT_EQ(xpc_session_create_mach_service(kService, nullptr, 0, &error), nullptr)
      << "an inactive listener serves nothing";
  ReleaseIfAny(error);
  EXPECT_TRUE(xpc_listener_activate(listener, nullptr));
  EXPECT_FALSE(xpc_listener_activate(listener, nullptr));
  xpc_listener_t inactive = xpc_listener_create("com.example.other", nullptr,
                                                XPC_LISTENER_CREATE_INACTIVE,
                                                ^(xpc_session_t peer) { xpc_session_cancel(peer); },
                                                nullptr);
  xpc_release(inactive);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Listener must be inactive to be activated, not Active",
                          "XPC API Misuse: Release of last reference on an inactive listener."));
  misuse_.Clear();
  xpc_listener_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S132: after cancel the listener accepts no new session; existing peer
// sessions go on.
TEST_P(Listeners, S132CancelledListenerTakesNoNewSessions) {
  xpc_listener_t listener = StartSessionListener(Spawn("service"), kService);
  xpc_session_t before = OpenSession(kService);
  xpc_object_t message = Message("m");
  ReleaseIfAny(xpc_session_send_message_with_reply_sync(before, message, nullptr));
  xpc_listener_cancel(listener);
  RunUntilIdle();
  xpc_rich_error_t error = nullptr;
  EXPECT_EQ(xpc_session_create_mach_service(kService, nullptr, 0, &error), nullptr);
  ReleaseIfAny(error);
  xpc_object_t reply = xpc_session_send_message_with_reply_sync(before, message, nullptr);
  EXPECT_NE(reply, nullptr) << "existing peer sessions outlive the listener's cancel";
  if (reply != nullptr) xpc_release(reply);
  xpc_release(message);
}

}  // namespace
}  // namespace xpctest::testing
