// Peer requirements on connections: who is served, who is refused, and what
// each side sees (S115–S115e, S136, the error matrix's last row).
#include <cerrno>

#include "conformance/session_fixture.h"

namespace xpctest::testing {
namespace {

using fakes::runtime::CodeSigningIdentity;
using fakes::runtime::Identity;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PeerRequirementConnections : public SessionTest {
 protected:
  using Guard = int (*)(xpc_connection_t);

  ~PeerRequirementConnections() override {
    for (xpc_connection_t listener : listeners_) xpc_connection_cancel(listener);
    RunUntilIdle();
    for (xpc_connection_t listener : listeners_) xpc_release(listener);
  }

  // In `service`: an anonymous listener that applies `guard` to each peer in
  // its handler (as a service validates its clients), then echoes requests.
  xpc_connection_t StartGuardedListener(fakes::runtime::Process& service, Guard guard) {
    EventLog* log = &log_;
    xpc_connection_t listener;
    {
      fakes::runtime::ScopedProcess as(service);
      listener = xpc_connection_create(nullptr, nullptr);
      xpc_connection_set_event_handler(listener, ^(xpc_object_t object) {
        if (xpc_get_type(object) != XPC_TYPE_CONNECTION) return;
        xpc_connection_t peer = static_cast<xpc_connection_t>(object);
        EXPECT_EQ(guard(peer), 0);
        xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
          log->Add("peer", message);
          if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
          xpc_object_t reply = xpc_dictionary_create_reply(message);
          if (reply == nullptr) return;
          xpc_dictionary_set_string(reply, "reply", "ok");
          xpc_connection_send_message(peer, reply);
          xpc_release(reply);
        });
        xpc_connection_activate(peer);
      });
      xpc_connection_activate(listener);
    }
    listeners_.push_back(listener);
    return listener;
  }

  // From a new process signed by `team`: one request to `listener`; returns
  // the reply or error (+1), and the client's events are logged as "client".
  xpc_object_t AskFrom(const std::string& team, xpc_connection_t listener) {
    fakes::runtime::Process& app = SpawnSigned("app-" + team, team);
    fakes::runtime::ScopedProcess as(app);
    xpc_connection_t client = ConnectClient(listener);
    xpc_object_t message = Message("hello");
    xpc_object_t answer = xpc_connection_send_message_with_reply_sync(client, message);
    xpc_release(message);
    return answer;
  }

  std::vector<xpc_connection_t> listeners_;
};
XPCTEST_ON_BOTH_EXECUTORS(PeerRequirementConnections);

int RequireTeam123(xpc_connection_t peer) {
  return xpc_connection_set_peer_code_signing_requirement(
      peer, "anchor apple generic and certificate leaf[subject.OU] = \"TEAM123\"");
}

// S115/S115c: a service requiring its team serves a client with the right
// team id.
TEST_P(PeerRequirementConnections, S115cClientWithTheRightTeamIsServed) {
  xpc_connection_t listener = StartGuardedListener(SpawnSigned("service", "TEAM123"), RequireTeam123);
  xpc_object_t answer = AskFrom("TEAM123", listener);
  EXPECT_EQ(OpOf(answer), "ok");
  xpc_release(answer);
  EXPECT_EQ(log_.CountFor("peer"), 1u);
}

// S115c and the matrix: a client with the wrong team id is refused. Its
// message is dropped; the service's peer gets PEER_CODE_SIGNING_REQUIREMENT
// ("Peer Forbidden") and nothing else; the client sees INTERRUPTED then
// INVALID (S98 macOS 26 logs), its pending reply INTERRUPTED.
TEST_P(PeerRequirementConnections, S115cClientWithTheWrongTeamIsRefused) {
  xpc_connection_t listener = StartGuardedListener(SpawnSigned("service", "TEAM123"), RequireTeam123);
  xpc_object_t answer = AskFrom("OTHER99", listener);
  EXPECT_EQ(answer, XPC_ERROR_CONNECTION_INTERRUPTED);
  ASSERT_TRUE(RunUntil([&] { return log_.CountFor("peer") == 1 && log_.CountFor("client") == 2; }));
  EXPECT_THAT(log_.For("peer"), ElementsAre(XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT));
  EXPECT_STREQ(xpc_dictionary_get_string(log_.For("peer")[0], XPC_ERROR_KEY_DESCRIPTION),
               "Peer Forbidden");
  EXPECT_THAT(log_.For("client"),
              ElementsAre(XPC_ERROR_CONNECTION_INTERRUPTED, XPC_ERROR_CONNECTION_INVALID));
}

