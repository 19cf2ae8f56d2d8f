// The C entry points of <xpc/session.h>: check each handle, call one
// SessionCore method, convert the result (S116–S127).
#include <xpc/session.h>

#include <cerrno>
#include <cstring>

#include "base/report.h"
#include "runtime/world.h"
#include "xpc/peer_requirement_object.h"
#include "xpc/queues.h"
#include "xpc/rich_error_object.h"
#include "xpc/session_object.h"

using xpctest::fakes::ReportXpcMisuse;
using xpctest::fakes::xpc::AcceptableQueue;
using xpctest::fakes::objects::As;
using xpctest::fakes::xpc::BuildCodeSigningRequirement;
using xpctest::fakes::xpc::RequirementOf;
using xpctest::fakes::xpc::RequirementPtr;
using xpctest::fakes::xpc::Retry;
using xpctest::fakes::xpc::Session;
using xpctest::fakes::xpc::SessionCore;
using xpctest::fakes::xpc::SessionState;
using xpctest::fakes::xpc::StoreRichError;
using xpctest::fakes::xpc::ToSessionHandle;

namespace {

SessionCore* CoreOf(xpc_session_t session, const char* call) {
  Session* object = As<Session>(session, call);
  return object != nullptr ? &object->core() : nullptr;
}

// S117: active unless XPC_SESSION_CREATE_INACTIVE; NULL plus a +1 rich error
// when the service cannot be found.
xpc_session_t Create(const char* call, const char* name, dispatch_queue_t target_queue,
                     bool privileged, bool inactive, xpc_rich_error_t* error_out) {
  if (name == nullptr) {
    ReportXpcMisuse(call, "The service name must not be NULL.");
    StoreRichError(error_out, "The service name must not be NULL", Retry::kNo);
    return nullptr;
  }
  SessionCore::ClientOptions options;
  options.name = name;
  options.privileged = privileged;
  options.target = AcceptableQueue(target_queue, "target queue", call) ? target_queue : nullptr;
  options.owner = &xpctest::fakes::runtime::World::Current().CurrentProcess();
  Session* session = SessionCore::CreateClient(std::move(options));
  if (inactive) return ToSessionHandle(session);
  if (!session->core().Activate(error_out)) {
    session->Release(call);  // cancelled by the failed activation: no misuse
    return nullptr;
  }
  return ToSessionHandle(session);
}

}  // namespace

extern "C" {

char* xpc_session_copy_description(xpc_session_t session) {
  SessionCore* core = CoreOf(session, "xpc_session_copy_description");
  return core != nullptr ? strdup(core->Description(session).c_str()) : nullptr;
}

xpc_session_t xpc_session_create_xpc_service(const char* name, dispatch_queue_t target_queue,
                                             xpc_session_create_flags_t flags,
                                             xpc_rich_error_t* error_out) {
  // One namespace serves XPC-service and Mach-service names (architecture.md).
  return Create("xpc_session_create_xpc_service", name, target_queue, false,
                (flags & XPC_SESSION_CREATE_INACTIVE) != 0, error_out);
}

xpc_session_t xpc_session_create_mach_service(const char* mach_service,
                                              dispatch_queue_t target_queue,
                                              xpc_session_create_flags_t flags,
                                              xpc_rich_error_t* error_out) {
  return Create("xpc_session_create_mach_service", mach_service, target_queue,
                (flags & XPC_SESSION_CREATE_MACH_PRIVILEGED) != 0,
                (flags & XPC_SESSION_CREATE_INACTIVE) != 0, error_out);
}

void xpc_session_set_incoming_message_handler(xpc_session_t session,
                                              xpc_session_incoming_message_handler_t handler) {
  if (SessionCore* core = CoreOf(session, "xpc_session_set_incoming_message_handler")) {
    core->SetIncomingMessageHandler(handler);
  }
}

void xpc_session_set_cancel_handler(xpc_session_t session,
                                    xpc_session_cancel_handler_t cancel_handler) {
  if (SessionCore* core = CoreOf(session, "xpc_session_set_cancel_handler")) {
    core->SetCancelHandler(cancel_handler);
  }
}

void xpc_session_set_target_queue(xpc_session_t session, dispatch_queue_t target_queue) {
  const char* call = "xpc_session_set_target_queue";
  SessionCore* core = CoreOf(session, call);
  if (core != nullptr && AcceptableQueue(target_queue, "target queue", call)) {
    core->SetTargetQueue(target_queue);
  }
}

bool xpc_session_activate(xpc_session_t session, xpc_rich_error_t* error_out) {
  SessionCore* core = CoreOf(session, "xpc_session_activate");
  return core != nullptr && core->Activate(error_out);
}

void xpc_session_cancel(xpc_session_t session) {
  if (SessionCore* core = CoreOf(session, "xpc_session_cancel")) core->Cancel();
}

xpc_rich_error_t xpc_session_send_message(xpc_session_t session, xpc_object_t message) {
  SessionCore* core = CoreOf(session, "xpc_session_send_message");
  if (core == nullptr) return nullptr;
  return core->SendMessage(message);
}

xpc_object_t xpc_session_send_message_with_reply_sync(xpc_session_t session, xpc_object_t message,
                                                      xpc_rich_error_t* error_out) {
  SessionCore* core = CoreOf(session, "xpc_session_send_message_with_reply_sync");
  return core != nullptr ? core->SendMessageWithReplySync(message, error_out) : nullptr;
}

void xpc_session_send_message_with_reply_async(xpc_session_t session, xpc_object_t message,
                                               xpc_session_reply_handler_t reply_handler) {
  const char* call = "xpc_session_send_message_with_reply_async";
  SessionCore* core = CoreOf(session, call);
  if (core == nullptr) return;
  if (!reply_handler) {
    ReportXpcMisuse(call, "The reply handler must not be NULL.", core->Description(session));
    return;
  }
  core->SendMessageWithReplyAsync(message, reply_handler);
}

int xpc_session_set_peer_code_signing_requirement(xpc_session_t session,
                                                  const char* requirement) {
  const char* call = "xpc_session_set_peer_code_signing_requirement";
  SessionCore* core = CoreOf(session, call);
  if (core == nullptr) return EINVAL;
  std::string error;
  return core->SetPeerRequirement(BuildCodeSigningRequirement(requirement, &error), call);
}

void xpc_session_set_peer_requirement(xpc_session_t session, xpc_peer_requirement_t requirement) {
  const char* call = "xpc_session_set_peer_requirement";
  SessionCore* core = CoreOf(session, call);
  if (core == nullptr) return;
  RequirementPtr built = RequirementOf(requirement, call);
  if (built == nullptr) return;
  if (core->state() != SessionState::kInactive) {
    // S126: only while inactive.
    ReportXpcMisuse(call, "Session must be inactive to set the peer requirement, not Active",
                    core->Description(session));
    return;
  }
  (void)core->SetPeerRequirement(std::move(built), call);
}

}  // extern "C"
