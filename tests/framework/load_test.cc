// Load runs: every request counted once, exact percentiles, faults counted as
// errors (never hangs), clients in their own processes, sessions, the CLI.
#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// Replies with the pid of the peer's process.
void WhoAmIHandlePeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    xpc_dictionary_set_int64(reply, "pid", xpc_connection_get_pid(peer));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

Object Add(int a, int b) { return Dict{{"op", "add"}, {"a", a}, {"b", b}}; }

bool SumIsRight(xpc_object_t request, xpc_object_t reply) {
  return xpc_dictionary_get_int64(reply, "sum") ==
         xpc_dictionary_get_int64(request, "a") + xpc_dictionary_get_int64(request, "b");
}

int SumOfErrorKinds(const LoadReport& report) {
  int total = 0;
  for (const auto& [kind, count] : report.errors_by_kind) total += count;
  return total;
}

// The bookkeeping every report must satisfy, whatever happened in the run.
void ExpectEveryRequestCountedOnce(const LoadReport& report) {
  EXPECT_EQ(report.requests, report.options.clients * report.options.requests_per_client);
  EXPECT_EQ(report.succeeded + report.errors, report.requests);
  EXPECT_EQ(SumOfErrorKinds(report), report.errors);
  EXPECT_EQ(report.overall.count, report.succeeded);
  ASSERT_EQ(static_cast<int>(report.per_client.size()), report.options.clients);
  int sent = 0;
  for (const ClientLoad& row : report.per_client) {
    EXPECT_EQ(row.succeeded + row.errors, report.options.requests_per_client)
        << "client " << row.client;
    EXPECT_EQ(row.latency.count, row.succeeded) << "client " << row.client;
    sent += row.sent;
  }
  EXPECT_EQ(sent, report.sent);
}

class LoadTest : public xpctest::Test {
 protected:
  bool deterministic() { return world().options().executor == control::ExecutorKind::kDeterministic; }
};

// --- The percentile helper, on fixed numbers ---

TEST(LoadPercentiles, OneToAHundredGivesEachPercentileItsRank) {
  std::vector<nanoseconds> samples;
  for (int i = 1; i <= 100; ++i) samples.push_back(nanoseconds(i));
  std::shuffle(samples.begin(), samples.end(), std::mt19937(7));
  LatencySummary summary = Summarize(samples);
  EXPECT_EQ(summary.count, 100);
  EXPECT_EQ(summary.p50, nanoseconds(50));
  EXPECT_EQ(summary.p90, nanoseconds(90));
  EXPECT_EQ(summary.p99, nanoseconds(99));
  EXPECT_EQ(summary.max, nanoseconds(100));
  EXPECT_EQ(summary.mean, nanoseconds(50));  // 50.5, truncated
}

TEST(LoadPercentiles, FewSamplesRoundTheRankUp) {
  std::vector<nanoseconds> sorted = {nanoseconds(10), nanoseconds(20), nanoseconds(30)};
  EXPECT_EQ(Percentile(sorted, 50), nanoseconds(20));   // rank ceil(1.5) = 2
  EXPECT_EQ(Percentile(sorted, 33), nanoseconds(10));   // rank ceil(0.99) = 1
  EXPECT_EQ(Percentile(sorted, 90), nanoseconds(30));   // rank ceil(2.7) = 3
  EXPECT_EQ(Percentile(sorted, 100), nanoseconds(30));
  EXPECT_EQ(Percentile({nanoseconds(4)}, 99), nanoseconds(4));
}

TEST(LoadPercentiles, NoSamplesSummarizeAsZero) {
  LatencySummary summary = Summarize({});
  EXPECT_EQ(summary.count, 0);
  EXPECT_EQ(summary.p99, nanoseconds(0));
  EXPECT_EQ(Percentile({}, 50), nanoseconds(0));
}

TEST(LoadPercentiles, OneSlowSampleInAHundredMovesOnlyTheMax) {
  std::vector<nanoseconds> samples(99, nanoseconds(100));
  samples.push_back(milliseconds(5));
  LatencySummary summary = Summarize(samples);
  EXPECT_EQ(summary.p50, nanoseconds(100));
  EXPECT_EQ(summary.p99, nanoseconds(100));
  EXPECT_EQ(summary.max, milliseconds(5));
}

