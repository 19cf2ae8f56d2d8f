// Errors and cancellation (S60–S71, S93, S98, P3).
#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;

class ConnectionErrors : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionErrors);

// S60/S61: errors are singletons with one description key.
TEST(ConnectionErrorObjects, S61ErrorsCarryTheirDescriptions) {
  EXPECT_STREQ(xpc_dictionary_get_string(XPC_ERROR_CONNECTION_INTERRUPTED, XPC_ERROR_KEY_DESCRIPTION),
               "Connection interrupted");
  EXPECT_STREQ(xpc_dictionary_get_string(XPC_ERROR_CONNECTION_INVALID, XPC_ERROR_KEY_DESCRIPTION),
               "Connection invalid");
  EXPECT_EQ(xpc_get_type(XPC_ERROR_CONNECTION_INVALID), XPC_TYPE_ERROR);
}

// S68: cancel delivers exactly one final INVALID, then nothing.
TEST_P(ConnectionErrors, S68CancelDeliversExactlyOneInvalidThenSilence) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_connection_cancel(client);
  xpc_connection_cancel(client);  // S67: harmless
  xpc_object_t late = Message("late");
  xpc_connection_send_message(client, late);
  xpc_release(late);
  RunUntilIdle();
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") >= 1; }));
  RunUntilIdle();
  EXPECT_THAT(log_.For("client"), ElementsAre(XPC_ERROR_CONNECTION_INVALID));
  EXPECT_EQ(log_.CountFor("peer"), 0u);
}

// S69: cancelling fails pending replies with INVALID, and a send on a
// cancelled connection is answered at once with INVALID.
TEST_P(ConnectionErrors, S69CancelFailsPendingRepliesWithInvalid) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"), /*answer=*/false);
  xpc_connection_t client = ConnectClient(listener);
  Cell<xpc_object_t> first, second;
  auto* first_cell = &first;
  auto* second_cell = &second;
  xpc_object_t message = Message("wait");
  xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t r) { first_cell->set(r); });
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_connection_cancel(client);
  xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t r) { second_cell->set(r); });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return first.get() != nullptr && second.get() != nullptr; }));
  EXPECT_EQ(first.get(), XPC_ERROR_CONNECTION_INVALID);
  EXPECT_EQ(second.get(), XPC_ERROR_CONNECTION_INVALID);
  misuse_.Clear();  // the unanswered request's P2 warning is not this test's subject
}

// S62/S63: when the service process crashes, a named client gets INTERRUPTED,
// its pending replies get INTERRUPTED, and the connection stays usable: the
// next message reaches whoever serves the name now, on a new peer.
TEST_P(ConnectionErrors, S62NamedClientIsInterruptedByCrashAndReachesTheNextServer) {
  fakes::runtime::Process& first_service = Spawn("calc-1");
  StartEchoListener(first_service, /*answer=*/false, "com.example.calc");
  RunUntilIdle();
  xpc_connection_t client = xpc_connection_create_mach_service("com.example.calc", nullptr, 0);
  EventLog* log = &log_;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) { log->Add("client", event); });
  xpc_connection_activate(client);
  Cell<xpc_object_t> reply;
  auto* reply_cell = &reply;
  xpc_object_t message = Message("slow");
  xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t r) { reply_cell->set(r); });
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  first_service.End(fakes::runtime::ProcessEnd::kCrash);
  ASSERT_TRUE(RunUntil([&] { return reply.get() != nullptr && log_.CountFor("client") == 1; }));
  EXPECT_EQ(reply.get(), XPC_ERROR_CONNECTION_INTERRUPTED);
  EXPECT_EQ(log_.For("client").at(0), XPC_ERROR_CONNECTION_INTERRUPTED);

  StartEchoListener(Spawn("calc-2"), /*answer=*/true, "com.example.calc");
  RunUntilIdle();
  xpc_object_t answer = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(message);
  EXPECT_EQ(OpOf(answer), "slow");
  xpc_release(answer);
  EXPECT_EQ(peers().size(), 2u) << "S62: the relaunched service sees a new peer";
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
  misuse_.Clear();
}

// S93: a peer never sees INTERRUPTED; when its client's process dies it gets INVALID.
TEST_P(ConnectionErrors, S93PeerGetsInvalidWhenClientProcessDies) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  fakes::runtime::Process& app = Spawn("app");
  xpc_connection_t client = nullptr;
  {
    fakes::runtime::ScopedProcess as(app);
    client = ConnectClient(listener);
  }
  xpc_object_t message = Message("hello");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  app.End(fakes::runtime::ProcessEnd::kCrash);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 2; }));
  EXPECT_EQ(log_.For("peer").at(1), XPC_ERROR_CONNECTION_INVALID);
  EXPECT_EQ(log_.CountFor("client"), 0u) << "no handler of a crashed process runs";
}

