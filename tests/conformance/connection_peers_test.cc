// Listeners, peers, endpoints, names, credentials and context (S72–S79,
// S89–S111, P1, P9, P10).
#include <unistd.h>
#include <xpc/private.h>

#include <regex>

#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;

class ConnectionPeers : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionPeers);

// S91: the service sees the peer when the client sends its first message, not
// when the client activates. S78: the listener's handler gets connections.
TEST_P(ConnectionPeers, S91PeersAppearOnFirstMessage) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  RunUntilIdle();
  EXPECT_TRUE(peers().empty());
  xpc_object_t message = Message("hi");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return peers().size() == 1; }));
  EXPECT_EQ(xpc_get_type(peers().at(0)), XPC_TYPE_CONNECTION);
  EXPECT_EQ(log_.CountFor("listener"), 0u);
}

// S92/S97: each client connection gets its own peer, even from one endpoint.
TEST_P(ConnectionPeers, S92EachClientConnectionHasItsOwnPeer) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t first = ConnectClient(listener);
  xpc_connection_t second = ConnectClient(listener);
  xpc_object_t message = Message("hi");
  xpc_object_t a = xpc_connection_send_message_with_reply_sync(first, message);
  xpc_object_t b = xpc_connection_send_message_with_reply_sync(second, message);
  xpc_object_t c = xpc_connection_send_message_with_reply_sync(first, message);
  xpc_release(a);
  xpc_release(b);
  xpc_release(c);
  xpc_release(message);
  EXPECT_EQ(peers().size(), 2u);
}

// S73: the event handler never runs concurrently with itself, even when its
// target queue is concurrent.
TEST_P(ConnectionPeers, S73HandlerIsSerialOnConcurrentTargetQueue) {
  xpc_connection_t listener = nullptr;
  auto* inside = new std::atomic<int>(0);
  auto* overlaps = new std::atomic<int>(0);
  auto* seen = new std::atomic<int>(0);
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    dispatch_queue_t wide = dispatch_queue_create("wide", DISPATCH_QUEUE_CONCURRENT);
    listener = xpc_connection_create(nullptr, wide);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
      xpc_connection_t peer = static_cast<xpc_connection_t>(object);
      xpc_connection_set_target_queue(peer, wide);
      xpc_connection_set_event_handler(peer, ^(xpc_object_t) {
        if (inside->fetch_add(1) != 0) overlaps->fetch_add(1);
        for (int spin = 0; spin < 1000; ++spin) asm volatile("");
        inside->fetch_sub(1);
        seen->fetch_add(1);
      });
      xpc_connection_activate(peer);
    });
    xpc_connection_activate(listener);
    dispatch_release(wide);
  }
  xpc_connection_t client = ConnectClient(listener);
  for (int i = 0; i < 100; ++i) {
    xpc_object_t message = Message("m");
    xpc_connection_send_message(client, message);
    xpc_release(message);
  }
  ASSERT_TRUE(RunUntil([&] { return seen->load() == 100; }));
  EXPECT_EQ(overlaps->load(), 0);
  xpc_connection_cancel(listener);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(listener);
  delete inside;
  delete overlaps;
  delete seen;
}

// S77: a peer does not inherit its listener's target queue.
TEST_P(ConnectionPeers, S77PeersDoNotInheritTheListenerQueue) {
  static int key;
  xpc_connection_t listener = nullptr;
  Cell<int> peer_saw_listener_queue;
  peer_saw_listener_queue.set(-1);
  auto* saw_cell = &peer_saw_listener_queue;
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    dispatch_queue_t queue = dispatch_queue_create("listener.queue", DISPATCH_QUEUE_SERIAL);
    dispatch_queue_set_specific(queue, &key, &key, nullptr);
    listener = xpc_connection_create(nullptr, queue);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
      xpc_connection_t peer = static_cast<xpc_connection_t>(object);
      xpc_connection_set_event_handler(peer, ^(xpc_object_t) {
        saw_cell->set(dispatch_get_specific(&key) == &key ? 1 : 0);
      });
      xpc_connection_activate(peer);
    });
    xpc_connection_activate(listener);
    dispatch_release(queue);
  }
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("m");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return peer_saw_listener_queue.get() != -1; }));
  EXPECT_EQ(peer_saw_listener_queue.get(), 0);
  xpc_connection_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S94/S95: peers and anonymous connections have no name; named clients do.
