// Peer requirements on sessions and listeners (S126, S133).
#include <cerrno>

#include "conformance/session_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class PeerRequirementSessions : public SessionTest {};
XPCTEST_ON_BOTH_EXECUTORS(PeerRequirementSessions);

constexpr const char* kService = "com.example.guarded";
constexpr const char* kTeam123 = "anchor apple generic and certificate leaf[subject.OU] = \"TEAM123\"";

// S126: a session requiring its service's team talks to the right service.
TEST_P(PeerRequirementSessions, S126SessionIsServedByTheRightTeam) {
  StartSessionListener(SpawnSigned("service", "TEAM123"), kService);
  xpc_session_t session = OpenSession(kService, nullptr, kTeam123);
  xpc_object_t message = Message("hi");
  xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, message, nullptr);
  xpc_release(message);
  ASSERT_NE(reply, nullptr);
  xpc_release(reply);
}

// S126: a reply from a service that fails the requirement cancels the
// session: the reply becomes (NULL, rich error) and the cancel handler hears
// "Peer Forbidden".
TEST_P(PeerRequirementSessions, S126SessionIsCancelledByAPeerWithTheWrongTeam) {
  StartSessionListener(SpawnSigned("impostor", "OTHER99"), kService);
  xpc_session_t session = OpenSession(kService, nullptr, kTeam123);
  xpc_object_t message = Message("hi");
  xpc_rich_error_t error = nullptr;
  EXPECT_EQ(xpc_session_send_message_with_reply_sync(session, message, &error), nullptr);
  xpc_release(message);
  EXPECT_THAT(DescriptionOf(error), StartsWith("Peer Forbidden: peer pid "));
  EXPECT_FALSE(xpc_rich_error_can_retry(error));
  ReleaseIfAny(error);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  EXPECT_THAT(DescriptionOf(static_cast<xpc_rich_error_t>(log_.For("cancel")[0])),
              HasSubstr("does not satisfy the peer requirement"));
}

// S126: one requirement per session, and the prebuilt form only while inactive.
TEST_P(PeerRequirementSessions, S126RequirementMisuse) {
  StartSessionListener(Spawn("service"), kService);
  xpc_session_t session = OpenSession(kService, nullptr, kTeam123);
  EXPECT_EQ(xpc_session_set_peer_code_signing_requirement(session, "anchor apple"), EEXIST);
  xpc_peer_requirement_t requirement =
      xpc_peer_requirement_create_platform_identity(nullptr, nullptr);
  xpc_session_set_peer_requirement(session, requirement);
  xpc_release(requirement);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: A peer requirement has already been set on this session.",
                          "XPC API Misuse: Session must be inactive to set the peer requirement, not Active"));
  misuse_.Clear();
  xpc_session_t other = xpc_session_create_mach_service(kService, nullptr,
                                                        XPC_SESSION_CREATE_INACTIVE, nullptr);
  EXPECT_EQ(xpc_session_set_peer_code_signing_requirement(other, "anchor apple ("), EINVAL);
  xpc_session_set_incoming_message_handler(other, ^(xpc_object_t) {});
  ASSERT_TRUE(xpc_session_activate(other, nullptr));
  xpc_session_cancel(other);
  RunUntilIdle();
  xpc_release(other);
}

// S133: a listener requiring its team serves a client session with the right
// team and refuses one with the wrong team before its handler sees it; the
// refused session is cancelled.
TEST_P(PeerRequirementSessions, S133ListenerServesTheRightTeamAndRefusesTheWrongOne) {
  StartSessionListener(SpawnSigned("service", "TEAM123"), kService, kTeam123);
  fakes::runtime::Process& ours = SpawnSigned("our-app", "TEAM123");
  fakes::runtime::Process& theirs = SpawnSigned("their-app", "OTHER99");
  xpc_object_t message = Message("hi");
  {
    fakes::runtime::ScopedProcess as(ours);
    xpc_session_t session = OpenSession(kService);
    xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, message, nullptr);
    EXPECT_NE(reply, nullptr);
    ReleaseIfAny(reply);
  }
  EXPECT_EQ(peer_sessions().size(), 1u);
  {
    fakes::runtime::ScopedProcess as(theirs);
    xpc_session_t session = OpenSession(kService);
    xpc_rich_error_t error = nullptr;
    EXPECT_EQ(xpc_session_send_message_with_reply_sync(session, message, &error), nullptr);
    EXPECT_THAT(DescriptionOf(error), HasSubstr("the peer refused this process"));
    ReleaseIfAny(error);
  }
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  EXPECT_EQ(peer_sessions().size(), 1u) << "S133: the refused client never reached the handler";
  EXPECT_EQ(log_.CountFor("peer"), 1u);
}

