// Fault actions on every kind of client connection: a named client, an
// endpoint client and a session, each against the expected events of
// docs/semantics.md (S62–S70, S93, S98, S115c, S116, P3).
#include <atomic>
#include <string>

#include "framework/test_services.h"
#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

using ::testing::HasSubstr;

enum class Kind { kNamed, kEndpoint, kSession };

std::string KindName(const ::testing::TestParamInfo<Kind>& info) {
  switch (info.param) {
    case Kind::kNamed: return "NamedClient";
    case Kind::kEndpoint: return "EndpointClient";
    case Kind::kSession: return "Session";
  }
  return "?";
}

std::atomic<int> g_peer_invalid{0};
std::atomic<int> g_peer_forbidden{0};

// The adder, counting the INVALIDs its peers get.
void AdderCountingPeerEnds(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (event == XPC_ERROR_CONNECTION_INVALID) {
      ++g_peer_invalid;
      return;
    }
    if (event == XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT) {
      ++g_peer_forbidden;
      return;
    }
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(event);
    const char* op = xpc_dictionary_get_string(event, "op");
    if (op != nullptr && std::string_view(op) == "add") {
      xpc_dictionary_set_int64(reply, "sum", xpc_dictionary_get_int64(event, "a") +
                                                 xpc_dictionary_get_int64(event, "b"));
    } else {
      xpc_dictionary_set_string(reply, "error", "unknown op");
    }
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

class FaultActionsTest : public xpctest::Test, public ::testing::WithParamInterface<Kind> {
 protected:
  void SetUp() override {
    g_peer_invalid = 0;
    g_peer_forbidden = 0;
  }
  Service Adder() {
    return Serve("adder", AdderCountingPeerEnds, {.mach_service = "com.example.adder"});
  }
  Client ConnectAs(const Service& service) {
    switch (GetParam()) {
      case Kind::kNamed: return ConnectTo("com.example.adder");
      case Kind::kEndpoint: return Connect(service);
      case Kind::kSession: return ConnectSession("com.example.adder");
    }
    return ConnectTo("com.example.adder");
  }
  static Object Add(int64_t a, int64_t b) { return Dict{{"op", "add"}, {"a", a}, {"b", b}}; }
};

TEST_P(FaultActionsTest, MutateChangesOnlyTheReceiversCopy) {
  Service adder = Adder();
  FaultHandle rule = Faults(world()).On(RequestsTo(adder)).Times(1).ReplaceEntry("a", 40);
  Client client = ConnectAs(adder);
  Object request = Add(1, 2);
  EXPECT_THAT(client.SendSync(request), HasInt64("sum", 42));
  EXPECT_THAT(request, HasInt64("a", 1)) << "the sender's message is untouched (S48)";
  EXPECT_THAT(client.SendSync(Add(1, 2)), HasInt64("sum", 3)) << "Times(1)";
  EXPECT_EQ(rule.Applied(), 1);
}

TEST_P(FaultActionsTest, AMalformedRequestGetsTheServicesErrorReply) {
  Service adder = Adder();
  Faults(world()).On(RequestsTo(adder)).RemoveEntry("op");
  Client client = ConnectAs(adder);
  EXPECT_THAT(client.SendSync(Add(1, 2)), HasString("error", "unknown op"));
}

// S70: the service cancelling its peer interrupts a named client, which may
// go on; an endpoint client cannot reconnect (P3); a session ends (S116).
TEST_P(FaultActionsTest, CancelServiceAtARequest) {
  Service adder = Adder();
  Faults(world()).On(RequestsTo(adder)).Nth(2).CancelService();
  Client client = ConnectAs(adder);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  Object second = client.SendSync(Add(2, 2));
  switch (GetParam()) {
    case Kind::kNamed:
      EXPECT_THAT(second, IsInterrupted());
      EXPECT_THAT(client.NextEvent(), IsInterrupted());
      EXPECT_THAT(client.SendSync(Add(3, 3)), HasInt64("sum", 6)) << "S62: a new peer";
      break;
    case Kind::kEndpoint:
      EXPECT_THAT(second, IsInterrupted());
      EXPECT_THAT(client.NextEvent(), IsInterrupted());
      EXPECT_THAT(client.SendSync(Add(3, 3)), IsInvalid()) << "P3: no way back";
      break;
    case Kind::kSession:
      EXPECT_THAT(second, IsRichError());
      EXPECT_THAT(client.NextEvent(), IsRichError(HasSubstr("Session cancelled")));
      break;
  }
  EXPECT_TRUE(RunUntil([] { return g_peer_invalid.load() == 1; })) << "S68: the peer's own INVALID";
}

// S69, S70: the client's own cancel: INVALID (or the session's end) for the
// client, INVALID for the service's peer.
TEST_P(FaultActionsTest, CancelClientAtARequest) {
  Service adder = Adder();
  Faults(world()).On(RequestsTo(adder)).Nth(2).CancelClient();
  Client client = ConnectAs(adder);
  EXPECT_THAT(client.SendSync(Add(1, 1)), HasInt64("sum", 2));
  Object second = client.SendSync(Add(2, 2));
  if (GetParam() == Kind::kSession) {
    EXPECT_THAT(second, IsRichError());
    EXPECT_THAT(client.NextEvent(), IsRichError());
  } else {
    EXPECT_THAT(second, IsInvalid());
    EXPECT_THAT(client.NextEvent(), IsInvalid());
  }
  EXPECT_TRUE(RunUntil([] { return g_peer_invalid.load() == 1; })) << "S70";
}

// S115c: a reply from a peer that fails the client's requirement is replaced
// by PEER_CODE_SIGNING_REQUIREMENT, and the connection ends with it.
TEST_P(FaultActionsTest, FailCodeSigningOfAReply) {
  Service adder = Adder();
  Faults(world()).On(RepliesFrom(adder)).FailCodeSigning();
  Client client = ConnectAs(adder);
  Object reply = client.SendSync(Add(1, 1));
  if (GetParam() == Kind::kSession) {
    EXPECT_THAT(reply, IsRichError(HasSubstr("Peer Forbidden")));  // S126
    EXPECT_THAT(client.NextEvent(), AllOf(IsRichError(HasSubstr("Peer Forbidden")),
                                          ::testing::Not(CanRetry())));
  } else {
    EXPECT_THAT(reply, IsPeerForbidden());
    EXPECT_THAT(client.NextEvent(), IsPeerForbidden());
  }
}

// S115c: the service's peer finds the client fails its requirement, checked
// at delivery — also for the first message, before the listener activated
// the peer (a regression: it used to end the peer silently, S90).
TEST_P(FaultActionsTest, FailCodeSigningOfTheFirstRequestReachesThePeer) {
  Service adder = Adder();
  Faults(world()).On(RequestsTo(adder)).Times(1).FailCodeSigning();
  Client client = ConnectAs(adder);
  Object reply = client.SendSync(Add(1, 1));
  if (GetParam() == Kind::kSession) {
    EXPECT_THAT(reply, IsRichError());
  } else {
    EXPECT_THAT(reply, IsInterrupted());  // refused by the peer (S115c [E])
  }
  EXPECT_TRUE(RunUntil([] { return g_peer_forbidden.load() == 1; }));
}

// S133: the listener's requirement refuses the client: it never gets a peer.
TEST_P(FaultActionsTest, FailCodeSigningOfAConnection) {
  Service adder = Adder();
  FaultHandle rule = Faults(world()).On(ConnectionsTo(adder)).FailCodeSigning();
  Client client = ConnectAs(adder);
  Object reply = client.SendSync(Add(1, 1));
  if (GetParam() == Kind::kSession) {
    EXPECT_THAT(reply, IsRichError());
  } else {
    EXPECT_THAT(reply, ::testing::AnyOf(IsInterrupted(), IsInvalid()));
    EXPECT_THAT(client.NextEvent(), ::testing::AnyOf(IsInterrupted(), IsInvalid()));
  }
  EXPECT_EQ(rule.Applied(), 1);
  EXPECT_EQ(g_peer_invalid.load(), 0) << "no peer was ever made";
}

// S70: turned away as by a service cancelling each new peer; a named client
// may try again and succeeds once the rule is spent.
TEST_P(FaultActionsTest, RefuseAConnection) {
  Service adder = Adder();
  FaultHandle rule = Faults(world()).On(ConnectionsTo(adder)).Times(1).Refuse();
  Client client = ConnectAs(adder);
  Object reply = client.SendSync(Add(1, 1));
  switch (GetParam()) {
    case Kind::kNamed:
      EXPECT_THAT(reply, IsInterrupted());
      EXPECT_THAT(client.NextEvent(), IsInterrupted());
      EXPECT_THAT(client.SendSync(Add(2, 2)), HasInt64("sum", 4));
      break;
    case Kind::kEndpoint:
      EXPECT_THAT(reply, IsInterrupted());
      EXPECT_THAT(client.NextEvent(), IsInterrupted());
      EXPECT_THAT(client.SendSync(Add(2, 2)), IsInvalid()) << "P3";
      break;
    case Kind::kSession:
      EXPECT_THAT(reply, IsRichError());
      EXPECT_THAT(client.NextEvent(), IsRichError(HasSubstr("Session cancelled")));
      break;
  }
  EXPECT_EQ(rule.Applied(), 1);
}

// S62: a named client reaches a service relaunched after a crash that
// happened as it connected.
TEST_P(FaultActionsTest, CrashServiceAsAClientConnects) {
  Service adder = Adder();
  Faults(world()).On(ConnectionsTo(adder)).CrashService();
  Client client = ConnectAs(adder);
  Object reply = client.SendSync(Add(1, 1));
  if (GetParam() == Kind::kSession) {
    EXPECT_THAT(reply, IsRichError());
  } else if (GetParam() == Kind::kNamed) {
    EXPECT_THAT(reply, IsInterrupted());
    EXPECT_THAT(client.NextEvent(), IsInterrupted());
  } else {
    // P3: the listener behind the endpoint is gone for good.
    EXPECT_THAT(reply, IsInterrupted());
    EXPECT_THAT(client.NextEvent(), IsInvalid());
  }
  EXPECT_EQ(adder.process().state(), "crashed");
}

INSTANTIATE_TEST_SUITE_P(EveryClientKind, FaultActionsTest,
                         ::testing::Values(Kind::kNamed, Kind::kEndpoint, Kind::kSession), KindName);

}  // namespace
}  // namespace xpctest::testing