TEST(LoadPercentiles, LatenciesPrintInTheirUnit) {
  EXPECT_EQ(FormatLatency(nanoseconds(0)), "0ns");
  EXPECT_EQ(FormatLatency(nanoseconds(999)), "999ns");
  EXPECT_EQ(FormatLatency(nanoseconds(1500)), "1.5us");
  EXPECT_EQ(FormatLatency(milliseconds(5)), "5.000ms");
}

// --- Runs ---

TEST_F(LoadTest, EveryRequestIsMadeSentAndCountedExactlyOnce) {
  Service adder = Serve("adder", AdderHandlePeer);
  std::vector<std::pair<int, int>> made;  // make_request is never called concurrently
  LoadReport report = RunLoad(world(), adder,
                              {.clients = 5,
                               .requests_per_client = 37,
                               .in_flight_per_client = 3,
                               .make_request =
                                   [&made](int client, int request) {
                                     made.emplace_back(client, request);
                                     return Add(client, request);
                                   },
                               .reply_ok = SumIsRight});
  std::sort(made.begin(), made.end());
  std::vector<std::pair<int, int>> expected;
  for (int c = 0; c < 5; ++c) {
    for (int r = 0; r < 37; ++r) expected.emplace_back(c, r);
  }
  EXPECT_EQ(made, expected);
  EXPECT_EQ(report.requests, 185);
  EXPECT_EQ(report.sent, 185);
  EXPECT_EQ(report.succeeded, 185);
  EXPECT_EQ(report.errors, 0);
  EXPECT_TRUE(report.finished);
  EXPECT_TRUE(report.errors_by_kind.empty());
  ExpectEveryRequestCountedOnce(report);
  for (const ClientLoad& row : report.per_client) {
    EXPECT_EQ(row.sent, 37);
    EXPECT_EQ(row.pid, world().host().pid());
  }
}

TEST_F(LoadTest, InFlightIsAtLeastOneAndAtMostTheClientsShare) {
  Service adder = Serve("adder", AdderHandlePeer);
  LoadReport none_in_flight = RunLoad(
      world(), adder, {.clients = 2, .requests_per_client = 3, .in_flight_per_client = 0});
  EXPECT_EQ(none_in_flight.options.in_flight_per_client, 1);
  EXPECT_EQ(none_in_flight.succeeded, 6);
  LoadReport more_than_all = RunLoad(
      world(), adder, {.clients = 2, .requests_per_client = 3, .in_flight_per_client = 10});
  EXPECT_EQ(more_than_all.sent, 6);
  EXPECT_EQ(more_than_all.succeeded, 6);
  ExpectEveryRequestCountedOnce(more_than_all);
}

TEST_F(LoadTest, RepliesRejectedByReplyOkAreErrorsOfThatKind) {
  Service adder = Serve("adder", AdderHandlePeer);
  LoadReport report = RunLoad(world(), adder,
                              {.clients = 2,
                               .requests_per_client = 10,
                               .make_request = [](int client, int request) { return Add(request, 0); },
                               .reply_ok = [](xpc_object_t request, xpc_object_t reply) {
                                 return xpc_dictionary_get_int64(reply, "sum") % 2 == 0;
                               }});
  EXPECT_EQ(report.succeeded, 10);
  EXPECT_THAT(report.errors_by_kind, UnorderedElementsAre(Pair("rejected by reply_ok", 10)));
  EXPECT_TRUE(report.finished);
  ExpectEveryRequestCountedOnce(report);
}

// The service answers each request 2 ms later (dispatch_after): on virtual
// time every latency is exactly 2 ms, and the run takes requests / in_flight
// rounds of 2 ms.
TEST_F(LoadTest, AFixedServiceDelayIsEveryPercentileOnVirtualTime) {
  MockService mock;
  EXPECT_CALL(mock, OnMessage(_)).WillRepeatedly(ReplyAfter(milliseconds(2), Dict{{"ok", true}}));
  Service service = Serve("slow", mock.Handler());
  LoadReport report =
      RunLoad(world(), service, {.clients = 4, .requests_per_client = 10, .in_flight_per_client = 2});
  EXPECT_EQ(report.succeeded, 40);
  ExpectEveryRequestCountedOnce(report);
  if (!deterministic()) return;  // real threads: counts only
  EXPECT_EQ(report.overall.p50, milliseconds(2));
  EXPECT_EQ(report.overall.p99, milliseconds(2));
  EXPECT_EQ(report.overall.max, milliseconds(2));
  EXPECT_EQ(report.per_client[3].latency.p90, milliseconds(2));
  EXPECT_EQ(report.world_time, milliseconds(10));  // 10 requests, 2 at a time, 2 ms each
  ASSERT_TRUE(report.WorldThroughput().has_value());
  EXPECT_DOUBLE_EQ(*report.WorldThroughput(), 4000.0);  // 40 requests in 10 ms
}