// S133/S115c: a connection client refused by a listener's requirement sees
// INTERRUPTED then INVALID.
TEST_P(PeerRequirementSessions, S133RefusedConnectionClientSeesInterruptedThenInvalid) {
  StartSessionListener(SpawnSigned("service", "TEAM123"), kService, kTeam123);
  fakes::runtime::ScopedProcess as(SpawnSigned("their-app", "OTHER99"));
  xpc_connection_t client = xpc_connection_create_mach_service(kService, nullptr, 0);
  EventLog* log = &log_;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) { log->Add("client", event); });
  xpc_connection_activate(client);
  xpc_object_t message = Message("hi");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 2; }));
  EXPECT_THAT(log_.For("client"),
              ElementsAre(XPC_ERROR_CONNECTION_INTERRUPTED, XPC_ERROR_CONNECTION_INVALID));
  EXPECT_TRUE(peer_sessions().empty());
  xpc_release(client);
}

// S133: the prebuilt form may only be set on an inactive listener; the
// listener's requirement is set once.
TEST_P(PeerRequirementSessions, S133ListenerRequirementMisuse) {
  xpc_listener_t listener = StartSessionListener(Spawn("service"), kService, "anchor apple");
  EXPECT_EQ(xpc_listener_set_peer_code_signing_requirement(listener, "anchor apple"), EEXIST);
  xpc_peer_requirement_t requirement =
      xpc_peer_requirement_create_entitlement_exists("com.example.e", nullptr);
  xpc_listener_set_peer_requirement(listener, requirement);
  xpc_release(requirement);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: A peer requirement has already been set on this listener.",
                          "XPC API Misuse: Listener must be inactive to set the peer requirement, not Active"));
  misuse_.Clear();
}

// S126/S129: a peer session given a requirement in the listener's handler
// drops the failing client's first message, and both sessions end.
TEST_P(PeerRequirementSessions, S126PeerSessionRequirementSetInTheHandler) {
  EventLog* log = &log_;
  xpc_listener_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(SpawnSigned("service", "TEAM123"));
    listener = xpc_listener_create(kService, nullptr, 0, ^(xpc_session_t peer) {
      xpc_peer_requirement_t requirement =
          xpc_peer_requirement_create_team_identity(nullptr, nullptr);
      xpc_session_set_peer_requirement(peer, requirement);
      xpc_release(requirement);
      xpc_session_set_incoming_message_handler(peer, ^(xpc_object_t m) { log->Add("peer", m); });
      xpc_session_set_cancel_handler(peer, ^(xpc_rich_error_t e) { log->Add("peer-cancel", e); });
    }, nullptr);
  }
  {
    fakes::runtime::ScopedProcess as(SpawnSigned("their-app", "OTHER99"));
    xpc_session_t session = OpenSession(kService);
    xpc_object_t message = Message("sneak");
    ReleaseIfAny(xpc_session_send_message(session, message));
    xpc_release(message);
  }
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer-cancel") == 1 && log_.CountFor("cancel") == 1; }));
  EXPECT_EQ(log_.CountFor("peer"), 0u);
  EXPECT_THAT(DescriptionOf(static_cast<xpc_rich_error_t>(log_.For("peer-cancel")[0])),
              StartsWith("Peer Forbidden"));
  xpc_listener_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

}  // namespace
}  // namespace xpctest::testing
