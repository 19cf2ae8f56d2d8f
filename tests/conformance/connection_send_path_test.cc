// The send path's shortcut (docs/performance.md): on the threaded executor a
// message sent while the connection's outbox is idle and its link is up is
// transmitted on the sender's thread, not after a hop through the send queue.
// These tests pin down the rules the shortcut must keep (S57, S80, S81), on
// both executors: "sent" is read from the world's trace, whose send entry is
// recorded when a message leaves the connection.
#include <string>
#include <thread>
#include <vector>

#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

class ConnectionSendPath : public ConnectionTest {
 public:
  // Send entries recorded so far whose text names `op`.
  size_t SendsOf(const std::string& op) {
    size_t count = 0;
    for (const TraceEntry& entry : world().trace().Entries()) {
      if (entry.kind == TraceKind::kSend &&
          entry.text.find("op = \"" + op + "\"") != std::string::npos) {
        ++count;
      }
    }
    return count;
  }

 protected:
  // A client whose link is up: its first message has reached the peer.
  xpc_connection_t LinkedClient() {
    xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service"), false));
    xpc_object_t hello = Message("hello");
    xpc_connection_send_message(client, hello);
    xpc_release(hello);
    EXPECT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
    return client;
  }
};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionSendPath);

// S57: nothing is sent while the connection is suspended, however idle its
// outbox; resuming sends what waited.
TEST_P(ConnectionSendPath, S57NothingLeavesASuspendedConnection) {
  xpc_connection_t client = LinkedClient();
  xpc_connection_suspend(client);
  xpc_object_t message = Message("held");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  EXPECT_EQ(SendsOf("held"), 0u);
  RunUntilIdle();
  EXPECT_EQ(SendsOf("held"), 0u);
  EXPECT_EQ(log_.CountFor("peer"), 1u);
  xpc_connection_resume(client);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 2; }));
  EXPECT_EQ(SendsOf("held"), 1u);
}

// S81: no message is sent while a barrier runs, even one sent from inside
// the barrier while the outbox is otherwise empty; it leaves afterwards.
TEST_P(ConnectionSendPath, S81NothingIsSentWhileABarrierRuns) {
  xpc_connection_t client = LinkedClient();
  Cell<int> sent_during_barrier;
  sent_during_barrier.set(-1);
  auto* during = &sent_during_barrier;
  ConnectionSendPath* test = this;
  xpc_connection_send_barrier(client, ^{
    xpc_object_t message = Message("from-barrier");
    xpc_connection_send_message(client, message);
    xpc_release(message);
    during->set(static_cast<int>(test->SendsOf("from-barrier")));
  });
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 2; }));
  EXPECT_EQ(sent_during_barrier.get(), 0);
  EXPECT_EQ(SendsOf("from-barrier"), 1u);
}

// S80: FIFO per connection when two threads send at once: each thread's
// messages arrive in the order it sent them (one sender transmits while the
// other's messages queue behind it).
TEST_P(ConnectionSendPath, S80TwoSendingThreadsEachKeepTheirOrder) {
  xpc_connection_t client = LinkedClient();
  constexpr int kEach = 200;
  auto send_all = [client](const char* who) {
    for (int i = 0; i < kEach; ++i) {
      xpc_object_t message = Message(who);
      xpc_dictionary_set_int64(message, "n", i);
      xpc_connection_send_message(client, message);
      xpc_release(message);
    }
  };
  if (GetParam() == fakes::runtime::ExecutorKind::kThreaded) {
    // A second thread of the host process (the fakes attribute a thread that
    // is in no queue to the host).
    std::thread other([&] { send_all("b"); });
    send_all("a");
    other.join();
  } else {
    send_all("b");
    send_all("a");
  }
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1 + 2 * kEach; }));
  int64_t next[2] = {0, 0};
  for (xpc_object_t received : log_.For("peer")) {
    std::string op = OpOf(received);
    if (op == "hello") continue;
    int64_t& expected = next[op == "a" ? 0 : 1];
    EXPECT_EQ(xpc_dictionary_get_int64(received, "n"), expected) << "from " << op;
    expected = xpc_dictionary_get_int64(received, "n") + 1;
  }
  EXPECT_EQ(next[0], kEach);
  EXPECT_EQ(next[1], kEach);
}

// A connection whose process crashed sends nothing, shortcut or not.
TEST_P(ConnectionSendPath, ACrashedProcessSendsNothing) {
  fakes::runtime::Process& service = Spawn("service");
  xpc_connection_t listener = StartEchoListener(service, false);
  fakes::runtime::Process& app = Spawn("app");
  xpc_connection_t client;
  {
    fakes::runtime::ScopedProcess as(app);
    xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
    client = xpc_connection_create_from_endpoint(endpoint);
    xpc_release(endpoint);
    xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
    xpc_connection_activate(client);
    xpc_object_t hello = Message("hello");
    xpc_connection_send_message(client, hello);
    xpc_release(hello);
  }
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  app.End(fakes::runtime::ProcessEnd::kCrash);
  {
    fakes::runtime::ScopedProcess as(app);
    xpc_object_t message = Message("after-crash");
    xpc_connection_send_message(client, message);
    xpc_release(message);
  }
  RunUntilIdle();
  EXPECT_EQ(SendsOf("after-crash"), 0u);
  // The peer hears of the crash (an error), never of the message.
  for (xpc_object_t received : log_.For("peer")) {
    if (xpc_get_type(received) == XPC_TYPE_DICTIONARY) EXPECT_NE(OpOf(received), "after-crash");
  }
  xpc_release(client);  // the test's own reference (LeakSanitizer)
}

}  // namespace
}  // namespace xpctest::testing
