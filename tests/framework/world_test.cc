// Each test gets its own world; failures and teardown say what happened.
#include <gtest/gtest-spi.h>
#include <unistd.h>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

class WorldTest : public xpctest::Test {};

// The name claimed here must not be visible to the next test (below).
TEST_F(WorldTest, ANameClaimedInOneTest) {
  Service adder = Serve("adder", AdderHandlePeer, {.mach_service = "com.example.isolated"});
  Client client = ConnectTo("com.example.isolated");
  EXPECT_THAT(client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}}), HasInt64("sum", 3));
}

TEST_F(WorldTest, IsUnknownInTheNextTest) {
  Client client = ConnectTo("com.example.isolated");
  EXPECT_THAT(client.NextEvent(), IsInvalid()) << "S64: nobody serves the name in this world";
}

TEST_F(WorldTest, TwoWorldsInARowSeeNothingOfEachOther) {
  pid_t first_pid;
  {
    control::World inner;
    first_pid = inner.Spawn("one").pid();
    EXPECT_EQ(control::World::Current(), &inner);
  }
  control::World second;
  EXPECT_EQ(second.Spawn("one").pid(), first_pid) << "pids start afresh";
  EXPECT_FALSE(second.Find(first_pid + 1));
}

TEST_F(WorldTest, ExpectedWarningsPassAndNameTheRequest) {
  ExpectWarning("released without a reply");
  Service forgetful = Serve("forgetful", [](xpc_connection_t peer) {
    xpc_connection_set_event_handler(peer, ^(xpc_object_t) {});  // never replies
    xpc_connection_activate(peer);
  });
  Client client = Connect(forgetful);
  PendingReply pending = client.SendAsync(Dict{{"op", "lost"}});
  RunUntilIdle();
  EXPECT_FALSE(pending.ready()) << "P2: the reply stays pending while the peer lives";
  ASSERT_EQ(Diagnostics().size(), 1u);
  EXPECT_NE(Diagnostics()[0].object.find("lost"), std::string::npos);
}

TEST_F(WorldTest, MisuseFailsTheTestWithTheCallNamed) {
  if (Options().executor != control::ExecutorKind::kDeterministic) {
    GTEST_SKIP() << "EXPECT_NONFATAL_FAILURE watches this thread only";
  }
  EXPECT_NONFATAL_FAILURE(
      {
        xpc_object_t number = xpc_int64_create(1);
        xpc_release(number);
        xpc_release(number);
      },
      "XPC API Misuse: Over-release of object.");
}

TEST_F(WorldTest, TheTraceShowsTheConversationAsAMermaidDiagram) {
  Service adder = Serve("adder", AdderHandlePeer);
  Client client = Connect(adder);
  client.SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}});
  std::string diagram = MermaidSequenceDiagram(world().Trace());
  EXPECT_NE(diagram.find("sequenceDiagram"), std::string::npos);
  EXPECT_NE(diagram.find("participant p" + std::to_string(adder.process().pid()) + " as adder"),
            std::string::npos);
  EXPECT_NE(diagram.find("op = \"add\""), std::string::npos);
}

}  // namespace
}  // namespace xpctest::testing

namespace xpctest::testing {
namespace {

class UnfinishedTest : public xpctest::Test {};

// What TearDown judges: the host's connections never cancelled and requests
// still waiting; services may run forever and are not judged.
TEST_F(UnfinishedTest, AnUncancelledHostConnectionIsReportedUntilCancelled) {
  Service adder = Serve("adder", AdderHandlePeer);
  Object endpoint = adder.endpoint();
  xpc_connection_t raw = xpc_connection_create_from_endpoint(
      static_cast<xpc_endpoint_t>(endpoint.get()));
  xpc_connection_set_event_handler(raw, ^(xpc_object_t) {});
  xpc_connection_activate(raw);
  RunUntilIdle();
  std::vector<std::string> unfinished = world().Unfinished();
  ASSERT_EQ(unfinished.size(), 1u);
  EXPECT_NE(unfinished[0].find("connection never cancelled: <connection:"), std::string::npos)
      << unfinished[0];
  EXPECT_NE(unfinished[0].find("[pid " + std::to_string(getpid()) + " host]"), std::string::npos);
  xpc_connection_cancel(raw);
  RunUntilIdle();
  EXPECT_TRUE(world().Unfinished().empty());
  xpc_release(raw);
}

}  // namespace
}  // namespace xpctest::testing

namespace xpctest::testing {
namespace {

// A fixture made and destroyed by hand, to watch what its destructor reports.
class HandMadeTest : public xpctest::Test {
 public:
  void TestBody() override {}
};

std::vector<std::string> FailuresOf(void (*scenario)()) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter intercept(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    scenario();
  }
  std::vector<std::string> failures;
  for (int i = 0; i < results.size(); ++i) failures.push_back(results.GetTestPartResult(i).message());
  return failures;
}

xpc_object_t g_kept;

TEST(LeakAccountingTest, AnObjectNeverReleasedFailsTheTestOnceTheWorldEnds) {
  std::vector<std::string> failures = FailuresOf([] {
    auto* fixture = new HandMadeTest;
    g_kept = xpc_string_create("forgotten");  // the test's leak
    delete fixture;
  });
  xpc_release(g_kept);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], ::testing::HasSubstr("1 XPC object(s) made during the test were never "
                                                "released"));
}

TEST(LeakAccountingTest, ObjectsReleasedBeforeTheEndAreNotReported) {
  std::vector<std::string> failures = FailuresOf([] {
    auto* fixture = new HandMadeTest;
    xpc_object_t message = xpc_dictionary_create_empty();
    xpc_dictionary_set_string(message, "op", "kept briefly");
    xpc_release(message);
    delete fixture;
  });
  EXPECT_THAT(failures, ::testing::IsEmpty());
}

TEST(LeakAccountingTest, WhatACrashedProcessHeldIsNotALeak) {
  std::vector<std::string> failures = FailuresOf([] {
    auto* fixture = new HandMadeTest;
    control::World& world = *control::World::Current();
    control::Process service = world.Spawn("holder");
    {
      control::ScopedProcess as(service);
      xpc_object_t held = xpc_string_create("held by the service");
      dispatch_queue_t queue = dispatch_queue_create("holder.work", DISPATCH_QUEUE_SERIAL);
      dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 60 * NSEC_PER_SEC), queue, ^{
        xpc_release(held);
      });
      dispatch_release(queue);
    }
    service.Crash();  // the pending block and what it holds vanish with it
    delete fixture;
  });
  EXPECT_THAT(failures, ::testing::IsEmpty());
}

}  // namespace
}  // namespace xpctest::testing