// The run's wall time is real even when every reply handler runs in a
// simulated process, whose clocks are virtual (docs/processes-and-the-os.md).
TEST_F(LoadTest, WallTimeStaysRealWhenEachClientRunsInItsOwnProcess) {
  if (!deterministic()) GTEST_SKIP() << "virtual time is the deterministic executor's";
  MockService mock;
  EXPECT_CALL(mock, OnMessage(_))
      .WillRepeatedly(ReplyAfter(std::chrono::seconds(30), Dict{{"ok", true}}));
  Service service = Serve("slow", mock.Handler());
  LoadReport report = RunLoad(world(), service,
                              {.clients = 2, .requests_per_client = 1,
                               .where = LoadClients::kInOwnProcesses});
  EXPECT_EQ(report.world_time, std::chrono::seconds(30));
  EXPECT_GT(report.wall_time, nanoseconds(0));
  EXPECT_LT(report.wall_time, report.world_time) << "30 virtual seconds take less real time";
}

TEST_F(LoadTest, ADelayFaultOnSomeRequestsMovesTheTailNotTheMedian) {
  Service adder = Serve("adder", AdderHandlePeer);
  LoadOptions options{.clients = 10, .requests_per_client = 100,
                      .make_request = [](int client, int request) { return Add(client, request); },
                      .reply_ok = SumIsRight};
  LoadReport baseline = RunLoad(world(), adder, options);
  FaultHandle slow =
      Faults(world()).On(RequestsTo(adder)).Probability(0.05).Delay(milliseconds(5));
  LoadReport slowed = RunLoad(world(), adder, options);
  EXPECT_EQ(baseline.errors, 0);
  EXPECT_EQ(slowed.errors, 0);
  EXPECT_GT(slow.Applied(), 0);
  ExpectEveryRequestCountedOnce(slowed);
  if (!deterministic()) return;
  EXPECT_EQ(slowed.overall.p50, baseline.overall.p50);
  EXPECT_GE(slowed.overall.p99, milliseconds(5));
  EXPECT_LT(baseline.overall.p99, milliseconds(5));
}

TEST_F(LoadTest, ADroppedRequestIsCountedAsNoReplyInsteadOfHanging) {
  Service adder = Serve("adder", AdderHandlePeer);
  FaultHandle lost = Faults(world()).On(RequestsTo(adder)).Nth(3).Drop();
  // One in flight: the client whose request is lost sends nothing more.
  LoadReport report = RunLoad(world(), adder,
                              {.clients = 3, .requests_per_client = 20, .deadline = milliseconds(300)});
  EXPECT_EQ(lost.Applied(), 1);
  EXPECT_FALSE(report.finished);
  ExpectEveryRequestCountedOnce(report);
  // On real threads a slow machine may reach the deadline with more in flight.
  EXPECT_GE(report.errors_by_kind["no reply"], 1);
  if (!deterministic()) return;
  EXPECT_EQ(report.errors_by_kind["no reply"], 1);
  int stalled = 0;
  for (const ClientLoad& row : report.per_client) {
    if (row.errors == 0) continue;
    ++stalled;
    EXPECT_EQ(row.errors, 20 - row.succeeded);
    EXPECT_EQ(report.errors_by_kind["not sent"], 20 - row.sent);
  }
  EXPECT_EQ(stalled, 1);
}

// One client, one request at a time: the crash lands with nothing else in flight.
TEST_F(LoadTest, ACrashedServiceGivesCountedErrorsOfEachKind) {
  Service adder = Serve("adder", AdderHandlePeer);
  Faults(world()).On(RequestsTo(adder)).Nth(5).CrashService();
  LoadReport report = RunLoad(world(), adder, {.clients = 1, .requests_per_client = 10});
  EXPECT_TRUE(report.finished);  // errors are answers too
  EXPECT_EQ(report.succeeded, 4);
  // S63: the request in flight is interrupted; P3: an endpoint client is then invalid.
  EXPECT_THAT(report.errors_by_kind, UnorderedElementsAre(Pair("Connection interrupted", 1),
                                                          Pair("Connection invalid", 5)));
  ExpectEveryRequestCountedOnce(report);
}

