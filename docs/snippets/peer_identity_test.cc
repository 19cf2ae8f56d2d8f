// docs/peer-identity.md: testing a service's client validation.
#include <xpctest/xpctest.h>

using xpctest::Identity;
using xpctest::control::Process;
using xpctest::control::ScopedProcess;

// The code under test: a service that serves only its own team's apps.
static xpc_listener_t StartCalculator(void) {
  xpc_listener_t listener = xpc_listener_create(
      "com.example.calc", NULL, XPC_LISTENER_CREATE_INACTIVE,
      ^(xpc_session_t peer) {
        xpc_session_set_incoming_message_handler(peer, ^(xpc_object_t request) {
          xpc_object_t reply = xpc_dictionary_create_reply(request);
          xpc_dictionary_set_int64(reply, "sum", 42);
          xpc_rich_error_t error = xpc_session_send_message(peer, reply);
          if (error) xpc_release(error);
          xpc_release(reply);
        });
      },
      NULL);
  // Non-zero for a malformed requirement (S115).
  int invalid = xpc_listener_set_peer_code_signing_requirement(
      listener, "anchor apple generic and certificate leaf[subject.OU] = \"ABCDE12345\"");
  EXPECT_EQ(invalid, 0);
  xpc_listener_activate(listener, NULL);
  return listener;
}

// One request from `app`; true when the service answered.
static bool Ask(const Process& app) {
  ScopedProcess as(app);
  xpc_session_t session = xpc_session_create_mach_service("com.example.calc", NULL, 0, NULL);
  xpc_object_t request = xpc_dictionary_create_empty();
  xpc_rich_error_t error = NULL;
  xpc_object_t reply = xpc_session_send_message_with_reply_sync(session, request, &error);
  bool answered = reply != NULL;
  if (reply) xpc_release(reply);
  if (error) xpc_release(error);
  xpc_release(request);
  xpc_session_cancel(session);
  xpc_release(session);
  return answered;
}

class PeerIdentityExample : public xpctest::Test {};

TEST_F(PeerIdentityExample, OnlyTheTeamsOwnAppIsServed) {
  xpc_listener_t listener;
  {
    ScopedProcess as(world().Spawn("calc"));
    listener = StartCalculator();
  }
  Identity ours;
  ours.code_signing.team_identifier = "ABCDE12345";
  Identity theirs;
  theirs.code_signing.team_identifier = "ZZZZZ99999";

  EXPECT_TRUE(Ask(world().Spawn("our-app", ours)));
  EXPECT_FALSE(Ask(world().Spawn("their-app", theirs)));

  xpc_listener_cancel(listener);
  xpc_release(listener);
}
