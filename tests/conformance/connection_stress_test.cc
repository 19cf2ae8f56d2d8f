// Many clients, many requests, real threads: every reply arrives exactly once
// and per-connection FIFO holds (S80, S82). Meant for TSan as much as for
// correctness.
#include <atomic>

#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

class ConnectionStress : public ConnectionTest {};
INSTANTIATE_TEST_SUITE_P(Threaded, ConnectionStress,
                         ::testing::Values(fakes::runtime::ExecutorKind::kThreaded),
                         ExecutorName);

TEST_P(ConnectionStress, HundredClientsThousandRequestsEachGetEveryReplyOnceInOrder) {
  constexpr int kClients = 100;
  constexpr int kRequests = 1000;
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  struct ClientState {
    std::atomic<int> replies{0};
    std::atomic<int> out_of_order{0};
    std::atomic<int> errors{0};
  };
  auto* states = new ClientState[kClients];
  std::vector<xpc_connection_t> clients;
  // S82: reply handlers have no order among themselves on a concurrent queue;
  // a serial reply queue per client makes the order observable.
  std::vector<dispatch_queue_t> reply_queues;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(ConnectClient(listener));
    reply_queues.push_back(dispatch_queue_create("replies", DISPATCH_QUEUE_SERIAL));
  }
  for (int r = 0; r < kRequests; ++r) {
    for (int c = 0; c < kClients; ++c) {
      ClientState* state = &states[c];
      xpc_object_t message = Message(std::to_string(r).c_str());
      xpc_connection_send_message_with_reply(clients[c], message, reply_queues[c], ^(xpc_object_t reply) {
        if (xpc_get_type(reply) != XPC_TYPE_DICTIONARY) {
          state->errors.fetch_add(1);
          return;
        }
        // Replies to one connection's requests come back in request order,
        // because the peer handles them in FIFO order and replies at once.
        int index = std::stoi(OpOf(reply));
        if (index != state->replies.fetch_add(1)) state->out_of_order.fetch_add(1);
      });
      xpc_release(message);
    }
  }
  // Real time, generous: sanitizers slow this down tenfold.
  ASSERT_TRUE(fakes::dispatch::RunUntil([&] {
    for (int c = 0; c < kClients; ++c) {
      if (states[c].replies.load() + states[c].errors.load() < kRequests) return false;
    }
    return true;
  }, std::chrono::minutes(10)));
  for (int c = 0; c < kClients; ++c) {
    EXPECT_EQ(states[c].replies.load(), kRequests) << "client " << c;
    EXPECT_EQ(states[c].errors.load(), 0) << "client " << c;
    EXPECT_EQ(states[c].out_of_order.load(), 0) << "client " << c;
  }
  EXPECT_EQ(peers().size(), static_cast<size_t>(kClients));
  for (dispatch_queue_t queue : reply_queues) dispatch_release(queue);
  delete[] states;
}

}  // namespace
}  // namespace xpctest::testing