TEST_F(LoadTest, ClientsInTheirOwnProcessesAreSeenWithTheirOwnPids) {
  Service whoami = Serve("whoami", WhoAmIHandlePeer);
  std::map<int, std::set<int64_t>> pids_seen;  // by client
  LoadReport report = RunLoad(world(), whoami,
                              {.clients = 3,
                               .requests_per_client = 4,
                               .where = LoadClients::kInOwnProcesses,
                               .make_request = [](int client, int request) {
                                 return Object(Dict{{"client", client}});
                               },
                               .reply_ok = [&pids_seen](xpc_object_t request, xpc_object_t reply) {
                                 pids_seen[xpc_dictionary_get_int64(request, "client")].insert(
                                     xpc_dictionary_get_int64(reply, "pid"));
                                 return true;
                               }});
  EXPECT_EQ(report.succeeded, 12);
  ASSERT_EQ(pids_seen.size(), 3u);
  std::set<int64_t> distinct;
  for (const ClientLoad& row : report.per_client) {
    EXPECT_THAT(pids_seen[row.client], UnorderedElementsAre(row.pid));
    EXPECT_NE(row.pid, world().host().pid());
    distinct.insert(row.pid);
  }
  EXPECT_EQ(distinct.size(), 3u);
}

TEST_F(LoadTest, ACrashedClientProcessEndsItsShareWithoutHanging) {
  Service adder = Serve("adder", AdderHandlePeer);
  Faults(world()).On(RequestsTo(adder)).Nth(4).CrashClient();
  LoadReport report = RunLoad(world(), adder,
                              {.clients = 3, .requests_per_client = 5,
                               .where = LoadClients::kInOwnProcesses});
  EXPECT_FALSE(report.finished);
  int crashed = 0;
  for (const ClientLoad& row : report.per_client) {
    if (world().Find(row.pid).alive()) {
      EXPECT_EQ(row.succeeded, 5);
    } else {
      ++crashed;
      EXPECT_LT(row.succeeded, 5);
    }
  }
  EXPECT_EQ(crashed, 1);
  ExpectEveryRequestCountedOnce(report);
}

TEST_F(LoadTest, SessionsCarryTheLoadByMachServiceName) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.adder"});
  LoadReport report = RunLoad(world(), "com.example.adder",
                              {.clients = 3,
                               .requests_per_client = 15,
                               .in_flight_per_client = 4,
                               .sessions = true,
                               .make_request = [](int client, int request) { return Add(client, request); },
                               .reply_ok = SumIsRight});
  EXPECT_EQ(report.succeeded, 45);
  EXPECT_TRUE(report.finished);
  ExpectEveryRequestCountedOnce(report);
  EXPECT_THAT(report.Table(), HasSubstr("over sessions"));
}

TEST_F(LoadTest, SessionsWithoutAServiceNameAreCountedAsErrors) {
  Service adder = Serve("adder", AdderHandlePeer);
  LoadReport report = RunLoad(world(), adder, {.clients = 2, .requests_per_client = 3, .sessions = true});
  EXPECT_EQ(report.sent, 0);
  EXPECT_THAT(report.errors_by_kind,
              UnorderedElementsAre(Pair("no session: sessions need a Mach-service name", 6)));
  ExpectEveryRequestCountedOnce(report);
}

TEST_F(LoadTest, SessionsToANameNobodyServesAreCountedAsErrors) {
  LoadReport report = RunLoad(world(), "com.example.nobody",
                              {.clients = 2, .requests_per_client = 3, .sessions = true});
  EXPECT_EQ(report.sent, 0);
  EXPECT_FALSE(report.finished);
  EXPECT_THAT(report.errors_by_kind,
              UnorderedElementsAre(Pair(::testing::StartsWith("no session: "), 6)));
  ExpectEveryRequestCountedOnce(report);
}

