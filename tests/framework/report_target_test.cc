// A program whose tests fail on purpose, run only through check_reports.cmake:
// each failure must name the test's own line (marked "// REPORTED:" below),
// and --gtest_output=xml must keep the seed, the replay command and the trace.
#include <optional>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

// Over-releases an object of its own before it replies.
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

class ReportTarget : public xpctest::Test {
 protected:
  // Outlive the test body, so teardown finds the client's connection still
  // active (the service goes after it).
  std::optional<Service> service_;
  std::optional<Client> kept_;
};

TEST_F(ReportTarget, MisuseInAServiceFailsAtTheSendLine) {
  Service sloppy = Serve("sloppy", OverReleasingHandlePeer);
  Client client = Connect(sloppy, "sloppy-1");
  client.SendSync(Dict{{"op", "go"}});  // REPORTED: send
}

TEST_F(ReportTarget, AClientLeftActiveFailsWhereItWasMade) {
  service_.emplace(Serve("adder", AdderHandlePeer));
  kept_.emplace(Connect(*service_, "vault-1"));  // REPORTED: made
  kept_->SendSync(Dict{{"op", "add"}, {"a", 1}, {"b", 2}});
}

// 40 requests released unanswered: three warnings in full, then one summary.
TEST_F(ReportTarget, ManyUnexpectedWarningsEndInOneSummary) {
  Service forgetful = Serve("forgetful", [](xpc_connection_t peer) {
    xpc_connection_set_event_handler(peer, ^(xpc_object_t) {});  // never replies
    xpc_connection_activate(peer);
  });
  Client client = Connect(forgetful);
  std::vector<PendingReply> pending;
  for (int i = 0; i < 40; ++i) pending.push_back(client.SendAsync(Dict{{"op", "lost"}}));
  RunUntilIdle();
}

}  // namespace
}  // namespace xpctest::testing
