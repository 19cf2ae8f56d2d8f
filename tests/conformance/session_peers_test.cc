// Sessions across processes: no reconnection, interoperation with the
// connection API, and peer sessions cancelling their clients (S116, S125).
#include "conformance/session_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class SessionPeers : public SessionTest {};
XPCTEST_ON_BOTH_EXECUTORS(SessionPeers);

constexpr const char* kService = "com.example.peers";

// S116: when the service's process dies the session is cancelled — not
// interrupted — and it never reconnects, even to a relaunched service.
TEST_P(SessionPeers, S116SessionIsCancelledNotInterruptedWhenThePeerProcessDies) {
  fakes::runtime::Process& first = Spawn("service-1");
  StartSessionListener(first, kService);
  xpc_session_t session = OpenSession(kService);
  xpc_object_t message = Message("hello");
  xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, message, nullptr);
  ASSERT_NE(reply, nullptr);
  xpc_release(reply);
  first.End(fakes::runtime::ProcessEnd::kCrash);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  auto cause = static_cast<xpc_rich_error_t>(log_.For("cancel")[0]);
  EXPECT_EQ(DescriptionOf(cause), "Session cancelled: the remote connection went away");
  EXPECT_TRUE(xpc_rich_error_can_retry(cause)) << "a new session may reach a relaunched service";

  StartSessionListener(Spawn("service-2"), kService);
  RunUntilIdle();
  xpc_rich_error_t error = nullptr;
  EXPECT_EQ(xpc_session_send_message_with_reply_sync(session, message, &error), nullptr);
  EXPECT_THAT(DescriptionOf(error), StartsWith("Session cancelled"));
  ReleaseIfAny(error);
  xpc_release(message);
  RunUntilIdle();
  EXPECT_EQ(peer_sessions().size(), 1u) << "S116: nothing reconnected to the new service";
  EXPECT_EQ(log_.CountFor("cancel"), 1u);
}

// S116: a session can talk to a service that uses the connection API, and
// still never reconnects: the service cancelling its peer cancels the session.
TEST_P(SessionPeers, S116SessionTalksToAConnectionListener) {
  StartEchoListener(Spawn("service"), true, kService);
  RunUntilIdle();
  xpc_session_t session = OpenSession(kService);
  xpc_object_t message = Message("mixed");
  xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, message, nullptr);
  xpc_release(message);
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(OpOf(reply), "mixed");
  xpc_release(reply);
  ASSERT_EQ(peers().size(), 1u);
  xpc_connection_cancel(peers().at(0));
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("cancel") == 1; }));
  EXPECT_EQ(log_.CountFor("client"), 0u);
}

// S116: a connection client can talk to a listener that hands out sessions;
// the peer session's cancel reaches the client as INTERRUPTED (S70).
TEST_P(SessionPeers, S116ConnectionClientTalksToASessionListener) {
  StartSessionListener(Spawn("service"), kService);
  xpc_connection_t client = xpc_connection_create_mach_service(kService, nullptr, 0);
  EventLog* log = &log_;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) { log->Add("client", event); });
  xpc_connection_activate(client);
  xpc_object_t message = Message("classic");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(message);
  EXPECT_EQ(OpOf(reply), "classic");
  xpc_release(reply);
  ASSERT_EQ(peer_sessions().size(), 1u);
  xpc_session_cancel(peer_sessions().at(0));
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 1; }));
  EXPECT_EQ(log_.For("client").at(0), XPC_ERROR_CONNECTION_INTERRUPTED);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
}

// S116: the client cancelling its session cancels the service's peer session,
// whose cancel handler hears of it.
TEST_P(SessionPeers, S116ClientCancelCancelsThePeerSession) {
  fakes::runtime::Process& service = Spawn("service");
  EventLog* log = &log_;
  xpc_listener_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(service);
    listener = xpc_listener_create(kService, nullptr, 0, ^(xpc_session_t peer) {
      xpc_session_set_incoming_message_handler(peer, ^(xpc_object_t m) { log->Add("peer", m); });
      xpc_session_set_cancel_handler(peer, ^(xpc_rich_error_t e) { log->Add("peer-cancel", e); });
    }, nullptr);
  }
  xpc_session_t session = OpenSession(kService);
  xpc_object_t message = Message("bye");
  ReleaseIfAny(xpc_session_send_message(session, message));
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_session_cancel(session);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer-cancel") == 1; }));
  EXPECT_THAT(DescriptionOf(static_cast<xpc_rich_error_t>(log_.For("peer-cancel")[0])),
              HasSubstr("the remote connection went away"));
  xpc_listener_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S125: the service replies with create_reply + xpc_session_send_message;
// the client's process may be any simulated process.
TEST_P(SessionPeers, S125RepliesTravelBetweenSimulatedProcesses) {
  fakes::runtime::Process& service = Spawn("service");
  StartSessionListener(service, kService);
  fakes::runtime::Process& app = Spawn("app");
  xpc_object_t reply = nullptr;
  {
    fakes::runtime::ScopedProcess as(app);
    xpc_session_t session = xpc_session_create_mach_service(kService, nullptr, 0, nullptr);
    xpc_object_t message = Message("from-app");
    reply = xpc_session_send_message_with_reply_sync(session, message, nullptr);
    xpc_release(message);
    xpc_session_cancel(session);
    xpc_release(session);
  }
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(OpOf(reply), "from-app");
  xpc_release(reply);
  RunUntilIdle();
}

}  // namespace
}  // namespace xpctest::testing