TEST_F(LoadTest, TheTableHasARowPerClientAndPrintsThroughGtest) {
  Service adder = Serve("adder", AdderHandlePeer);
  LoadReport report = RunLoad(world(), adder,
                              {.clients = 3,
                               .requests_per_client = 4,
                               .reply_ok = [](xpc_object_t request, xpc_object_t reply) {
                                 return false;
                               }});
  std::string table = report.Table();
  for (const char* text : {"3 clients x 4 requests", "p50", "p90", "p99", "max", "overall",
                           "client 0", "client 1", "client 2", "errors by kind:",
                           "     12  rejected by reply_ok"}) {
    EXPECT_THAT(table, HasSubstr(text));
  }
  EXPECT_THAT(table, Not(HasSubstr("client 3")));
  EXPECT_EQ(::testing::PrintToString(report), table);
  std::ostringstream streamed;
  streamed << report;
  EXPECT_EQ(streamed.str(), table);
}

// --- The command-line runner ---

TEST(LoadCommandLineTest, ParsesEveryFlag) {
  const char* argv[] = {"load", "--clients=3",  "--requests=7",    "--in_flight=2",
                        "--executor=deterministic", "--seed=42", "--sessions", "--own_processes"};
  std::string error;
  std::optional<LoadCommandLine> line = ParseLoadCommandLine(8, argv, &error);
  ASSERT_TRUE(line.has_value()) << error;
  EXPECT_EQ(line->clients, 3);
  EXPECT_EQ(line->requests, 7);
  EXPECT_EQ(line->in_flight, 2);
  EXPECT_EQ(line->executor, control::ExecutorKind::kDeterministic);
  EXPECT_EQ(line->seed, 42u);
  EXPECT_TRUE(line->sessions);
  EXPECT_EQ(line->where, LoadClients::kInOwnProcesses);
}

TEST(LoadCommandLineTest, DefaultsToEightThreadedClients) {
  const char* argv[] = {"load"};
  std::string error;
  std::optional<LoadCommandLine> line = ParseLoadCommandLine(1, argv, &error);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->clients, 8);
  EXPECT_EQ(line->requests, 100);
  EXPECT_EQ(line->executor, control::ExecutorKind::kThreaded);
}

TEST(LoadCommandLineTest, RejectsUnknownFlagsAndBadNumbersNamingThem) {
  std::string error;
  const char* unknown[] = {"load", "--client=3"};
  EXPECT_FALSE(ParseLoadCommandLine(2, unknown, &error).has_value());
  EXPECT_THAT(error, HasSubstr("--client=3: unknown flag"));
  const char* zero[] = {"load", "--requests=0"};
  EXPECT_FALSE(ParseLoadCommandLine(2, zero, &error).has_value());
  EXPECT_THAT(error, HasSubstr("--requests=0"));
  const char* junk[] = {"load", "--seed=7x"};
  EXPECT_FALSE(ParseLoadCommandLine(2, junk, &error).has_value());
  const char* executor[] = {"load", "--executor=fast"};
  EXPECT_FALSE(ParseLoadCommandLine(2, executor, &error).has_value());
  EXPECT_THAT(error, HasSubstr("threaded or deterministic"));
}

// RunLoadMain makes its own world, so this is a plain test, not an xpctest::Test.
TEST(LoadCommandLineTest, RunLoadMainServesTheHandlerAndPrintsTheTable) {
  for (const char* executor : {"--executor=deterministic", "--executor=threaded"}) {
    char* argv[] = {const_cast<char*>("load"), const_cast<char*>("--clients=2"),
                    const_cast<char*>("--requests=5"), const_cast<char*>(executor), nullptr};
    std::ostringstream out;
    int made = 0;
    int status = RunLoadMain(4, argv, AdderHandlePeer,
                             [&made](int client, int request) {
                               ++made;
                               return Add(client, request);
                             },
                             out);
    EXPECT_EQ(status, 0) << out.str();
    EXPECT_EQ(made, 10);
    EXPECT_THAT(out.str(), HasSubstr("2 clients x 5 requests"));
    EXPECT_THAT(out.str(), HasSubstr("succeeded 10, errors 0"));
    EXPECT_THAT(out.str(), HasSubstr("client 1"));
  }
}

TEST(LoadCommandLineTest, RunLoadMainRefusesBadFlags) {
  char* argv[] = {const_cast<char*>("load"), const_cast<char*>("--bogus"), nullptr};
  std::ostringstream out;
  EXPECT_EQ(RunLoadMain(2, argv, AdderHandlePeer, nullptr, out), 2);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace xpctest::testing
