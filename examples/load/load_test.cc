// The hashing service under load: every request answered correctly by many
// clients at once, what a slow tail does to the percentiles, and lost
// requests counted instead of hanging the suite.
#include <chrono>
#include <string>

#include "xpctest/xpctest.h"

extern "C" {
#include "hash_service.h"
}

namespace {

using std::chrono::milliseconds;
using xpctest::Dict;
using xpctest::LoadOptions;
using xpctest::LoadReport;
using xpctest::Object;
using xpctest::RequestsTo;
using xpctest::RunLoad;
using xpctest::Service;

// Request `request` of client `client`: its own bytes, 1 to 8 rounds.
Object HashRequest(int client, int request) {
  std::string bytes = "client " + std::to_string(client) + " request " + std::to_string(request);
  return Dict{{"data", xpctest::Data(bytes)}, {"rounds", 1 + request % 8}};
}

// The reply carries the digest of the request's bytes.
bool DigestIsRight(xpc_object_t request, xpc_object_t reply) {
  size_t length = 0;
  const void* bytes = xpc_dictionary_get_data(request, "data", &length);
  return xpc_dictionary_get_uint64(reply, "digest") ==
         hash_digest(bytes, length, xpc_dictionary_get_int64(request, "rounds"));
}

class HashLoadTest : public xpctest::Test {
 protected:
  // Latencies are exact only on virtual time; real threads are noisy, so
  // there the tests check counts only.
  bool virtual_time() {
    return world().options().executor == xpctest::control::ExecutorKind::kDeterministic;
  }

  LoadOptions Load() {
    return {.clients = 10,
            .requests_per_client = 200,
            .in_flight_per_client = 1,
            .make_request = HashRequest,
            .reply_ok = DigestIsRight};
  }
};

TEST_F(HashLoadTest, EveryClientGetsEveryDigestRight) {
  Service hash = Serve("hash", hash_handle_peer);
  LoadOptions load = Load();
  load.in_flight_per_client = 4;
  LoadReport report = RunLoad(world(), hash, load);
  EXPECT_EQ(report.succeeded, 2000) << report;
  EXPECT_EQ(report.errors, 0) << report;
  for (const xpctest::ClientLoad& client : report.per_client) EXPECT_EQ(client.succeeded, 200);
}

// 3% of the requests arrive 5 ms late: the 99th percentile moves by the
// delay, the median does not move at all.
TEST_F(HashLoadTest, ASlowFewPercentMovesTheTailButNotTheMedian) {
  Service hash = Serve("hash", hash_handle_peer);
  LoadReport baseline = RunLoad(world(), hash, Load());
  xpctest::Faults(world()).On(RequestsTo(hash)).Probability(0.03).Delay(milliseconds(5));
  LoadReport slowed = RunLoad(world(), hash, Load());

  EXPECT_EQ(baseline.errors, 0);
  EXPECT_EQ(slowed.errors, 0) << slowed;
  if (!virtual_time()) return;
  EXPECT_EQ(slowed.overall.p50, baseline.overall.p50) << slowed;
  EXPECT_GE(slowed.overall.p99, baseline.overall.p99 + milliseconds(5)) << slowed;
  EXPECT_LT(slowed.overall.p90, baseline.overall.p90 + milliseconds(5)) << slowed;
}

// A lost request is never answered: the run counts it as "no reply" instead
// of waiting for it forever.
TEST_F(HashLoadTest, LostRequestsAreCountedNotWaitedFor) {
  Service hash = Serve("hash", hash_handle_peer);
  xpctest::FaultHandle lost =
      xpctest::Faults(world()).On(RequestsTo(hash)).Probability(0.01).Drop();
  LoadOptions load = Load();
  load.in_flight_per_client = 8;  // a client keeps going on its other slots
  load.deadline = milliseconds(500);
  LoadReport report = RunLoad(world(), hash, load);

  EXPECT_GT(lost.Applied(), 0);
  EXPECT_EQ(report.succeeded + report.errors, 2000);
  EXPECT_FALSE(report.finished);
  // On real threads a slow machine may reach the deadline with more in flight.
  EXPECT_GE(report.errors_by_kind["no reply"], lost.Applied()) << report;
  if (virtual_time()) EXPECT_EQ(report.errors_by_kind["no reply"], lost.Applied()) << report;
}

TEST_F(HashLoadTest, SessionsGetEveryDigestRightToo) {
  Service hash = Serve("hash", hash_handle_peer, {.mach_service = HASH_MACH_SERVICE});
  LoadOptions load = Load();
  load.sessions = true;
  LoadReport report = RunLoad(world(), HASH_MACH_SERVICE, load);
  EXPECT_EQ(report.succeeded, 2000) << report;
}

TEST_F(HashLoadTest, ABadRequestIsAnErrorReplyTheLoadCounts) {
  Service hash = Serve("hash", hash_handle_peer);
  LoadOptions load = Load();
  load.make_request = [](int client, int request) {
    return request == 0 ? Object(Dict{{"rounds", 2}}) : HashRequest(client, request);
  };
  load.reply_ok = [](xpc_object_t request, xpc_object_t reply) {
    return xpc_dictionary_get_string(reply, "error") == nullptr && DigestIsRight(request, reply);
  };
  LoadReport report = RunLoad(world(), hash, load);
  EXPECT_EQ(report.errors_by_kind["rejected by reply_ok"], 10) << report;
  EXPECT_EQ(report.succeeded, 1990);
}

}  // namespace
