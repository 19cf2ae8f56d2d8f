// Connections: creation, activation, suspension, release (S53–S59).
#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ConnectionLifecycle : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionLifecycle);

// S54: connections start inactive; messages sent before activation are queued
// in FIFO order and go out once the connection is activated.
TEST_P(ConnectionLifecycle, S54MessagesSentBeforeActivationAreQueuedInOrder) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  EventLog* log = &log_;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) { log->Add("client", event); });
  for (const char* op : {"one", "two", "three"}) {
    xpc_object_t message = Message(op);
    xpc_connection_send_message(client, message);
    xpc_release(message);
  }
  RunUntilIdle();
  EXPECT_EQ(log_.CountFor("peer"), 0u) << "nothing may leave an inactive connection";
  xpc_connection_activate(client);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 3; }));
  std::vector<std::string> ops;
  for (xpc_object_t m : log_.For("peer")) ops.push_back(OpOf(m));
  EXPECT_THAT(ops, ElementsAre("one", "two", "three"));
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
}

// S55: activating without an event handler is an API misuse.
TEST_P(ConnectionLifecycle, S55ActivationWithoutHandlerIsMisuse) {
  xpc_connection_t client = xpc_connection_create("com.example.nothing", nullptr);
  xpc_connection_activate(client);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Activation of a connection without an event handler."));
  misuse_.Clear();
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
  EXPECT_TRUE(misuse_.Reports().empty());
}

TEST(ConnectionLifecycleDeathTest, S55ActivationWithoutHandlerAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        xpc_connection_t client = xpc_connection_create("com.example.nothing", nullptr);
        xpc_connection_activate(client);
      },
      "XPC API Misuse: Activation of a connection without an event handler\\.(.|\n)*"
      "xpc_connection_activate");
}

// S56: activating twice does nothing; the initial resume activates.
TEST_P(ConnectionLifecycle, S56InitialResumeActivatesAndSecondActivateIsHarmless) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_resume(client);
  xpc_connection_activate(client);
  xpc_object_t message = Message("ping");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(message);
  EXPECT_EQ(OpOf(reply), "ping");
  xpc_release(reply);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
  EXPECT_TRUE(misuse_.Reports().empty());
}

// S57: while suspended nothing is delivered; resume delivers what waited.
TEST_P(ConnectionLifecycle, S57SuspendHoldsDeliveryUntilResume) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t first = Message("first");
  xpc_connection_send_message(client, first);
  xpc_release(first);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1; }));
  xpc_connection_t peer = peers().at(0);
  xpc_connection_suspend(peer);
  RunUntilIdle();
  xpc_object_t second = Message("second");
  xpc_connection_send_message(client, second);
  xpc_release(second);
  RunUntilIdle();
  EXPECT_EQ(log_.CountFor("peer"), 1u);
  xpc_connection_resume(peer);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 2; }));
  EXPECT_EQ(OpOf(log_.For("peer").at(1)), "second");
}

// S58: resuming more than suspending is misuse, with libxpc's words.
TEST_P(ConnectionLifecycle, S58OverResumeIsMisuse) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_connection_t client = ConnectClient(listener);
  xpc_connection_resume(client);
  EXPECT_THAT(misuse_.Headlines(), ElementsAre("XPC API Misuse: Over-resume of a connection."));
  EXPECT_THAT(misuse_.Reports().at(0).call, "xpc_connection_resume");
}

// S59: releasing the last reference of a never-activated connection is misuse.
TEST_P(ConnectionLifecycle, S59ReleasingAnInactiveConnectionIsMisuse) {
  xpc_connection_t client = xpc_connection_create("com.example.nothing", nullptr);
  xpc_release(client);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Release of last reference on a suspended connection."));
}

// S59: and so is releasing a suspended one.
TEST_P(ConnectionLifecycle, S59ReleasingASuspendedConnectionIsMisuse) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_connection_suspend(client);
  xpc_release(client);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Release of last reference on a suspended connection."));
  RunUntilIdle();
}

// S53/S64: a name nobody serves fails at activation with INVALID, and the
// invalidation reason says why (S111).
TEST_P(ConnectionLifecycle, S64UnknownNameIsInvalidAtActivation) {
  xpc_connection_t client = xpc_connection_create_mach_service("com.example.nobody", nullptr, 0);
  EventLog* log = &log_;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) { log->Add("client", event); });
  EXPECT_EQ(xpc_connection_copy_invalidation_reason(client), nullptr);
  xpc_connection_activate(client);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 1; }));
  EXPECT_EQ(log_.at(0), XPC_ERROR_CONNECTION_INVALID);
  char* reason = xpc_connection_copy_invalidation_reason(client);
  ASSERT_NE(reason, nullptr);
  EXPECT_THAT(reason, HasSubstr("Connection init failed at lookup with error 3 - No such process"));
  free(reason);
  xpc_release(client);
}

}  // namespace
}  // namespace xpctest::testing