// S70: a service cancelling its peer interrupts the client; the peer gets its
// own final INVALID.
TEST_P(ConnectionErrors, S70ServiceCancellingPeerInterruptsClient) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("hello");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_connection_cancel(peers().at(0));
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 1 && log_.CountFor("peer") == 2; }));
  EXPECT_EQ(log_.For("client").at(0), XPC_ERROR_CONNECTION_INTERRUPTED);
  EXPECT_EQ(log_.For("peer").at(1), XPC_ERROR_CONNECTION_INVALID);
}

// S70: a client cancelling invalidates its peer.
TEST_P(ConnectionErrors, S70ClientCancellingInvalidatesPeer) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("hello");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_connection_cancel(client);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 2; }));
  EXPECT_EQ(log_.For("peer").at(1), XPC_ERROR_CONNECTION_INVALID);
}

// P3 (S98): when the listener's process dies an endpoint client is
// interrupted; nothing re-establishes it, so the next send fails with INVALID.
TEST_P(ConnectionErrors, P3EndpointClientCannotBeReestablished) {
  fakes::runtime::Process& service = Spawn("service");
  xpc_connection_t listener = StartEchoListener(service);
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("hello");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(reply);
  service.End(fakes::runtime::ProcessEnd::kCrash);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 1; }));
  EXPECT_EQ(log_.For("client").at(0), XPC_ERROR_CONNECTION_INTERRUPTED);
  xpc_object_t again = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(message);
  EXPECT_EQ(again, XPC_ERROR_CONNECTION_INVALID);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 2; }));
  EXPECT_EQ(log_.For("client").at(1), XPC_ERROR_CONNECTION_INVALID);
}

// P3: cancelling the listener invalidates its endpoint clients.
TEST_P(ConnectionErrors, P3CancellingListenerInvalidatesEndpointClients) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("hello");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(reply);
  xpc_release(message);
  xpc_connection_cancel(listener);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 1; }));
  EXPECT_EQ(log_.For("client").at(0), XPC_ERROR_CONNECTION_INVALID);
}

// S71: a barrier on a cancelled connection still runs.
TEST_P(ConnectionErrors, S71BarrierOnCancelledConnectionRuns) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_connection_cancel(client);
  Cell<bool> ran;
  auto* ran_cell = &ran;
  xpc_connection_send_barrier(client, ^{ ran_cell->set(true); });
  EXPECT_TRUE(RunUntil([&] { return ran.get(); }));
}

}  // namespace
}  // namespace xpctest::testing

namespace xpctest::testing {
namespace {

// Regression: an endpoint client that sends again from the reply handler of
// the request its service's crash failed used to lose its INTERRUPTED: the
// send invalidated the connection before the handler ran, and the queued
// INTERRUPTED was dropped as if the user had cancelled. P3: INTERRUPTED, then
// INVALID — on every interleaving.
TEST(ConnectionErrorsRegression, P3InterruptedSurvivesASendFromTheFailedReplyHandler) {
  for (uint64_t seed = 0; seed < 32; ++seed) {
    fakes::runtime::World world(fakes::runtime::WorldOptions{
        fakes::runtime::ExecutorKind::kDeterministic, seed, false});
    fakes::runtime::ScopedWorld installed(world);
    EventLog log;
    EventLog* events = &log;
    xpc_connection_t listener;
    fakes::runtime::Process& service = world.Spawn("silent", {});
    {
      fakes::runtime::ScopedProcess as(service);
      listener = xpc_connection_create(nullptr, nullptr);
      xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
        if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
        xpc_connection_set_event_handler(static_cast<xpc_connection_t>(peer), ^(xpc_object_t m) {
          if (xpc_get_type(m) == XPC_TYPE_DICTIONARY) events->Add("request", m);  // kept, unanswered
        });
        xpc_connection_activate(static_cast<xpc_connection_t>(peer));
      });
      xpc_connection_activate(listener);
    }
    dispatch_queue_t queue = dispatch_queue_create("client", DISPATCH_QUEUE_SERIAL);
    xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
    xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
    xpc_release(endpoint);
    xpc_connection_set_target_queue(client, queue);
    xpc_connection_set_event_handler(client, ^(xpc_object_t e) { events->Add("client", e); });
    xpc_connection_activate(client);
    xpc_object_t message = Message("first");
    xpc_connection_send_message_with_reply(client, message, queue, ^(xpc_object_t) {
      xpc_object_t again = Message("again");
      xpc_connection_send_message_with_reply(client, again, queue, ^(xpc_object_t) {});
      xpc_release(again);
    });
    xpc_release(message);
    fakes::dispatch::RunUntilIdle();
    service.End(fakes::runtime::ProcessEnd::kCrash);
    fakes::dispatch::RunUntilIdle();
    EXPECT_THAT(log.For("client"),
                ElementsAre(XPC_ERROR_CONNECTION_INTERRUPTED, XPC_ERROR_CONNECTION_INVALID))
        << "seed " << seed;
    xpc_connection_cancel(client);
    fakes::dispatch::RunUntilIdle();
    xpc_release(client);
    xpc_release(listener);
    dispatch_release(queue);
  }
}

}  // namespace
}  // namespace xpctest::testing
