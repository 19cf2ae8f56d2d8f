// The C entry points of <xpc/listener.h>: check each handle, call one
// ListenerCore (or SessionCore) method, convert the result (S128–S133).
#include <xpc/listener.h>

#include <cerrno>
#include <cstring>

#include "base/report.h"
#include "runtime/world.h"
#include "xpc/listener_object.h"
#include "xpc/peer_requirement_object.h"
#include "xpc/queues.h"
#include "xpc/rich_error_object.h"
#include "xpc/session_object.h"

using xpctest::fakes::ReportXpcMisuse;
using xpctest::fakes::xpc::AcceptableQueue;
using xpctest::fakes::objects::As;
using xpctest::fakes::xpc::BuildCodeSigningRequirement;
using xpctest::fakes::xpc::Listener;
using xpctest::fakes::xpc::ListenerCore;
using xpctest::fakes::xpc::RequirementOf;
using xpctest::fakes::xpc::RequirementPtr;
using xpctest::fakes::xpc::Retry;
using xpctest::fakes::xpc::Session;
using xpctest::fakes::xpc::StoreRichError;
using xpctest::fakes::xpc::ToListenerHandle;

namespace {

ListenerCore* CoreOf(xpc_listener_t listener, const char* call) {
  Listener* object = As<Listener>(listener, call);
  return object != nullptr ? &object->core() : nullptr;
}

}  // namespace

extern "C" {

xpc_listener_t xpc_listener_create(const char* service, dispatch_queue_t target_queue,
                                   xpc_listener_create_flags_t flags,
                                   xpc_listener_incoming_session_handler_t incoming_session_handler,
                                   xpc_rich_error_t* error_out) {
  const char* call = "xpc_listener_create";
  if (service == nullptr) {
    ReportXpcMisuse(call, "The service name must not be NULL.");
    StoreRichError(error_out, "The service name must not be NULL", Retry::kNo);
    return nullptr;
  }
  if (!incoming_session_handler) {
    // S128: the handler is required.
    ReportXpcMisuse(call, "The incoming session handler must not be NULL.");
    StoreRichError(error_out, "The incoming session handler must not be NULL", Retry::kNo);
    return nullptr;
  }
  // FORCE_MACH / FORCE_XPCSERVICE: one namespace serves both kinds of name.
  ListenerCore::Options options;
  options.name = service;
  options.target = AcceptableQueue(target_queue, "target queue", call) ? target_queue : nullptr;
  options.handler = incoming_session_handler;
  options.owner = &xpctest::fakes::runtime::World::Current().CurrentProcess();
  Listener* listener = ListenerCore::Create(std::move(options));
  if ((flags & XPC_LISTENER_CREATE_INACTIVE) != 0) return ToListenerHandle(listener);
  if (!listener->core().Activate(error_out)) {
    // S128: NULL plus the rich error; the failed listener is cancelled.
    listener->Release(call);
    return nullptr;
  }
  return ToListenerHandle(listener);
}

bool xpc_listener_activate(xpc_listener_t listener, xpc_rich_error_t* error_out) {
  ListenerCore* core = CoreOf(listener, "xpc_listener_activate");
  return core != nullptr && core->Activate(error_out);
}

void xpc_listener_cancel(xpc_listener_t listener) {
  if (ListenerCore* core = CoreOf(listener, "xpc_listener_cancel")) core->Cancel();
}

void xpc_listener_reject_peer(xpc_session_t peer, const char* reason) {
  const char* call = "xpc_listener_reject_peer";
  Session* session = As<Session>(peer, call);
  if (session == nullptr) return;
  if (!session->core().Reject(reason)) {
    // S130: only the session an incoming-session handler is deciding on.
    ReportXpcMisuse(call,
                    "Only a peer session given to an incoming session handler can be rejected, "
                    "and only before the handler returns.",
                    session->core().Description(session));
  }
}

char* xpc_listener_copy_description(xpc_listener_t listener) {
  ListenerCore* core = CoreOf(listener, "xpc_listener_copy_description");
  return core != nullptr ? strdup(core->Description(listener).c_str()) : nullptr;
}

int xpc_listener_set_peer_code_signing_requirement(xpc_listener_t listener,
                                                   const char* requirement) {
  const char* call = "xpc_listener_set_peer_code_signing_requirement";
  ListenerCore* core = CoreOf(listener, call);
  if (core == nullptr) return EINVAL;
  std::string error;
  return core->SetPeerRequirement(BuildCodeSigningRequirement(requirement, &error), call);
}

void xpc_listener_set_peer_requirement(xpc_listener_t listener,
                                       xpc_peer_requirement_t peer_requirement) {
  const char* call = "xpc_listener_set_peer_requirement";
  ListenerCore* core = CoreOf(listener, call);
  if (core == nullptr) return;
  RequirementPtr requirement = RequirementOf(peer_requirement, call);
  if (requirement == nullptr) return;
  if (core->active()) {
    // S133: only while inactive.
    ReportXpcMisuse(call, "Listener must be inactive to set the peer requirement, not Active",
                    core->Description(listener));
    return;
  }
  (void)core->SetPeerRequirement(std::move(requirement), call);
}

}  // extern "C"
