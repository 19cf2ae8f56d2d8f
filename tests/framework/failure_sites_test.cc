// Failures are reported at the test's own lines (xpctest/call_site.h), never
// inside xpctest's source: the IDE and the CI annotation point at the line
// that made the client, served, sent or waited.
#include <gtest/gtest-spi.h>

#include <functional>
#include <string>
#include <vector>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::HasSubstr;

// A service that over-releases an object of its own before it replies: misuse
// that happens in the service while the test waits for the reply.
void OverReleasingHandlePeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t number = xpc_int64_create(1);
    xpc_release(number);
    xpc_release(number);
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

// The failures `body` reports, on any thread.
std::vector<::testing::TestPartResult> FailuresOf(const std::function<void()>& body) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS, &results);
    body();
  }
  std::vector<::testing::TestPartResult> failures;
  for (int i = 0; i < results.size(); ++i) {
    if (results.GetTestPartResult(i).failed()) failures.push_back(results.GetTestPartResult(i));
  }
  return failures;
}

std::string Where(const ::testing::TestPartResult& failure) {
  return std::string(failure.file_name() != nullptr ? failure.file_name() : "(none)") + ":" +
         std::to_string(failure.line_number());
}

std::string At(int line) { return std::string(__FILE__) + ":" + std::to_string(line); }

class FailureSitesTest : public xpctest::Test {};

TEST_F(FailureSitesTest, MisuseInAServiceIsReportedAtTheLineThatSent) {
  Service sloppy = Serve("sloppy", OverReleasingHandlePeer);
  Client client = Connect(sloppy);
  int line = 0;
  std::vector<::testing::TestPartResult> failures = FailuresOf([&] {
    line = __LINE__ + 1;
    client.SendSync(Dict{{"op", "go"}});
  });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(Where(failures[0]), At(line));
  EXPECT_THAT(failures[0].message(), HasSubstr("XPC API Misuse: Over-release of object."));
}

// Raw XPC calls in the test body are no framework call: the test's own line.
TEST_F(FailureSitesTest, MisuseInTheTestBodyIsReportedAtTheTestsLine) {
  int test_line = __LINE__ - 1;
  std::vector<::testing::TestPartResult> failures = FailuresOf([] {
    xpc_object_t number = xpc_int64_create(1);
    xpc_release(number);
    xpc_release(number);
  });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(Where(failures[0]), At(test_line));
}

TEST_F(FailureSitesTest, AWaitThatNeverEndsIsReportedAtTheWait) {
  if (Options().executor != control::ExecutorKind::kDeterministic) {
    GTEST_SKIP() << "on threads the wait would take Options().timeout to give up";
  }
  Service adder = Serve("adder", AdderHandlePeer);
  Client client = Connect(adder, "quiet-1");
  int line = 0;
  std::vector<::testing::TestPartResult> failures = FailuresOf([&] {
    line = __LINE__ + 1;
    client.NextEvent();
  });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(Where(failures[0]), At(line));
  EXPECT_THAT(failures[0].message(), HasSubstr("quiet-1: the next event never happened"));
}

// Teardown finds what a client left unfinished by its handle in the
// runtime's report, and reports it where the client was made, with its label.
TEST_F(FailureSitesTest, AClientIsFoundByItsConnectionInAnUnfinishedReport) {
  Service adder = Serve("adder", AdderHandlePeer);
  int made_line = __LINE__ + 1;
  Client vault = Connect(adder, "vault-1");
  std::vector<std::string> unfinished = world().Unfinished();
  ASSERT_EQ(unfinished.size(), 1u) << "an active client";
  EXPECT_THAT(unfinished[0], HasSubstr("connection never cancelled"));
  std::string label;
  CallSite made_at;
  ASSERT_TRUE(internal::FindClientNamedIn(unfinished[0], &label, &made_at));
  EXPECT_EQ(label, "vault-1");
  EXPECT_EQ(std::string(made_at.file) + ":" + std::to_string(made_at.line), At(made_line));
  EXPECT_FALSE(internal::FindClientNamedIn("connection never cancelled: <connection: 0x1>", &label,
                                           &made_at));
}

// A client the test did not label keeps the default name in reports.
TEST_F(FailureSitesTest, AnUnlabelledClientIsCalledAClientOfItsService) {
  Service adder = Serve("adder", AdderHandlePeer);
  Client client = Connect(adder);
  EXPECT_EQ(client.label(), "client of adder");
}

}  // namespace
}  // namespace xpctest::testing