// S115c: a requirement on the listener itself refuses failing clients before
// its handler sees a peer ("requests dropped").
TEST_P(PeerRequirementConnections, S115cListenerRequirementRefusesBeforeTheHandler) {
  fakes::runtime::Process& service = SpawnSigned("service", "TEAM123");
  xpc_connection_t listener;
  {
    fakes::runtime::ScopedProcess as(service);
    listener = xpc_connection_create_mach_service("com.example.guarded", nullptr,
                                                  XPC_CONNECTION_MACH_SERVICE_LISTENER);
    ASSERT_EQ(RequireTeam123(listener), 0);
    EventLog* log = &log_;
    xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
      log->Add("listener", peer);
      if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
      xpc_connection_set_event_handler(static_cast<xpc_connection_t>(peer), ^(xpc_object_t) {});
      xpc_connection_activate(static_cast<xpc_connection_t>(peer));
    });
    xpc_connection_activate(listener);
  }
  listeners_.push_back(listener);
  fakes::runtime::Process& app = SpawnSigned("app", "OTHER99");
  xpc_object_t answer;
  {
    fakes::runtime::ScopedProcess as(app);
    xpc_connection_t client = xpc_connection_create_mach_service("com.example.guarded", nullptr, 0);
    EventLog* log = &log_;
    xpc_connection_set_event_handler(client, ^(xpc_object_t event) { log->Add("client", event); });
    xpc_connection_activate(client);
    xpc_object_t message = Message("let me in");
    answer = xpc_connection_send_message_with_reply_sync(client, message);
    xpc_release(message);
    ASSERT_TRUE(RunUntil([&] { return log_.CountFor("client") == 2; }));
    xpc_release(client);
  }
  EXPECT_EQ(answer, XPC_ERROR_CONNECTION_INTERRUPTED);
  EXPECT_THAT(log_.For("client"),
              ElementsAre(XPC_ERROR_CONNECTION_INTERRUPTED, XPC_ERROR_CONNECTION_INVALID));
  EXPECT_EQ(log_.CountFor("listener"), 0u);
}

// S115c: when the *replying* peer fails the client's requirement, the reply
// handler gets PEER_CODE_SIGNING_REQUIREMENT instead of the reply, and so
// does the event handler, once, as the connection's end.
TEST_P(PeerRequirementConnections, S115cClientRequirementReplacesTheReplyWithTheError) {
  xpc_connection_t listener = StartEchoListener(SpawnSigned("impostor", "OTHER99"));
  xpc_connection_t client = ConnectClient(listener);
  ASSERT_EQ(RequireTeam123(client), 0);
  Cell<xpc_object_t> answer;
  auto* answer_cell = &answer;
  xpc_object_t message = Message("secret");
  xpc_connection_send_message_with_reply(client, message, nullptr, ^(xpc_object_t r) { answer_cell->set(r); });
  xpc_release(message);
  ASSERT_TRUE(RunUntil([&] { return answer.get() != nullptr && log_.CountFor("client") == 1; }));
  EXPECT_EQ(answer.get(), XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT);
  EXPECT_THAT(log_.For("client"), ElementsAre(XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT));
  char* reason = xpc_connection_copy_invalidation_reason(client);
  EXPECT_THAT(reason, HasSubstr("does not satisfy the peer requirement"));
  free(reason);
}

