#include "conformance/session_fixture.h"

#include <cstdlib>

namespace xpctest::testing {

SessionTest::~SessionTest() {
  for (xpc_session_t session : sessions_) xpc_session_cancel(session);
  for (xpc_listener_t listener : listeners_) xpc_listener_cancel(listener);
  RunUntilIdle();
  for (xpc_session_t session : sessions_) xpc_release(session);
  for (xpc_listener_t listener : listeners_) xpc_release(listener);
  for (xpc_session_t peer : peer_sessions_) xpc_release(peer);
}

void SessionTest::TearDown() {
  RunUntilIdle();
  EXPECT_THAT(misuse_.Headlines(), ::testing::IsEmpty()) << "unexpected reports";
}

fakes::runtime::Process& SessionTest::SpawnSigned(const std::string& name, const std::string& team,
                                                  const std::string& identifier) {
  fakes::runtime::Identity identity;
  identity.code_signing.team_identifier = team;
  identity.code_signing.signing_identifier = identifier;
  return world().Spawn(name, identity);
}

xpc_listener_t SessionTest::StartSessionListener(fakes::runtime::Process& process,
                                                 const char* name, const char* requirement) {
  EventLog* log = &log_;
  auto* self = this;
  xpc_listener_t listener = nullptr;
  {
    fakes::runtime::ScopedProcess as(process);
    xpc_rich_error_t error = nullptr;
    listener = xpc_listener_create(
        name, nullptr, XPC_LISTENER_CREATE_INACTIVE,
        ^(xpc_session_t peer) {
          {
            std::lock_guard lock(self->session_mutex_);
            self->peer_sessions_.push_back(static_cast<xpc_session_t>(xpc_retain(peer)));
          }
          xpc_session_set_incoming_message_handler(peer, ^(xpc_object_t message) {
            log->Add("peer", message);
            xpc_object_t reply = xpc_dictionary_create_reply(message);
            if (reply == nullptr) return;
            const char* op = xpc_dictionary_get_string(message, "op");
            xpc_dictionary_set_string(reply, "reply", op != nullptr ? op : "");
            xpc_rich_error_t failed = xpc_session_send_message(peer, reply);
            if (failed != nullptr) xpc_release(failed);
            xpc_release(reply);
          });
        },
        &error);
    EXPECT_NE(listener, nullptr);
    if (requirement != nullptr) {
      EXPECT_EQ(xpc_listener_set_peer_code_signing_requirement(listener, requirement), 0);
    }
    EXPECT_TRUE(xpc_listener_activate(listener, &error)) << DescriptionOf(error);
    if (error != nullptr) xpc_release(error);
  }
  std::lock_guard lock(session_mutex_);
  listeners_.push_back(listener);
  return listener;
}

xpc_session_t SessionTest::OpenSession(const char* name, xpc_rich_error_t* error,
                                       const char* requirement) {
  EventLog* log = &log_;
  xpc_session_t session =
      xpc_session_create_mach_service(name, nullptr, XPC_SESSION_CREATE_INACTIVE, error);
  xpc_session_set_incoming_message_handler(session,
                                           ^(xpc_object_t message) { log->Add("session", message); });
  xpc_session_set_cancel_handler(session, ^(xpc_rich_error_t cause) { log->Add("cancel", cause); });
  if (requirement != nullptr) {
    EXPECT_EQ(xpc_session_set_peer_code_signing_requirement(session, requirement), 0);
  }
  if (!xpc_session_activate(session, error)) {
    xpc_release(session);  // cancelled by the failed activation
    return nullptr;
  }
  std::lock_guard lock(session_mutex_);
  sessions_.push_back(session);
  return session;
}

std::vector<xpc_session_t> SessionTest::peer_sessions() const {
  std::lock_guard lock(session_mutex_);
  return peer_sessions_;
}

void ReleaseIfAny(void* object) {
  if (object != nullptr) xpc_release(object);
}

std::string DescriptionOf(xpc_rich_error_t error) {
  if (error == nullptr) return "";
  char* text = xpc_rich_error_copy_description(error);
  std::string description = text != nullptr ? text : "";
  free(text);
  return description;
}

}  // namespace xpctest::testing
