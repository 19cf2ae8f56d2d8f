// Fault sweeps: a five-request conversation with the service crashed (or the
// message dropped, or delayed) at each request in turn.
#include <map>
#include <mutex>
#include <string>

#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSubsetOf;
using ::testing::Contains;

constexpr char kStore[] = "com.example.store";

// The store's data, outside its process: it survives a crash, as a file would.
struct Disk {
  std::mutex mutex;
  std::map<std::string, int64_t> values;
};

// {op: "set", key, value} stores; {op: "sum"} replies with the total.
void StoreHandlePeer(xpc_connection_t peer, Disk* disk) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    std::string op = xpc_dictionary_get_string(message, "op") ?: "";
    int64_t sum = 0;
    {
      std::lock_guard lock(disk->mutex);
      if (op == "set") {
        disk->values[xpc_dictionary_get_string(message, "key") ?: ""] =
            xpc_dictionary_get_int64(message, "value");
      }
      for (const auto& [key, value] : disk->values) sum += value;
    }
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;  // sent without a reply handler
    xpc_dictionary_set_int64(reply, "sum", sum);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

Object Set(const char* key, int64_t value) {
  return Dict{{"op", "set"}, {"key", key}, {"value", value}};
}

// S62, S63: a request answered INTERRUPTED never reached the service (or
// died with it); the next send relaunches the service, so send it again.
Object SendResending(Client& client, const Object& request) {
  Object reply;
  for (int attempt = 0; attempt < 3; ++attempt) {
    reply = client.SendSync(request);
    if (reply.get() != XPC_ERROR_CONNECTION_INTERRUPTED) break;
  }
  return reply;
}

// Five requests; every one confirmed and resent after INTERRUPTED.
void ResilientConversation(SweepRun& run) {
  auto disk = std::make_shared<Disk>();
  run.ServeOnDemand(kStore, [disk](xpc_connection_t peer) { StoreHandlePeer(peer, disk.get()); });
  Client client = run.ConnectTo(kStore);
  SendResending(client, Set("a", 1));
  SendResending(client, Set("b", 2));
  SendResending(client, Set("c", 3));
  SendResending(client, Set("d", 4));
  EXPECT_THAT(SendResending(client, Dict{{"op", "sum"}}), HasInt64("sum", 10));
}

// The same, but "c" goes without a reply handler: a fire-and-forget message
// the client trusts the next reply to confirm.
void NaiveConversation(SweepRun& run) {
  auto disk = std::make_shared<Disk>();
  run.ServeOnDemand(kStore, [disk](xpc_connection_t peer) { StoreHandlePeer(peer, disk.get()); });
  Client client = run.ConnectTo(kStore);
  SendResending(client, Set("a", 1));
  SendResending(client, Set("b", 2));
  client.Send(Set("c", 3));
  SendResending(client, Set("d", 4));
  EXPECT_THAT(SendResending(client, Dict{{"op", "sum"}}), HasInt64("sum", 10));
}

class FaultSweepTest : public xpctest::Test {
 protected:
  bool deterministic() { return Options().executor == control::ExecutorKind::kDeterministic; }
};

TEST_F(FaultSweepTest, AResilientClientSurvivesACrashAtEveryRequest) {
  SweepResult sweep =
      SweepFaults(RequestsTo(kStore), SweepAction::CrashService(), ResilientConversation);
  EXPECT_EQ(sweep.messages, 5);
  EXPECT_TRUE(sweep.complete);
  ASSERT_EQ(sweep.runs.size(), 6u) << "k = 1..5 crashed, then one run without a crash";
  for (int k = 0; k < 5; ++k) EXPECT_TRUE(sweep.runs[k].applied) << "k=" << k + 1;
  EXPECT_FALSE(sweep.runs[5].applied);
  EXPECT_TRUE(sweep.AllPassed()) << sweep.Report();
}

