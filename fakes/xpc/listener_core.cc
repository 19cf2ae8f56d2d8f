#include "xpc/listener_core.h"

#include <Block.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "base/report.h"
#include "runtime/world.h"
#include "xpc/connection_core.h"
#include "xpc/connection_object.h"
#include "xpc/listener_object.h"
#include "xpc/rich_error_object.h"
#include "xpc/session_object.h"

namespace xpctest::fakes::xpc {

const char* ListenerCore::StateName(State state) {
  switch (state) {
    case State::kInactive: return "Inactive";
    case State::kActive: return "Active";
    case State::kCancelled: return "Cancelled";
  }
  return "?";
}

ListenerCore::ListenerCore(Options options)
    : name_(std::move(options.name)), owner_(options.owner) {
  if (options.target != nullptr) {
    dispatch_retain(options.target);
    target_ = options.target;  // released in ~ListenerCore
  }
  handler_ = Block_copy(options.handler);
}

ListenerCore::~ListenerCore() {
  if (target_ != nullptr) dispatch_release(target_);
  if (handler_) Block_release(handler_);
}

Listener* ListenerCore::Create(Options options) {
  std::shared_ptr<ListenerCore> core(new ListenerCore(std::move(options)));
  auto* handle = new Listener(core);
  core->handle_ = handle;
  return handle;
}

bool ListenerCore::active() const {
  std::lock_guard lock(mutex_);
  return state_ == State::kActive;
}

bool ListenerCore::Activate(xpc_rich_error_t* error_out) {
  State state;
  RequirementPtr requirement;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    if (state == State::kInactive) {
      state_ = State::kActive;
      requirement = std::exchange(requirement_, nullptr);
    }
  }
  if (state != State::kInactive) {
    // S131: at most once.
    const void* handle;
    {
      std::lock_guard lock(mutex_);
      handle = handle_;
    }
    ReportXpcMisuse("xpc_listener_activate",
                    fmt::format("Listener must be inactive to be activated, not {}", StateName(state)),
                    Description(handle));
    StoreRichError(error_out, "Listener already activated", Retry::kNo);
    return false;
  }
  ConnectionCore::Options options;
  options.role = Role::kListener;
  options.name = name_;
  options.target = target_;
  options.owner = owner_;
  Connection* connection = ConnectionCore::CreateHandle(std::move(options));
  std::shared_ptr<ConnectionCore> core = connection->shared_core();
  {
    std::lock_guard lock(mutex_);
    connection_ = connection;  // released in OnHandleDisposed
    core_ = core;
  }
  // S133: checked when a client connects, before the handler sees it.
  if (requirement != nullptr) core->SetPeerRequirement(std::move(requirement));
  std::shared_ptr<ListenerCore> self = shared_from_this();
  core->SetEventHandler(^(xpc_object_t event) { self->OnEvent(event); });
  // P1: claims the name in the world's namespace.
  core->Activate("xpc_listener_activate");
  if (core->cancelled()) {
    // S128/S131: the listener is cancelled automatically.
    char* reason = core->CopyInvalidationReason();
    StoreRichError(error_out,
                   fmt::format("Listener activation failed: {}", reason != nullptr ? reason : "?"),
                   Retry::kNo);
    free(reason);
    std::lock_guard lock(mutex_);
    state_ = State::kCancelled;
    return false;
  }
  return true;
}

void ListenerCore::OnEvent(xpc_object_t event) {
  if (xpc_get_type(event) != XPC_TYPE_CONNECTION) return;  // the final INVALID: nobody to tell
  xpc_listener_incoming_session_handler_t handler = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (handler_) handler = Block_copy(handler_);
  }
  auto* peer_connection = static_cast<Connection*>(static_cast<objects::Object*>(event));
  // The runtime holds the session until it ends (S21); the handler borrows it.
  Session* peer = SessionCore::CreatePeer(peer_connection);
  SessionCore& session = peer->core();
  session.BeginListenerDecision();
  if (handler) {
    handler(ToSessionHandle(peer));
    Block_release(handler);
  }
  // S129: set a handler, cancel or reject; then the peer is activated.
  session.FinishListenerDecision();
}

void ListenerCore::Cancel() {
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::kCancelled) return;
    state_ = State::kCancelled;
    core = core_;
  }
  // S132: asynchronous; existing peer sessions go on.
  if (core != nullptr) core->Cancel();
}

int ListenerCore::SetPeerRequirement(RequirementPtr requirement, const char* call) {
  if (requirement == nullptr) return EINVAL;
  bool already;
  std::shared_ptr<ConnectionCore> core;
  const void* handle;
  {
    std::lock_guard lock(mutex_);
    already = requirement_set_;
    handle = handle_;
    if (!already) {
      requirement_set_ = true;
      core = core_;
      if (core == nullptr) requirement_ = requirement;
    }
  }
  if (already) {
    // S115b/S133: once per listener.
    ReportXpcMisuse(call, "A peer requirement has already been set on this listener.",
                    Description(handle));
    return EEXIST;
  }
  if (core != nullptr) core->SetPeerRequirement(std::move(requirement));
  return 0;
}

std::string ListenerCore::Description(const void* address) const {
  State state;
  {
    std::lock_guard lock(mutex_);
    state = state_;
  }
  return fmt::format("<listener: {}> {{ name = {}, state = {} }}", address, name_,
                     StateName(state));
}

void ListenerCore::OnHandleDisposed(Listener* handle) {
  State state;
  Connection* connection;
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    core = core_;
  }
  if (state == State::kInactive) {
    // S131/S140 (P6).
    ReportXpcMisuse("xpc_release", "Release of last reference on an inactive listener.",
                    Description(handle));
  }
  // The last release of an active listener cancels it, as for connections.
  if (core != nullptr && !core->cancelled()) core->Cancel();
  xpc_listener_incoming_session_handler_t handler;
  {
    std::lock_guard lock(mutex_);
    handle_ = nullptr;
    state_ = State::kCancelled;
    connection = std::exchange(connection_, nullptr);
    handler = std::exchange(handler_, nullptr);
  }
  if (handler) Block_release(handler);
  if (connection != nullptr) connection->Release("xpc_release");
}

}  // namespace xpctest::fakes::xpc
