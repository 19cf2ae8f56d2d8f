// Bad input at the connection API says what is wrong: error objects where a
// message was expected (S85, S87), a non-dispatch object as a queue, a
// borrowed peer released (S21), a message nested too deeply (S48), and a
// flood of identical warnings (P2).
#include <string>

#include "conformance/connection_fixture.h"
#include "conformance/objects_test_support.h"
#include "objects/nesting.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class ConnectionMisuse : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionMisuse);

// S85, S87: create_reply and get_remote_connection return NULL for anything
// but a dictionary with a reply context, error objects included: a peer that
// calls create_reply on every event, its final INVALID too, is not misuse.
TEST_P(ConnectionMisuse, S85CreateReplyOfAnErrorIsNullNotMisuse) {
  Cell<int> errors_seen;
  Cell<int> non_null_answers;
  auto* errors_cell = &errors_seen;
  auto* answers_cell = &non_null_answers;
  xpc_connection_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    listener = xpc_connection_create(nullptr, nullptr);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
      auto peer = static_cast<xpc_connection_t>(object);
      xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
        xpc_object_t reply = xpc_dictionary_create_reply(event);
        xpc_connection_t remote = xpc_dictionary_get_remote_connection(event);
        if (xpc_get_type(event) == XPC_TYPE_ERROR) {
          errors_cell->set(errors_cell->get() + 1);
          if (reply != nullptr || remote != nullptr) answers_cell->set(answers_cell->get() + 1);
        }
        if (reply != nullptr) xpc_release(reply);
      });
      xpc_connection_activate(peer);
    });
    xpc_connection_activate(listener);
  }
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("hello");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  RunUntilIdle();
  xpc_connection_cancel(client);
  ASSERT_TRUE(RunUntil([&] { return errors_seen.get() == 1; }));
  EXPECT_EQ(non_null_answers.get(), 0);
  xpc_object_t number = xpc_int64_create(1);
  EXPECT_EQ(xpc_dictionary_create_reply(number), nullptr);
  EXPECT_EQ(xpc_dictionary_get_remote_connection(number), nullptr);
  xpc_release(number);
  EXPECT_TRUE(misuse_.Reports().empty()) << misuse_.Reports().at(0).ToString();
  xpc_connection_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// An object that is not a dispatch queue, passed where XPC wants one, is
// named as such: it is not an over-release.
TEST_P(ConnectionMisuse, NonDispatchObjectPassedAsAQueueIsNamedAsSuch) {
  xpc_object_t number = xpc_int64_create(1);
  auto* not_a_queue = reinterpret_cast<dispatch_queue_t>(number);
  xpc_connection_t client = xpc_connection_create("com.example.queue", not_a_queue);
  xpc_connection_set_target_queue(client, not_a_queue);
  dispatch_async(not_a_queue, ^{});
  EXPECT_THAT(
      misuse_.Headlines(),
      ElementsAre("XPC API Misuse: The object passed as the target queue is not a dispatch queue.",
                  "XPC API Misuse: The object passed as the target queue is not a dispatch queue.",
                  "BUG IN CLIENT OF LIBDISPATCH: dispatch_async called with an object that is "
                  "not a dispatch object"));
  EXPECT_EQ(misuse_.Reports().at(0).call, "xpc_connection_create");
  EXPECT_THAT(misuse_.Reports().at(0).object, StartsWith("<int64: 0x"));
  EXPECT_EQ(misuse_.Reports().at(1).call, "xpc_connection_set_target_queue");
  misuse_.Clear();
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
  xpc_release(number);
  EXPECT_TRUE(misuse_.Reports().empty());
}