// S115a/S115e/S136: every form of requirement, each with a service that
// satisfies it and one that does not, checked by the client.
TEST_P(PeerRequirementConnections, S115aEveryFormAcceptsAndRejects) {
  CodeSigningIdentity host;
  host.signing_identifier = "com.example.app";
  host.team_identifier = "TEAM123";
  world().host().set_code_signing(host);

  CodeSigningIdentity developer;
  developer.signing_identifier = "com.example.helper";
  developer.team_identifier = "TEAM123";
  developer.entitlements = {{"com.example.service", "true"}, {"com.example.tier", "gold"},
                            {"com.example.level", "3"}};
  CodeSigningIdentity stranger;
  stranger.signing_identifier = "com.example.helper";
  stranger.team_identifier = "OTHER99";
  stranger.entitlements = {{"com.example.tier", "tin"}, {"com.example.level", "1"}};
  CodeSigningIdentity platform;
  platform.signing_identifier = "com.apple.xpcd";
  platform.platform_binary = true;
  platform.apple_anchor = true;

  struct Form {
    const char* name;
    int (*set)(xpc_connection_t);
    CodeSigningIdentity good, bad;
  } forms[] = {
      {"code signing string", RequireTeam123, developer, stranger},
      {"entitlement exists",
       [](xpc_connection_t c) {
         return xpc_connection_set_peer_entitlement_exists_requirement(c, "com.example.service");
       },
       developer, stranger},
      {"entitlement matches bool",
       [](xpc_connection_t c) {
         return xpc_connection_set_peer_entitlement_matches_value_requirement(
             c, "com.example.service", XPC_BOOL_TRUE);
       },
       developer, stranger},
      {"entitlement matches string",
       [](xpc_connection_t c) {
         xpc_object_t gold = xpc_string_create("gold");
         int result = xpc_connection_set_peer_entitlement_matches_value_requirement(
             c, "com.example.tier", gold);
         xpc_release(gold);
         return result;
       },
       developer, stranger},
      {"entitlement matches int64",
       [](xpc_connection_t c) {
         xpc_object_t three = xpc_int64_create(3);
         int result = xpc_connection_set_peer_entitlement_matches_value_requirement(
             c, "com.example.level", three);
         xpc_release(three);
         return result;
       },
       developer, stranger},
      {"team identity",
       [](xpc_connection_t c) {
         return xpc_connection_set_peer_team_identity_requirement(c, "com.example.helper");
       },
       developer, stranger},
      {"platform identity",
       [](xpc_connection_t c) {
         return xpc_connection_set_peer_platform_identity_requirement(c, "com.apple.xpcd");
       },
       platform, developer},
      {"lightweight code requirement",
       [](xpc_connection_t c) {
         xpc_object_t lwcr = xpc_dictionary_create_empty();
         xpc_dictionary_set_string(lwcr, "team-identifier", "TEAM123");
         int result = xpc_connection_set_peer_lightweight_code_requirement(c, lwcr);
         xpc_release(lwcr);
         return result;
       },
       developer, stranger},
      {"peer requirement object",
       [](xpc_connection_t c) {
         xpc_peer_requirement_t requirement =
             xpc_peer_requirement_create_entitlement_exists("com.example.service", nullptr);
         xpc_connection_set_peer_requirement(c, requirement);
         xpc_release(requirement);
         return 0;
       },
       developer, stranger},
      {"peer requirement object (team identity)",
       [](xpc_connection_t c) {
         xpc_peer_requirement_t requirement =
             xpc_peer_requirement_create_team_identity(nullptr, nullptr);
         xpc_connection_set_peer_requirement(c, requirement);
         xpc_release(requirement);
         return 0;
       },
       developer, stranger},
  };
  for (const Form& form : forms) {
    for (bool satisfied : {true, false}) {
      SCOPED_TRACE(std::string(form.name) + (satisfied ? ": satisfied" : ": not satisfied"));
      Identity identity;
      identity.code_signing = satisfied ? form.good : form.bad;
      xpc_connection_t listener = StartEchoListener(world().Spawn(form.name, identity));
      xpc_connection_t client = ConnectClient(listener);
      ASSERT_EQ(form.set(client), 0);
      xpc_object_t message = Message("form");
      xpc_object_t answer = xpc_connection_send_message_with_reply_sync(client, message);
      xpc_release(message);
      if (satisfied) {
        EXPECT_EQ(OpOf(answer), "form");
      } else {
        EXPECT_EQ(answer, XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT);
      }
      xpc_release(answer);
    }
  }
}

