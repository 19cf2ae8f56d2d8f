// More rules of sections 10–12: handlers and target queues (S72, S74, S76),
// reply_sync on the connection's own queue (S84), check-in (S89, P1), peer
// rejection (S90), endpoints only from listeners (S96).
#include "conformance/connection_fixture.h"

namespace xpctest::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ConnectionRules : public ConnectionTest {};
XPCTEST_ON_BOTH_EXECUTORS(ConnectionRules);

// S74: a handler set from inside the handler takes effect with the next event.
TEST_P(ConnectionRules, S74HandlerReplacedInsideTheHandlerTakesTheNextEvent) {
  xpc_connection_t listener = nullptr;
  EventLog* log = &log_;
  {
    fakes::runtime::ScopedProcess as(Spawn("service"));
    listener = xpc_connection_create(nullptr, nullptr);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
      xpc_connection_t peer = static_cast<xpc_connection_t>(object);
      xpc_connection_set_event_handler(peer, ^(xpc_object_t first) {
        log->Add("first-handler", first);
        xpc_connection_set_event_handler(peer, ^(xpc_object_t later) {
          log->Add("second-handler", later);
        });
      });
      xpc_connection_activate(peer);
    });
    xpc_connection_activate(listener);
  }
  xpc_connection_t client = ConnectClient(listener);
  for (const char* op : {"one", "two", "three"}) {
    xpc_object_t message = Message(op);
    xpc_connection_send_message(client, message);
    xpc_release(message);
  }
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("second-handler") == 2; }));
  EXPECT_EQ(log_.CountFor("first-handler"), 1u);
  EXPECT_EQ(OpOf(log_.For("second-handler")[0]), "two");
  xpc_connection_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S72/S76: handlers run on the target queue, the default one unless set;
// a change made before activation applies to the first event.
TEST_P(ConnectionRules, S76TargetQueueSetBeforeActivationRunsTheHandler) {
  static int key;
  dispatch_queue_t queue = dispatch_queue_create("client.target", DISPATCH_QUEUE_SERIAL);
  dispatch_queue_set_specific(queue, &key, &key, nullptr);
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  Cell<int> on_target;
  on_target.set(-1);
  auto* cell = &on_target;
  xpc_connection_set_target_queue(client, queue);
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {
    cell->set(dispatch_get_specific(&key) == &key ? 1 : 0);
  });
  xpc_connection_activate(client);
  xpc_connection_cancel(client);
  ASSERT_TRUE(RunUntil([&] { return on_target.get() != -1; }));
  EXPECT_EQ(on_target.get(), 1);
  xpc_release(client);
  dispatch_release(queue);
}

// S84/S75: reply_sync from the connection's own event handler may deadlock on
// macOS; here it works, and the runtime says so with a warning.
TEST_P(ConnectionRules, S84ReplySyncOnTheConnectionsOwnQueueWarns) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  EventLog* log = &log_;
  xpc_connection_t self = client;
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) {
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t message = Message("nested");
    xpc_object_t reply = xpc_connection_send_message_with_reply_sync(self, message);
    log->Add("nested-reply", reply);
    xpc_release(reply);
    xpc_release(message);
  });
  xpc_connection_activate(client);
  // Replies bypass the event handler (S82), so the peer pushes a message to
  // make the client's handler run; the peer exists once a request went out.
  xpc_object_t first = Message("hello");
  xpc_object_t ignored = xpc_connection_send_message_with_reply_sync(client, first);
  xpc_release(ignored);
  xpc_release(first);
  xpc_connection_t peer = peers().at(0);
  xpc_object_t push = Message("push");
  xpc_connection_send_message(peer, push);
  xpc_release(push);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("nested-reply") == 1; }));
  EXPECT_EQ(OpOf(log_.For("nested-reply")[0]), "nested");
  ASSERT_FALSE(misuse_.Reports().empty());
  EXPECT_EQ(misuse_.Reports()[0].kind, DiagnosticKind::kWarning);
  EXPECT_THAT(misuse_.Headlines()[0], HasSubstr("can deadlock on macOS (S84)"));
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
}

