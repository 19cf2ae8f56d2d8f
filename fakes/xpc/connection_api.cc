// The C entry points of <xpc/connection.h> and <xpc/endpoint.h>: check each
// handle, call one ConnectionCore method, convert the result.
#include <xpc/connection.h>
#include <xpc/endpoint.h>
#include <xpc/private.h>

#include <cstring>

#include "base/report.h"
#include "runtime/world.h"
#include "xpc/connection_object.h"
#include "xpc/endpoint_object.h"
#include "xpc/queues.h"

using xpctest::fakes::ReportXpcMisuse;
using xpctest::fakes::objects::As;
using xpctest::fakes::xpc::Connection;
using xpctest::fakes::xpc::ConnectionCore;
using xpctest::fakes::xpc::AcceptableQueue;
using xpctest::fakes::xpc::Endpoint;
using xpctest::fakes::xpc::Role;
using xpctest::fakes::xpc::ToConnectionHandle;

namespace {

ConnectionCore* CoreOf(xpc_connection_t connection, const char* call) {
  Connection* object = As<Connection>(connection, call);
  return object != nullptr ? &object->core() : nullptr;
}

xpc_connection_t Create(Role role, const char* name, dispatch_queue_t queue, bool privileged,
                        const char* call) {
  ConnectionCore::Options options;
  options.role = role;
  options.name = name != nullptr ? name : "";
  // A bad queue is reported; the connection then targets the default queue.
  options.target = AcceptableQueue(queue, "target queue", call) ? queue : nullptr;
  options.privileged = privileged;
  options.owner = &xpctest::fakes::runtime::World::Current().CurrentProcess();
  return ToConnectionHandle(ConnectionCore::CreateHandle(std::move(options)));
}

}  // namespace

extern "C" {

xpc_connection_t xpc_connection_create(const char* name, dispatch_queue_t targetq) {
  // S95: no name makes an anonymous listener.
  return Create(name == nullptr ? Role::kListener : Role::kServiceClient, name, targetq, false,
                "xpc_connection_create");
}

xpc_connection_t xpc_connection_create_mach_service(const char* name, dispatch_queue_t targetq,
                                                    uint64_t flags) {
  if (name == nullptr) {
    ReportXpcMisuse("xpc_connection_create_mach_service", "The service name must not be NULL.");
    return nullptr;
  }
  bool listener = (flags & XPC_CONNECTION_MACH_SERVICE_LISTENER) != 0;
  return Create(listener ? Role::kListener : Role::kServiceClient, name, targetq,
                (flags & XPC_CONNECTION_MACH_SERVICE_PRIVILEGED) != 0,
                "xpc_connection_create_mach_service");
}

xpc_connection_t xpc_connection_create_from_endpoint(xpc_endpoint_t endpoint) {
  Endpoint* object = As<Endpoint>(endpoint, "xpc_connection_create_from_endpoint");
  if (object == nullptr) return nullptr;
  ConnectionCore::Options options;
  options.role = Role::kEndpointClient;
  options.owner = &xpctest::fakes::runtime::World::Current().CurrentProcess();
  options.listener = object->listener();
  return ToConnectionHandle(ConnectionCore::CreateHandle(std::move(options)));
}

xpc_endpoint_t xpc_endpoint_create(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_endpoint_create");
  if (core == nullptr) return nullptr;
  if (!core->is_listener()) {
    // S96/S140: only listeners have an endpoint.
    ReportXpcMisuse("xpc_endpoint_create",
                    "Endpoints can only be created from listener connections.",
                    core->Description(connection));
    return nullptr;
  }
  auto* endpoint = new Endpoint(As<Connection>(connection, "xpc_endpoint_create")->shared_core());
  return static_cast<xpc_endpoint_t>(static_cast<void*>(
      static_cast<xpctest::fakes::objects::Object*>(endpoint)));
}

void xpc_connection_set_target_queue(xpc_connection_t connection, dispatch_queue_t targetq) {
  const char* call = "xpc_connection_set_target_queue";
  ConnectionCore* core = CoreOf(connection, call);
  if (core != nullptr && AcceptableQueue(targetq, "target queue", call)) core->SetTargetQueue(targetq);
}

void xpc_connection_set_event_handler(xpc_connection_t connection, xpc_handler_t handler) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_set_event_handler")) {
    core->SetEventHandler(handler);
  }
}

