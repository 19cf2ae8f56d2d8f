// How connections end and die when the user lets go early: cancel then
// release (S59, S68, S105), and a client that cancels around its first send
// (S21, S91, S93). Lifetime bugs, so run them under ASan too.
#include "conformance/connection_fixture.h"
#include "objects/object.h"

namespace xpctest::testing {
namespace {

class ConnectionTeardown : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionTeardown);

// What one client's handler and finalizer saw.
struct FinalProbe {
  std::atomic<int> invalid{0};
  std::atomic<int> other_events{0};
  std::atomic<bool> in_final_handler{false};
  std::atomic<int> finalized{0};
  std::atomic<int> finalized_during_final_handler{0};
};

// The context the finalizer frees: the final handler reads it, so freeing it
// early is a use-after-free that ASan names.
struct ClientContext {
  FinalProbe* probe;
  int value = 7;
};

void FinalizeClient(void* raw) {
  auto* context = static_cast<ClientContext*>(raw);
  FinalProbe* probe = context->probe;
  if (probe->in_final_handler.load()) probe->finalized_during_final_handler.fetch_add(1);
  delete context;
  probe->finalized.fetch_add(1);
}

// S68, S105: xpc_connection_cancel followed at once by the last xpc_release
// still delivers the one final INVALID (the release must not drop the
// handler first), and the finalizer runs only after that handler returned.
TEST_P(ConnectionTeardown, S68CancelThenReleaseStillDeliversTheFinalInvalid) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  constexpr int kRounds = 20;
  FinalProbe probes[kRounds];
  for (int round = 0; round < kRounds; ++round) {
    FinalProbe* probe = &probes[round];
    auto* context = new ClientContext{probe};
    xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
    xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
    xpc_release(endpoint);
    xpc_connection_set_context(client, context);
    xpc_connection_set_finalizer_f(client, FinalizeClient);
    xpc_connection_set_event_handler(client, ^(xpc_object_t event) {
      if (event != XPC_ERROR_CONNECTION_INVALID) {
        probe->other_events.fetch_add(1);
        return;
      }
      probe->in_final_handler.store(true);
      // Long enough for a finalizer on another thread to run meanwhile.
      for (int spin = 0; spin < 100'000; ++spin) asm volatile("");
      probe->invalid.fetch_add(context->value == 7 ? 1 : 100);
      probe->in_final_handler.store(false);
    });
    xpc_connection_activate(client);
    xpc_object_t message = Message("hello");
    xpc_connection_send_message(client, message);
    xpc_release(message);
    xpc_connection_cancel(client);
    xpc_release(client);
  }
  ASSERT_TRUE(RunUntil([&] {
    for (const FinalProbe& probe : probes) {
      if (probe.finalized.load() == 0) return false;
    }
    return true;
  })) << "a finalizer never ran";
  for (int round = 0; round < kRounds; ++round) {
    EXPECT_EQ(probes[round].invalid.load(), 1) << "round " << round << ": the final INVALID";
    EXPECT_EQ(probes[round].other_events.load(), 0) << "round " << round;
    EXPECT_EQ(probes[round].finalized.load(), 1) << "round " << round;
    EXPECT_EQ(probes[round].finalized_during_final_handler.load(), 0)
        << "round " << round << ": S105, the finalizer ran while the final handler ran";
  }
  EXPECT_TRUE(misuse_.Reports().empty());
}

// S59 still holds after a cancel: the last release of a suspended connection
// is misuse, and the connection is torn down anyway.
TEST_P(ConnectionTeardown, S59ReleasingASuspendedCancelledConnectionIsStillMisuse) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  Cell<int> invalid;
  auto* invalid_cell = &invalid;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INVALID) invalid_cell->set(invalid_cell->get() + 1);
  });
  xpc_connection_activate(client);
  xpc_connection_cancel(client);
  xpc_connection_suspend(client);
  xpc_release(client);
  EXPECT_THAT(misuse_.Headlines(),
              ::testing::ElementsAre(
                  "XPC API Misuse: Release of last reference on a suspended connection."));
  RunUntilIdle();
  EXPECT_EQ(invalid.get(), 1) << "torn down as the cancel asked: one final INVALID";
}

// Accepted peers and the INVALIDs they received, for the tests below.
struct PeerCounts {
  std::atomic<int> accepted{0};
  std::atomic<int> invalidated{0};
};