// S63: a message without a reply handler is dropped silently when the
// service crashes, whether the crash is at that message (k=3) or at the next
// request, while it is still queued in the service (k=4).
TEST_F(FaultSweepTest, ANaiveClientLosesItsFireAndForgetMessageAtTwoCrashPoints) {
  SweepResult sweep =
      SweepFaults(RequestsTo(kStore), SweepAction::CrashService(), NaiveConversation);
  EXPECT_EQ(sweep.messages, 5) << "a message without a reply handler is a request too";
  if (deterministic()) {
    EXPECT_THAT(sweep.FailedAt(), ElementsAre(3, 4)) << sweep.Report();
  } else {
    // On threads the service may have stored "c" before the crash at k=4.
    EXPECT_THAT(sweep.FailedAt(), Contains(3)) << sweep.Report();
    EXPECT_THAT(sweep.FailedAt(), IsSubsetOf({3, 4})) << sweep.Report();
  }
  const SweepOutcome& third = sweep.runs.at(2);
  ASSERT_EQ(third.failures.size(), 1u) << sweep.Report();
  EXPECT_THAT(third.failures[0], HasSubstr("sum"));
  EXPECT_THAT(third.trace_tail, HasSubstr("fault: crash receiver request"));
  EXPECT_THAT(sweep.Report(), HasSubstr("k=3: FAILED"));
  EXPECT_THAT(sweep.Report(), HasSubstr("k=1: passed"));
  EXPECT_FALSE(sweep.AllPassed());
}

TEST_F(FaultSweepTest, MessagesCountsOnlyWhatTheSelectorPicks) {
  SweepResult sets = SweepFaults(RequestsTo(kStore).Matching(HasString("op", "set")),
                                 SweepAction::CrashService(), ResilientConversation);
  EXPECT_EQ(sets.messages, 4);
  EXPECT_TRUE(sets.AllPassed()) << sets.Report();
  SweepResult replies =
      SweepFaults(RepliesFrom(kStore), SweepAction::CrashService(), NaiveConversation);
  EXPECT_EQ(replies.messages, 4) << "\"c\" has no reply";
}

// A crash at a reply: the request was carried out, its answer lost (S63);
// resending a "set" is harmless, so the resilient client still gets 10.
TEST_F(FaultSweepTest, AResilientClientSurvivesACrashAtEveryReply) {
  SweepResult sweep =
      SweepFaults(RepliesFrom(kStore), SweepAction::CrashService(), ResilientConversation);
  EXPECT_EQ(sweep.messages, 5);
  EXPECT_TRUE(sweep.AllPassed()) << sweep.Report();
}

// A delay changes nothing but the clock (S80: order is kept).
TEST_F(FaultSweepTest, SlowRepliesChangeNothing) {
  if (!deterministic()) GTEST_SKIP() << "30 s delays are virtual on the deterministic executor only";
  SweepResult sweep = SweepFaults(RepliesFrom(kStore), SweepAction::Delay(std::chrono::seconds(30)),
                                  ResilientConversation);
  EXPECT_EQ(sweep.messages, 5);
  EXPECT_TRUE(sweep.AllPassed()) << sweep.Report();
}

// A dropped request is never answered: each faulted run fails by itself,
// with its reason, and the calling test decides what that means.
TEST_F(FaultSweepTest, EachRunsFailuresAreKeptInsteadOfFailingTheTest) {
  if (!deterministic()) GTEST_SKIP() << "on threads each lost reply waits out the timeout";
  SweepResult sweep = SweepFaults(RequestsTo(kStore), SweepAction::Drop(), ResilientConversation);
  EXPECT_EQ(sweep.messages, 5);
  EXPECT_THAT(sweep.FailedAt(), ElementsAre(1, 2, 3, 4, 5));
  for (int k = 0; k < 5; ++k) {
    ASSERT_FALSE(sweep.runs[k].failures.empty());
    EXPECT_THAT(sweep.runs[k].failures[0], HasSubstr("never happened")) << "k=" << k + 1;
    EXPECT_THAT(sweep.runs[k].trace_tail, HasSubstr("fault: drop request"));
  }
  EXPECT_TRUE(sweep.runs[5].passed);
}

}  // namespace
}  // namespace xpctest::testing