// S62: the moment a service's process dies its name is free, before the
// runtime has torn the dead listener down: a lookup does not find the dead
// listener (launchd would relaunch the job), and a new process may claim it.
// (A client's send right after a crash used to reach the dead listener and
// fail for good.)
TEST_P(ConnectionRules, S62ANameIsFreeTheMomentItsProcessDies) {
  struct StandIn final : fakes::runtime::Port {
    explicit StandIn(fakes::runtime::Process& process) : process(process) {}
    fakes::runtime::Process& port_owner() const override { return process; }
    fakes::runtime::Process& process;
  };
  fakes::runtime::Bootstrap& bootstrap = world().bootstrap();
  fakes::runtime::Process& dead = Spawn("dead");
  auto first = std::make_shared<StandIn>(dead);
  std::string why;
  ASSERT_EQ(bootstrap.Claim("com.example.name", first, false, &why),
            fakes::runtime::ClaimResult::kClaimed);
  dead.End(fakes::runtime::ProcessEnd::kCrash);  // the stand-in hears nothing
  std::string failure;
  EXPECT_EQ(bootstrap.Lookup("com.example.name", fakes::runtime::LookupScope::kAny,
                             Spawn("client"), &failure),
            nullptr);
  auto second = std::make_shared<StandIn>(Spawn("relaunched"));
  EXPECT_EQ(bootstrap.Claim("com.example.name", second, false, &why),
            fakes::runtime::ClaimResult::kClaimed)
      << why;
}

// S89/P1: in a strict world only declared names may be claimed; an
// undeclared listener gets INVALID, a declared one serves.
TEST_P(ConnectionRules, P1StrictNamespaceAcceptsOnlyDeclaredNames) {
  world().bootstrap().set_strict(true);
  world().bootstrap().Declare("com.example.declared");
  StartEchoListener(Spawn("undeclared"), true, "com.example.undeclared");
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("listener") == 1; }));
  EXPECT_EQ(log_.For("listener")[0], XPC_ERROR_CONNECTION_INVALID);
  StartEchoListener(Spawn("declared"), true, "com.example.declared");
  RunUntilIdle();
  xpc_connection_t client = xpc_connection_create_mach_service("com.example.declared", nullptr, 0);
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_object_t message = Message("hi");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  EXPECT_EQ(OpOf(reply), "hi");
  xpc_release(reply);
  xpc_release(message);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
}

// S90/S70: a peer cancelled inside the listener's handler is rejected; its
// client is interrupted and the runtime disposes of the peer.
TEST_P(ConnectionRules, S90RejectingAPeerByCancellingItInterruptsTheClient) {
  xpc_connection_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(Spawn("picky"));
    listener = xpc_connection_create(nullptr, nullptr);
    xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
      if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) {
        xpc_connection_cancel(static_cast<xpc_connection_t>(peer));
      }
    });
    xpc_connection_activate(listener);
  }
  xpc_connection_t client = ConnectClient(listener);
  xpc_object_t message = Message("let me in");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(message);
  EXPECT_EQ(reply, XPC_ERROR_CONNECTION_INTERRUPTED);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 1; }));
  EXPECT_EQ(log_.For("client")[0], XPC_ERROR_CONNECTION_INTERRUPTED);
  EXPECT_TRUE(misuse_.Reports().empty()) << "rejecting needs no activation (S90)";
  xpc_connection_cancel(listener);
  RunUntilIdle();
  xpc_release(listener);
}

// S96/S140: an endpoint comes only from a listener; a peer's is misuse.
TEST_P(ConnectionRules, S96EndpointOfAPeerIsMisuse) {
  xpc_connection_t client = ConnectClient(StartEchoListener(Spawn("service")));
  xpc_object_t message = Message("hi");
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, message);
  xpc_release(reply);
  xpc_release(message);
  EXPECT_EQ(xpc_endpoint_create(peers().at(0)), nullptr);
  EXPECT_EQ(xpc_endpoint_create(client), nullptr);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: Endpoints can only be created from listener connections.",
                          "XPC API Misuse: Endpoints can only be created from listener connections."));
}

// S44: an endpoint is immutable: xpc_copy gives it back (as for the other
// immutable boxes), never the NULL it keeps for connections. Found by
// fuzz/object_model_fuzzer.
TEST_P(ConnectionRules, S44CopyOfAnEndpointIsTheEndpoint) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener);
  xpc_object_t copy = xpc_copy(endpoint);
  EXPECT_EQ(copy, endpoint);
  if (copy != nullptr) xpc_release(copy);
  xpc_release(endpoint);
}

}  // namespace
}  // namespace xpctest::testing