void xpc_connection_activate(xpc_connection_t connection) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_activate")) {
    core->Activate("xpc_connection_activate");
  }
}

void xpc_connection_suspend(xpc_connection_t connection) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_suspend")) core->Suspend();
}

void xpc_connection_resume(xpc_connection_t connection) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_resume")) core->Resume();
}

void xpc_connection_cancel(xpc_connection_t connection) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_cancel")) core->Cancel();
}

void xpc_connection_send_message(xpc_connection_t connection, xpc_object_t message) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_send_message")) {
    core->SendMessage(message, "xpc_connection_send_message");
  }
}

void xpc_connection_send_barrier(xpc_connection_t connection, dispatch_block_t barrier) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_send_barrier");
  if (core == nullptr) return;
  if (!barrier) {
    ReportXpcMisuse("xpc_connection_send_barrier", "The barrier block must not be NULL.",
                    core->Description(connection));
    return;
  }
  core->SendBarrier(barrier);
}

void xpc_connection_send_message_with_reply(xpc_connection_t connection, xpc_object_t message,
                                            dispatch_queue_t replyq, xpc_handler_t handler) {
  const char* call = "xpc_connection_send_message_with_reply";
  ConnectionCore* core = CoreOf(connection, call);
  if (core == nullptr) return;
  if (!handler) {
    ReportXpcMisuse(call, "The reply handler must not be NULL.", core->Description(connection));
    return;
  }
  if (!AcceptableQueue(replyq, "reply queue", call)) replyq = nullptr;  // the default queue
  core->SendMessageWithReply(message, replyq, handler, call);
}

xpc_object_t xpc_connection_send_message_with_reply_sync(xpc_connection_t connection,
                                                         xpc_object_t message) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_send_message_with_reply_sync");
  return core != nullptr ? core->SendMessageWithReplySync(message) : nullptr;
}

const char* xpc_connection_get_name(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_get_name");
  // S94: peers and anonymous connections have no name.
  if (core == nullptr || core->role() == Role::kPeer || core->name().empty()) return nullptr;
  return core->name().c_str();
}

uid_t xpc_connection_get_euid(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_get_euid");
  return core != nullptr ? core->RemoteCredentials().euid : static_cast<uid_t>(-1);
}

gid_t xpc_connection_get_egid(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_get_egid");
  return core != nullptr ? core->RemoteCredentials().egid : static_cast<gid_t>(-1);
}

pid_t xpc_connection_get_pid(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_get_pid");
  return core != nullptr ? core->RemoteCredentials().pid : 0;
}

au_asid_t xpc_connection_get_asid(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_get_asid");
  return core != nullptr ? core->RemoteCredentials().asid : -1;
}

void xpc_connection_set_context(xpc_connection_t connection, void* context) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_set_context")) {
    core->SetContext(context);
  }
}

void* xpc_connection_get_context(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_get_context");
  return core != nullptr ? core->context() : nullptr;
}

void xpc_connection_set_finalizer_f(xpc_connection_t connection, xpc_finalizer_t finalizer) {
  if (ConnectionCore* core = CoreOf(connection, "xpc_connection_set_finalizer_f")) {
    core->SetFinalizer(finalizer);
  }
}

char* xpc_connection_copy_invalidation_reason(xpc_connection_t connection) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_copy_invalidation_reason");
  return core != nullptr ? core->CopyInvalidationReason() : nullptr;
}

// P10: the layout of macOS's audit token: auid, euid, egid, ruid, rgid, pid,
// asid, pid version.
void xpc_connection_get_audit_token(xpc_connection_t connection, audit_token_t* token) {
  ConnectionCore* core = CoreOf(connection, "xpc_connection_get_audit_token");
  if (core == nullptr || token == nullptr) return;
  auto credentials = core->RemoteCredentials();
  unsigned int values[8] = {
      static_cast<unsigned int>(credentials.euid), static_cast<unsigned int>(credentials.euid),
      static_cast<unsigned int>(credentials.egid), static_cast<unsigned int>(credentials.euid),
      static_cast<unsigned int>(credentials.egid), static_cast<unsigned int>(credentials.pid),
      static_cast<unsigned int>(credentials.asid),
      static_cast<unsigned int>(credentials.pid_version)};
  std::memcpy(token->val, values, sizeof values);
}

}  // extern "C"