// S115: an unparseable string returns EINVAL at once and sets nothing; a
// second requirement is misuse (S115b) and the first one stays.
TEST_P(PeerRequirementConnections, S115bInvalidThenSecondRequirement) {
  xpc_connection_t client = xpc_connection_create_mach_service("com.example.x", nullptr, 0);
  EXPECT_EQ(xpc_connection_set_peer_code_signing_requirement(client, "anchor apple and ("), EINVAL);
  EXPECT_EQ(xpc_connection_set_peer_code_signing_requirement(client, nullptr), EINVAL);
  EXPECT_EQ(xpc_connection_set_peer_entitlement_exists_requirement(client, ""), EINVAL);
  xpc_object_t wrong = xpc_double_create(1.0);
  EXPECT_EQ(xpc_connection_set_peer_entitlement_matches_value_requirement(client, "k", wrong), EINVAL);
  xpc_release(wrong);
  EXPECT_EQ(xpc_connection_set_peer_team_identity_requirement(client, nullptr), EINVAL)
      << "the host has no team id to require";
  EXPECT_TRUE(misuse_.Headlines().empty());
  EXPECT_EQ(xpc_connection_set_peer_code_signing_requirement(client, "anchor apple"), 0);
  EXPECT_NE(xpc_connection_set_peer_platform_identity_requirement(client, nullptr), 0);
  EXPECT_THAT(misuse_.Headlines(),
              ElementsAre("XPC API Misuse: A peer requirement has already been set on this connection."));
  misuse_.Clear();
  xpc_connection_set_event_handler(client, ^(xpc_object_t) {});
  xpc_connection_activate(client);
  xpc_connection_cancel(client);
  RunUntilIdle();
  xpc_release(client);
}

// S136: constructors return NULL promptly, with a rich error, on bad input.
TEST_P(PeerRequirementConnections, S136ConstructorsRefuseInvalidInput) {
  xpc_rich_error_t error = nullptr;
  EXPECT_EQ(xpc_peer_requirement_create_entitlement_exists(nullptr, &error), nullptr);
  EXPECT_THAT(DescriptionOf(error), HasSubstr("Invalid peer requirement"));
  ReleaseIfAny(error);
  error = nullptr;
  xpc_object_t wrong = xpc_uint64_create(1);
  EXPECT_EQ(xpc_peer_requirement_create_entitlement_matches_value("k", wrong, &error), nullptr);
  EXPECT_THAT(DescriptionOf(error), HasSubstr("bool, string or int64"));
  xpc_release(wrong);
  ReleaseIfAny(error);
  error = nullptr;
  EXPECT_EQ(xpc_peer_requirement_create_lwcr(XPC_BOOL_TRUE, &error), nullptr);
  ReleaseIfAny(error);
  error = nullptr;
  EXPECT_EQ(xpc_peer_requirement_create_team_identity(nullptr, &error), nullptr);
  ReleaseIfAny(error);
  xpc_peer_requirement_t platform = xpc_peer_requirement_create_platform_identity(nullptr, nullptr);
  ASSERT_NE(platform, nullptr);
  char* text = xpc_copy_description(platform);
  EXPECT_THAT(text, HasSubstr("platform binary"));
  free(text);
  xpc_release(platform);
}

// S136: match_received_message tells whether a received message's sender
// satisfies the requirement.
TEST_P(PeerRequirementConnections, S136MatchReceivedMessageChecksTheSender) {
  xpc_connection_t listener = StartEchoListener(Spawn("service"));
  xpc_object_t good = AskFrom("TEAM123", listener);
  xpc_object_t bad = AskFrom("OTHER99", listener);
  xpc_release(good);
  xpc_release(bad);
  ASSERT_EQ(log_.CountFor("peer"), 2u);
  xpc_object_t lwcr = xpc_dictionary_create_empty();
  xpc_dictionary_set_string(lwcr, "team-identifier", "TEAM123");
  xpc_peer_requirement_t requirement = xpc_peer_requirement_create_lwcr(lwcr, nullptr);
  xpc_release(lwcr);
  xpc_rich_error_t error = nullptr;
  EXPECT_TRUE(xpc_peer_requirement_match_received_message(requirement, log_.For("peer")[0], &error));
  EXPECT_EQ(error, nullptr);
  EXPECT_FALSE(xpc_peer_requirement_match_received_message(requirement, log_.For("peer")[1], &error));
  EXPECT_THAT(DescriptionOf(error), HasSubstr("Peer Forbidden"));
  ReleaseIfAny(error);
  error = nullptr;
  xpc_object_t local = Message("never sent");
  EXPECT_FALSE(xpc_peer_requirement_match_received_message(requirement, local, &error));
  EXPECT_THAT(DescriptionOf(error), HasSubstr("not received"));
  ReleaseIfAny(error);
  xpc_release(local);
  xpc_release(requirement);
}

}  // namespace
}  // namespace xpctest::testing