// S21: the peer handed to a listener's handler is borrowed. Releasing it
// there without retaining it first is an over-release of that peer, reported
// naming xpc_release and the borrowed peer — never blamed on a cancel.
TEST_P(ConnectionMisuse, S21ReleasingABorrowedPeerIsReportedAsItsOverRelease) {
  xpc_connection_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    listener = xpc_connection_create(nullptr, nullptr);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
      auto peer = static_cast<xpc_connection_t>(object);
      xpc_connection_set_event_handler(peer, ^(xpc_object_t) {});
      xpc_connection_activate(peer);
      xpc_release(peer);  // the mistake: the handler does not own the peer
    });
    xpc_connection_activate(listener);
  }
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("hello");
  xpc_connection_send_message(client, message);
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return !misuse_.Reports().empty(); }));
  RunUntilIdle();
  ASSERT_EQ(misuse_.Reports().size(), 1u) << misuse_.Reports().back().ToString();
  Diagnostic report = misuse_.Reports().at(0);
  EXPECT_EQ(report.headline, "XPC API Misuse: Over-release of object.");
  EXPECT_EQ(report.call, "xpc_release");
  EXPECT_THAT(report.object, HasSubstr(".peer.0x"));
  EXPECT_THAT(report.details, HasSubstr("borrowed"));
  xpc_connection_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S48: a message nested up to the limit travels; one level deeper is misuse
// naming the send call, and nothing is sent.
TEST_P(ConnectionMisuse, MessageNestedPastTheLimitIsMisuseAndIsNotSent) {
  using fakes::objects::kMaxNestingDepth;
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  xpc_object_t fits = conformance::NestedDictionaries(kMaxNestingDepth);
  xpc_connection_send_message(client, fits);
  xpc_release(fits);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  EXPECT_TRUE(misuse_.Reports().empty());
  xpc_object_t too_deep = conformance::NestedDictionaries(kMaxNestingDepth + 1);
  xpc_connection_send_message(client, too_deep);
  xpc_release(too_deep);
  RunUntilIdle();
  EXPECT_EQ(log_.CountFor("peer"), 1u);
  std::string limit = std::to_string(kMaxNestingDepth);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Collections nested deeper than " + limit +
                          " levels cannot be copied, compared, hashed or sent."));
  EXPECT_EQ(misuse_.Reports().at(0).call, "xpc_connection_send_message");
}

// P2 at scale: a thousand requests released unanswered print the first ten
// warnings in full, one line saying the rest are counted, and the total when
// the printing ends (a sink is installed, or the program exits); a sink
// receives every one.
TEST_P(ConnectionMisuse, P2AThousandUnansweredRequestsPrintASummaryNotAThousandWarnings) {
  constexpr int kRequests = 1000;
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service"), /*answer=*/false));
  std::string printed;
  {
    ScopedDiagnosticSink print_to_stderr(nullptr);
    ::testing::internal::CaptureStderr();
    for (int i = 0; i < kRequests; ++i) {
      xpc_object_t message = Message("unanswered");
      xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t) {});
      xpc_release(message);
    }
    ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == kRequests; }));
    log_.Clear();  // releases the requests: one P2 warning each
    RunUntilIdle();
  }
  printed = ::testing::internal::GetCapturedStderr();
  size_t warnings = 0;
  for (size_t at = printed.find("xpctest warning: a message that expects a reply");
       at != std::string::npos;
       at = printed.find("xpctest warning: a message that expects a reply", at + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 12u) << "10 in full, a note that the rest are counted, the total";
  EXPECT_THAT(printed, HasSubstr("further ones are counted, not printed"));
  EXPECT_THAT(printed, HasSubstr("1000 times in all, 990 not printed"));
  EXPECT_LT(printed.size(), 20'000u);
  misuse_.Clear();
  // With a sink installed, every warning reaches it.
  for (int i = 0; i < 50; ++i) {
    xpc_object_t message = Message("unanswered");
    xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t) {});
    xpc_release(message);
  }
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 50; }));
  log_.Clear();
  RunUntilIdle();
  EXPECT_EQ(misuse_.Reports().size(), 50u);
  xpc_connection_cancel(client);
  RunUntilIdle();
  misuse_.Clear();
}

}  // namespace
}  // namespace xpctest::testing
