// The service runtime and the rest of <xpc/xpc.h> that needs processes:
// event streams (S114), transactions (S113), dispatch data (S36).
#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;

class ServiceRuntime : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ServiceRuntime);

// S114: events posted before the handler is set wait for it; each carries
// XPC_EVENT_KEY_NAME; a second handler for one stream is misuse (P6).
TEST_P(ServiceRuntime, S114EventsWaitForTheHandlerAndCarryTheirName) {
  fakes::runtime::Process& daemon = Spawn("daemon");
  {
    xpc_object_t event = xpc_dictionary_create_empty();
    xpc_dictionary_set_string(event, XPC_EVENT_KEY_NAME, "first");
    world().event_streams().Post(daemon, "com.apple.notifyd.matching", event);
    xpc_release(event);
  }
  EventLog* log = &log_;
  {
    fakes::runtime::ScopedProcess as(daemon);
    xpc_set_event_stream_handler("com.apple.notifyd.matching", nullptr,
                                 ^(xpc_object_t e) { log->Add("event", e); });
    xpc_set_event_stream_handler("com.apple.notifyd.matching", nullptr, ^(xpc_object_t) {});
  }
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: A handler is already set for this event stream."));
  xpc_object_t second = xpc_dictionary_create_empty();
  xpc_dictionary_set_string(second, XPC_EVENT_KEY_NAME, "second");
  world().event_streams().Post(daemon, "com.apple.notifyd.matching", second);
  xpc_release(second);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("event") == 2; }));
  EXPECT_STREQ(xpc_dictionary_get_string(log_.For("event")[0], XPC_EVENT_KEY_NAME), "first");
  EXPECT_STREQ(xpc_dictionary_get_string(log_.For("event")[1], XPC_EVENT_KEY_NAME), "second");
}

// S113: xpc_transaction_begin/end count on the calling process.
TEST_P(ServiceRuntime, S113TransactionsCountOnTheCallingProcess) {
  fakes::runtime::Process& daemon = Spawn("daemon");
  {
    fakes::runtime::ScopedProcess as(daemon);
    xpc_transaction_begin();
    xpc_transaction_begin();
    xpc_transaction_end();
  }
  EXPECT_EQ(daemon.transactions(), 1);
  EXPECT_EQ(world().host().transactions(), 0);
}

// S36: the dispatch data's bytes, however many regions it has.
TEST_P(ServiceRuntime, S36DataFromDispatchDataHoldsItsBytes) {
  dispatch_data_t a = dispatch_data_create("ab", 2, nullptr, DISPATCH_DATA_DESTRUCTOR_DEFAULT);
  dispatch_data_t b = dispatch_data_create("cd", 2, nullptr, DISPATCH_DATA_DESTRUCTOR_DEFAULT);
  dispatch_data_t both = dispatch_data_create_concat(a, b);
  xpc_object_t data = xpc_data_create_with_dispatch_data(both);
  ASSERT_EQ(xpc_data_get_length(data), 4u);
  EXPECT_EQ(std::string(static_cast<const char*>(xpc_data_get_bytes_ptr(data)), 4), "abcd");
  xpc_release(data);
  dispatch_release(both);
  dispatch_release(b);
  dispatch_release(a);
}

}  // namespace
}  // namespace xpctest::testing
