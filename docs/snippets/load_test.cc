// docs/load-testing.md: a load test. Many clients, many requests, latency
// percentiles on the world's clock, and a fault that slows a few requests.
#include <xpctest/xpctest.h>

#include <chrono>

// The code under test: replies to {n} with {square}.
static void squarer_handle_peer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == NULL) return;
    int64_t n = xpc_dictionary_get_int64(message, "n");
    xpc_dictionary_set_int64(reply, "square", n * n);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

namespace {

using std::chrono::milliseconds;

class SquarerLoadTest : public xpctest::Test {};

TEST_F(SquarerLoadTest, ASlowTailMovesP99ButNotTheMedian) {
  xpctest::Service squarer = Serve("squarer", squarer_handle_peer);
  xpctest::LoadOptions load{
      .clients = 8,
      .requests_per_client = 250,
      .in_flight_per_client = 2,
      .make_request = [](int client, int request) {
        return xpctest::Object(xpctest::Dict{{"n", request}});
      },
      .reply_ok = [](xpc_object_t request, xpc_object_t reply) {
        int64_t n = xpc_dictionary_get_int64(request, "n");
        return xpc_dictionary_get_int64(reply, "square") == n * n;
      }};
  xpctest::LoadReport baseline = xpctest::RunLoad(world(), squarer, load);

  // 5% of the requests arrive 5 ms late.
  xpctest::Faults(world()).On(xpctest::RequestsTo(squarer)).Probability(0.05).Delay(milliseconds(5));
  xpctest::LoadReport slowed = xpctest::RunLoad(world(), squarer, load);
  std::cout << slowed;  // the table: counts, throughput, p50/p90/p99/max per client

  EXPECT_EQ(slowed.succeeded, 2000);
  EXPECT_EQ(slowed.errors, 0) << slowed;
  if (world().options().executor == xpctest::control::ExecutorKind::kDeterministic) {
    // Virtual time: exact, so exact comparisons hold.
    EXPECT_EQ(slowed.overall.p50, baseline.overall.p50);
    EXPECT_GE(slowed.overall.p99, baseline.overall.p99 + milliseconds(5));
  }
}

}  // namespace