// In `process`: an anonymous listener that accepts every peer and counts the
// peers and their final INVALIDs. Returns the listener (+1).
xpc_connection_t CountingListener(fakes::runtime::Process& process, PeerCounts* counts) {
  fakes::runtime::ScopedProcess as(process);
  xpc_connection_t listener = xpc_connection_create(nullptr, nullptr);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
    if (xpc_get_type(object) != XPC_TYPE_CONNECTION) return;
    counts->accepted.fetch_add(1);
    auto peer = static_cast<xpc_connection_t>(object);
    xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
      if (event == XPC_ERROR_CONNECTION_INVALID) counts->invalidated.fetch_add(1);
    });
    xpc_connection_activate(peer);
  });
  xpc_connection_activate(listener);
  return listener;
}

// A client of `listener` that sends one message and is cancelled and
// released from another queue while the send goes out, so the cancel lands
// before, during or after the making of its peer.
void ClientCancelledAroundItsFirstSend(xpc_connection_t listener) {
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_object_t message = Message("first");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  dispatch_async(dispatch_get_global_queue(0, 0), ^{
    xpc_connection_cancel(client);
    xpc_release(client);
  });
}

// S68, S93: messages that reached a peer before its client cancelled are
// still delivered, in order, before the peer's INVALID: the client's cancel
// discards only what it had not sent (S69); nothing it sent is lost.
TEST_P(ConnectionTeardown, S68MessagesAPeerReceivedBeforeItsClientCancelledComeBeforeItsInvalid) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"), /*answer=*/false);
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t first = Message("first");
  xpc_connection_send_message(client, first);
  xpc_release(first);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_connection_t peer = peers().at(0);
  xpc_connection_suspend(peer);  // what arrives now waits at the peer
  for (const char* op : {"a", "b", "c"}) {
    xpc_object_t message = Message(op);
    xpc_connection_send_message(client, message);
    xpc_release(message);
  }
  Cell<bool>* sent = new Cell<bool>;
  xpc_connection_send_barrier(client, ^{ sent->set(true); });
  ASSERT_TRUE(RunUntil([&] { return sent->get(); })) << "the barrier runs once a, b, c are sent";
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_connection_resume(peer);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 5; })) << log_.CountFor("peer");
  std::vector<xpc_object_t> seen = log_.For("peer");
  EXPECT_EQ(OpOf(seen[1]), "a");
  EXPECT_EQ(OpOf(seen[2]), "b");
  EXPECT_EQ(OpOf(seen[3]), "c");
  EXPECT_EQ(seen[4], XPC_ERROR_CONNECTION_INVALID);
  delete sent;
}

// S91, S93, S21: a peer whose client cancels around its first send (before or
// after the peer is made, before or after the listener accepts it) gets its
// INVALID and is freed, on many interleavings of one world.
TEST_P(ConnectionTeardown, S93PeersOfClientsCancelledAroundTheirFirstSendAreInvalidated) {
  PeerCounts counts;
  xpc_connection_t listener = CountingListener(Spawn("service"), &counts);
  RunUntilIdle();
  int64_t objects_before = fakes::objects::LiveObjectCount();
  constexpr int kClients = 300;
  for (int i = 0; i < kClients; ++i) ClientCancelledAroundItsFirstSend(listener);
  EXPECT_TRUE(RunUntil([&] {
    return counts.invalidated.load() == counts.accepted.load() &&
           fakes::objects::LiveObjectCount() == objects_before;
  })) << counts.accepted.load() << " peers accepted, " << counts.invalidated.load()
      << " invalidated; " << fakes::objects::LiveObjectCount() - objects_before
      << " objects still alive";
  xpc_connection_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// The same on the deterministic executor, one interleaving per seed: every
// accepted peer gets INVALID, and nothing outlives the worlds.
TEST(ConnectionTeardownSeeded, S93PeerOfAClientCancelledAroundItsFirstSendOnEverySeed) {
  int64_t objects_before = fakes::objects::LiveObjectCount();
  int accepted = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    fakes::runtime::World world(fakes::runtime::WorldOptions{
        fakes::runtime::ExecutorKind::kDeterministic, seed, false});
    fakes::runtime::ScopedWorld installed(world);
    PeerCounts counts;
    xpc_connection_t listener = CountingListener(world.Spawn("service", {}), &counts);
    fakes::dispatch::RunUntilIdle();
    for (int i = 0; i < 4; ++i) ClientCancelledAroundItsFirstSend(listener);
    fakes::dispatch::RunUntilIdle();
    EXPECT_EQ(counts.invalidated.load(), counts.accepted.load()) << "seed " << seed;
    accepted += counts.accepted.load();
    xpc_connection_cancel(listener);
    fakes::dispatch::RunUntilIdle();
    xpc_release(listener);
  }
  EXPECT_GT(accepted, 0) << "no seed made a peer: the test lost its subject";
  EXPECT_EQ(fakes::objects::LiveObjectCount(), objects_before);
}

}  // namespace
}  // namespace xpctest::testing