TEST_P(ConnectionPeers, S94NamesOfListenersPeersAndClients) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"), true, "com.example.named");
  RunUntilIdle();
  xpc_connection_t named = xpc_connection_create_mach_service("com.example.named", nullptr, 0);
  xpc_connection_set_event_handler(named, ^(xpc_object_t) {});
  xpc_connection_activate(named);
  xpc_object_t message = Message("m");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(named, message);
  xpc_release(reply);
  xpc_release(message);
  EXPECT_STREQ(xpc_connection_get_name(named), "com.example.named");
  EXPECT_STREQ(xpc_connection_get_name(listener), "com.example.named");
  EXPECT_EQ(xpc_connection_get_name(peers().at(0)), nullptr);
  xpc_connection_t anonymous = StartEchoListener(Spawn("other"));
  EXPECT_EQ(xpc_connection_get_name(anonymous), nullptr);
  xpc_connection_cancel(named);
  RunUntilIdle();
  xpc_release(named);
}

// P1: a second live claim of a name fails like an undeclared one (INVALID).
TEST_P(ConnectionPeers, P1SecondListenerForATakenNameIsInvalid) {
  StartEchoListener(Spawn("first"), true, "com.example.once");
  RunUntilIdle();
  StartEchoListener(Spawn("second"), true, "com.example.once");
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("listener") == 1; }));
  EXPECT_EQ(log_.For("listener").at(0), XPC_ERROR_CONNECTION_INVALID);
}

// S100/S101: a client knows nothing of its peer before the first exchange;
// afterwards it reports the service's simulated pid. A peer knows its client
// (the host, P9: real pid and euid) from the start.
TEST_P(ConnectionPeers, S101CredentialsAreUnknownUntilTheFirstExchange) {
  fakes::runtime::Process& service = Spawn("service");
  xpc_connection_t client = ConnectClient(StartEchoListener(service));
  EXPECT_EQ(xpc_connection_get_pid(client), 0);
  EXPECT_EQ(xpc_connection_get_euid(client), static_cast<uid_t>(-1));
  EXPECT_EQ(xpc_connection_get_egid(client), static_cast<gid_t>(-1));
  EXPECT_EQ(xpc_connection_get_asid(client), -1);
  xpc_object_t message = Message("m");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(reply);
  xpc_release(message);
  EXPECT_EQ(xpc_connection_get_pid(client), service.pid());
  EXPECT_NE(service.pid(), getpid());
  EXPECT_EQ(xpc_connection_get_pid(peers().at(0)), getpid());
  EXPECT_EQ(xpc_connection_get_euid(peers().at(0)), geteuid());
  // P10: the audit token carries the same pid and euid.
  audit_token_t token;
  xpc_connection_get_audit_token(peers().at(0), &token);
  EXPECT_EQ(static_cast<pid_t>(token.val[5]), getpid());
  EXPECT_EQ(static_cast<uid_t>(token.val[1]), geteuid());
}

// S104/S105: context round-trips; the finalizer runs once with it when the
// connection's memory goes.
TEST_P(ConnectionPeers, S105FinalizerRunsOnceWithTheContext) {
  static std::atomic<int> calls{0};
  static void* seen = nullptr;
  calls = 0;
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  int context = 42;
  xpc_connection_set_context(client, &context);
  EXPECT_EQ(xpc_connection_get_context(client), &context);
  xpc_connection_set_finalizer_f(client, [](void* value) {
    ++calls;
    seen = value;
  });
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_connection_cancel(client);
  RunUntilIdle();
  EXPECT_EQ(calls.load(), 0);
  xpc_release(client);
  RunUntilIdle();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(seen, &context);
}

// S109: descriptions name the connection, its role and its peer's credentials.
TEST_P(ConnectionPeers, S109DescriptionsFollowLibxpc) {
  xpc_connection_t client = xpc_connection_create_mach_service("com.example.desc", nullptr, 0);
  char* text = xpc_copy_description(client);
  std::string masked = std::regex_replace(text, std::regex("0x[0-9a-f]+"), "0xADDR");
  free(text);
  EXPECT_EQ(masked,
            "<connection: 0xADDR> { name = com.example.desc, listener = false, pid = 0, "
            "euid = 4294967295, egid = 4294967295, asid = 4294967295 }");
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
}

}  // namespace
}  // namespace xpctest::testing
