#include "xpc/session_core.h"

#include <Block.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "base/report.h"
#include "runtime/world.h"
#include "xpc/connection_core.h"
#include "xpc/connection_object.h"
#include "xpc/queues.h"
#include "xpc/rich_error_object.h"
#include "xpc/session_object.h"

namespace xpctest::fakes::xpc {

using runtime::TraceKind;

namespace {

// The reason a ConnectionCore gives when its remote end went away (S116):
// a new session might succeed, so the rich error says it can be retried.
constexpr std::string_view kRemoteWentAway = "the remote connection went away";

}  // namespace

const char* SessionStateName(SessionState state) {
  switch (state) {
    case SessionState::kInactive: return "Inactive";
    case SessionState::kActive: return "Active";
    case SessionState::kCancelled: return "Cancelled";
  }
  return "?";
}

SessionCore::SessionCore(bool peer, runtime::Process* owner) : peer_(peer), owner_(owner) {}

SessionCore::~SessionCore() {
  if (target_ != nullptr) dispatch_release(target_);
  if (message_handler_) Block_release(message_handler_);
  if (cancel_handler_) Block_release(cancel_handler_);
}

Session* SessionCore::CreateClient(ClientOptions options) {
  std::shared_ptr<SessionCore> core(new SessionCore(false, options.owner));
  core->name_ = std::move(options.name);
  core->privileged_ = options.privileged;
  if (options.target != nullptr) {
    dispatch_retain(options.target);
    core->target_ = options.target;  // released in ~SessionCore
  }
  auto* handle = new Session(core);
  core->handle_ = handle;
  return handle;
}

Session* SessionCore::CreatePeer(Connection* peer) {
  std::shared_ptr<SessionCore> core(new SessionCore(true, &peer->core().owner()));
  core->name_ = peer->core().name();
  core->connection_ = static_cast<Connection*>(peer->Retain());  // released in OnHandleDisposed
  core->core_ = peer->shared_core();
  auto* handle = new Session(core);
  core->handle_ = handle;
  // S21, as for peer connections: released when the session ends.
  core->runtime_hold_ = handle;
  core->owner_->AddResident(core);
  return handle;
}

xpc_object_t SessionCore::Handle() const {
  std::lock_guard lock(mutex_);
  return handle_;
}

SessionState SessionCore::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void SessionCore::SetIncomingMessageHandler(xpc_session_incoming_message_handler_t handler) {
  xpc_session_incoming_message_handler_t copy = nullptr;
  if (handler) copy = Block_copy(handler);
  SessionState state;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    if (state == SessionState::kInactive) std::swap(message_handler_, copy);  // S118: replaces
  }
  if (copy) Block_release(copy);
  if (state != SessionState::kInactive) {
    // S118, S139: libxpc's words.
    ReportXpcMisuse("xpc_session_set_incoming_message_handler",
                    fmt::format("Session must be inactive to set the message handler, not {}",
                                SessionStateName(state)),
                    Description(Handle()));
  }
}

void SessionCore::SetCancelHandler(xpc_session_cancel_handler_t handler) {
  xpc_session_cancel_handler_t copy = nullptr;
  if (handler) copy = Block_copy(handler);
  SessionState state;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    if (state == SessionState::kInactive) std::swap(cancel_handler_, copy);
  }
  if (copy) Block_release(copy);
  if (state != SessionState::kInactive) {
    ReportXpcMisuse("xpc_session_set_cancel_handler",
                    fmt::format("Session must be inactive to set the cancel handler, not {}",
                                SessionStateName(state)),
                    Description(Handle()));
  }
}

void SessionCore::SetTargetQueue(dispatch_queue_t queue) {
  SessionState state;
  dispatch_queue_t old = nullptr;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    if (state == SessionState::kInactive) {
      if (queue != nullptr) dispatch_retain(queue);
      old = std::exchange(target_, queue);
    }
  }
  if (old != nullptr) dispatch_release(old);
  if (state != SessionState::kInactive) {
    ReportXpcMisuse("xpc_session_set_target_queue",
                    fmt::format("Session must be inactive to set the target queue, not {}",
                                SessionStateName(state)),
                    Description(Handle()));
  }
}

bool SessionCore::Activate(xpc_rich_error_t* error_out) {
  SessionState state;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    if (state == SessionState::kInactive) state_ = SessionState::kActive;
  }
  if (state != SessionState::kInactive) {
    // S119: at most once.
    ReportXpcMisuse("xpc_session_activate",
                    fmt::format("Session must be inactive to be activated, not {}",
                                SessionStateName(state)),
                    Description(Handle()));
    StoreRichError(error_out, "Session already activated", Retry::kNo);
    return false;
  }
  return ActivateConnection(error_out);
}

bool SessionCore::ActivateConnection(xpc_rich_error_t* error_out) {
  std::shared_ptr<ConnectionCore> core;
  RequirementPtr requirement;
  dispatch_queue_t target;
  {
    std::lock_guard lock(mutex_);
    core = core_;
    requirement = std::exchange(requirement_, nullptr);
    target = target_;
  }
  if (!peer_) {
    // The connection is made now, so an inactive session never needs one (S119).
    ConnectionCore::Options options;
    options.role = Role::kServiceClient;
    options.name = name_;
    options.privileged = privileged_;
    options.target = target;
    options.owner = owner_;
    options.reconnection = Reconnection::kNever;  // S116
    Connection* connection = ConnectionCore::CreateHandle(std::move(options));
    core = connection->shared_core();
    std::lock_guard lock(mutex_);
    connection_ = connection;  // released in OnHandleDisposed
    core_ = core;
  } else if (target != nullptr) {
    core->SetTargetQueue(target);
  }
  if (requirement != nullptr) core->SetPeerRequirement(std::move(requirement));
  // Holds this core until the connection's final error is delivered, or the
  // connection's handle goes (both drop the handler).
  std::shared_ptr<SessionCore> self = shared_from_this();
  core->SetEventHandler(^(xpc_object_t event) { self->OnEvent(event); });
  // A peer whose client left before the listener accepted it gets its final
  // error now, through the handler just set (S93).
  core->Activate("xpc_session_activate");
  if (!peer_ && core->cancelled()) {
    // S117/S119: the name is unknown; the session is cancelled, and its
    // cancel handler still hears of it through the final error.
    {
      std::lock_guard lock(mutex_);
      state_ = SessionState::kCancelled;
    }
    StoreRichError(error_out, fmt::format("Session activation failed: {}", EndReason()),
                   Retry::kNo);
    return false;
  }
  return true;
}

void SessionCore::OnEvent(xpc_object_t event) {
  if (xpc_get_type(event) == XPC_TYPE_DICTIONARY) {
    xpc_session_incoming_message_handler_t handler = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (message_handler_) handler = Block_copy(message_handler_);
    }
    if (handler) {
      handler(event);  // S19: borrowed
      Block_release(handler);
    }
    return;
  }
  // Sessions never see INTERRUPTED (S116); TERMINATION_IMMINENT is not an end.
  if (event != XPC_ERROR_CONNECTION_INVALID && event != XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT) {
    return;
  }
  // S124: the one final error reaches the cancel handler once.
  xpc_session_cancel_handler_t cancel_handler = nullptr;
  xpc_session_incoming_message_handler_t message_handler = nullptr;
  {
    std::lock_guard lock(mutex_);
    state_ = SessionState::kCancelled;
    if (!cancel_handler_ran_) {
      cancel_handler_ran_ = true;
      cancel_handler = std::exchange(cancel_handler_, nullptr);
    }
    // Nothing more is delivered: drop what the handler captured.
    message_handler = std::exchange(message_handler_, nullptr);
  }
  if (message_handler) Block_release(message_handler);
  if (cancel_handler) {
    xpc_rich_error_t error = EndError(event);
    cancel_handler(error);
    xpc_release(error);
    Block_release(cancel_handler);
  }
  ReleaseRuntimeHold();
}

std::string SessionCore::EndReason() const {
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_by_user_) return "the session was cancelled by this process (xpc_session_cancel)";
    core = core_;
  }
  if (core == nullptr) return "the session was never activated";
  char* reason = core->CopyInvalidationReason();
  std::string text = reason != nullptr ? reason : "the session ended";
  free(reason);
  return text;
}

xpc_rich_error_t SessionCore::EndError(xpc_object_t error) const {
  std::string reason = EndReason();
  if (error == XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT) {
    // S126: the same peer would fail again.
    return NewRichError(fmt::format("Peer Forbidden: {}", reason), Retry::kNo);
  }
  // S116: the peer went away; a new session may reach a relaunched service.
  Retry retry = reason == kRemoteWentAway ? Retry::kYes : Retry::kNo;
  return NewRichError(fmt::format("Session cancelled: {}", reason), retry);
}

void SessionCore::Cancel() {
  SessionState state;
  bool deciding;
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    deciding = awaiting_decision_;
    core = core_;
    if (state == SessionState::kCancelled) return;  // idempotent
    state_ = SessionState::kCancelled;
    if (state != SessionState::kInactive || deciding) cancelled_by_user_ = true;
  }
  if (state == SessionState::kInactive && !deciding) {
    // S124: only an activated session can be cancelled. Continuing, the
    // session counts as cancelled, so releasing it is no further misuse.
    ReportXpcMisuse("xpc_session_cancel",
                    "Session must be activated before it is cancelled, not Inactive",
                    Description(Handle()));
    return;
  }
  owner_->world().Record(TraceKind::kNote, *owner_,
                         fmt::format("session {}: cancelled", name_.empty() ? "(anonymous)" : name_));
  // S124: asynchronous; unsent messages go, pending replies and the cancel
  // handler get their rich errors through the final error.
  if (core != nullptr) core->Cancel();
}

bool SessionCore::RejectSend(const char* call, xpc_rich_error_t* error) {
  SessionState state;
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    core = core_;
  }
  if (state == SessionState::kInactive) {
    // S120: libxpc aborts.
    ReportXpcMisuse(call, "Session must be activated before sending messages, not Inactive",
                    Description(Handle()));
    *error = NewRichError("Session is not active", Retry::kNo);
    return true;
  }
  if (state == SessionState::kCancelled || core == nullptr || core->cancelled()) {
    *error = EndError(XPC_ERROR_CONNECTION_INVALID);
    return true;
  }
  return false;
}

xpc_rich_error_t SessionCore::SendMessage(xpc_object_t message) {
  xpc_rich_error_t error = nullptr;
  if (RejectSend("xpc_session_send_message", &error)) return error;  // S121
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    core = core_;
  }
  // S125: a reply made by xpc_dictionary_create_reply goes back to its requester.
  core->SendMessage(message, "xpc_session_send_message");
  return nullptr;
}

xpc_object_t SessionCore::SendMessageWithReplySync(xpc_object_t message,
                                                   xpc_rich_error_t* error_out) {
  const char* call = "xpc_session_send_message_with_reply_sync";
  xpc_rich_error_t error = nullptr;
  auto hand_out = [&error_out](xpc_rich_error_t e) {
    if (error_out != nullptr) {
      *error_out = e;
    } else if (e != nullptr) {
      xpc_release(e);
    }
  };
  if (RejectSend(call, &error)) {
    hand_out(error);
    return nullptr;
  }
  std::shared_ptr<ConnectionCore> core;
  dispatch_queue_t target;
  {
    std::lock_guard lock(mutex_);
    core = core_;
    target = target_;
  }
  if (core->IsRunningOnEventQueue() || (target != nullptr && IsRunningOn(target))) {
    // S122: unlike connections (S84), libxpc crashes on purpose here.
    ReportXpcMisuse(call, "Synchronous send on the session's own target queue.",
                    Description(Handle()));
    hand_out(NewRichError("Synchronous send on the session's own target queue", Retry::kNo));
    return nullptr;
  }
  xpc_object_t reply = core->SendMessageWithReplySync(message);
  if (reply == nullptr) return nullptr;  // not sendable: reported by the connection
  if (xpc_get_type(reply) == XPC_TYPE_ERROR) {
    hand_out(EndError(reply));  // S122: NULL and a rich error
    return nullptr;
  }
  return reply;  // S20: +1
}

namespace {

// A reply handler call that never ran still releases what it holds.
struct FailedReplyCall {
  xpc_session_reply_handler_t handler;
  xpc_rich_error_t error;
  ~FailedReplyCall() {
    Block_release(handler);
    xpc_release(error);
  }
};

}  // namespace

void SessionCore::SendMessageWithReplyAsync(xpc_object_t message,
                                            xpc_session_reply_handler_t handler) {
  const char* call = "xpc_session_send_message_with_reply_async";
  SessionState state;
  std::shared_ptr<ConnectionCore> core;
  dispatch_queue_t target;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    core = core_;
    target = target_;
  }
  if (state == SessionState::kInactive) {
    ReportXpcMisuse(call, "Session must be activated before sending messages, not Inactive",
                    Description(Handle()));
    return;
  }
  if (state == SessionState::kCancelled || core->cancelled()) {
    // S120/P12: macOS reports a simulated crash and goes on; the handler
    // still gets its one answer (S123).
    ReportWarning(call,
                  "message with a reply handler sent on a cancelled session; macOS reports a "
                  "simulated crash (S120)",
                  Description(Handle()));
    std::shared_ptr<FailedReplyCall> failed(
        new FailedReplyCall{Block_copy(handler), EndError(XPC_ERROR_CONNECTION_INVALID)});
    Async(target != nullptr ? target : DefaultQueueOf(*owner_),
          [failed] { failed->handler(nullptr, failed->error); });
    return;
  }
  std::shared_ptr<SessionCore> self = shared_from_this();
  xpc_session_reply_handler_t user_handler = handler;
  // S123: exactly one of (reply, NULL) and (NULL, rich error).
  core->SendMessageWithReply(
      message, target,
      ^(xpc_object_t reply) {
        if (xpc_get_type(reply) == XPC_TYPE_ERROR) {
          xpc_rich_error_t error = self->EndError(reply);
          user_handler(nullptr, error);
          xpc_release(error);
        } else {
          user_handler(reply, nullptr);
        }
      },
      call);
}

int SessionCore::SetPeerRequirement(RequirementPtr requirement, const char* call) {
  if (requirement == nullptr) return EINVAL;  // S126: invalid requirement
  bool already;
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    already = requirement_set_;
    if (!already) {
      requirement_set_ = true;
      core = core_;
      if (core == nullptr) requirement_ = requirement;  // applied at activation
    }
  }
  if (already) {
    // S126/S115b: once per session.
    ReportXpcMisuse(call, "A peer requirement has already been set on this session.",
                    Description(Handle()));
    return EEXIST;
  }
  if (core != nullptr) core->SetPeerRequirement(std::move(requirement));
  return 0;
}

std::string SessionCore::Description(const void* address) const {
  SessionState state;
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    core = core_;
  }
  pid_t pid = core != nullptr ? core->RemoteCredentials().pid : 0;
  return fmt::format("<session: {}> {{ name = {}, peer = {}, state = {}, pid = {} }}", address,
                     name_.empty() ? "(anonymous)" : name_, peer_ ? "true" : "false",
                     SessionStateName(state), pid);
}

void SessionCore::BeginListenerDecision() {
  std::lock_guard lock(mutex_);
  awaiting_decision_ = true;
}

void SessionCore::FinishListenerDecision() {
  SessionState state;
  bool has_handler;
  {
    std::lock_guard lock(mutex_);
    awaiting_decision_ = false;
    state = state_;
    has_handler = static_cast<bool>(message_handler_);
  }
  if (state == SessionState::kInactive && !has_handler) {
    // S129: the handler must decide. Continuing, the peer is cancelled.
    ReportXpcMisuse("xpc_listener_create",
                    "The incoming session handler returned without setting a message handler "
                    "on the peer session, cancelling it or rejecting it.",
                    Description(Handle()));
    std::shared_ptr<ConnectionCore> core;
    {
      std::lock_guard lock(mutex_);
      state_ = state = SessionState::kCancelled;
      core = core_;
    }
    core->Cancel();
  }
  if (state == SessionState::kCancelled) {
    // Cancelled or rejected before it was activated: no final error will come.
    ReleaseRuntimeHold();
    return;
  }
  if (state == SessionState::kInactive) {
    // S129: activated automatically when the handler returns.
    {
      std::lock_guard lock(mutex_);
      state_ = SessionState::kActive;
    }
    ActivateConnection(nullptr);
  }
}

bool SessionCore::Reject(const char* reason) {
  {
    std::lock_guard lock(mutex_);
    if (!peer_ || !awaiting_decision_) return false;
  }
  owner_->world().Record(TraceKind::kNote, *owner_,
                         fmt::format("peer session rejected: {}", reason != nullptr ? reason : ""));
  Cancel();
  return true;
}

void SessionCore::ReleaseRuntimeHold() {
  Session* hold;
  {
    std::lock_guard lock(mutex_);
    hold = std::exchange(runtime_hold_, nullptr);
  }
  if (hold != nullptr) hold->Release("xpc_session_cancel");
}

void SessionCore::OnHandleDisposed(Session* handle) {
  SessionState state;
  Connection* connection;
  std::shared_ptr<ConnectionCore> core;
  xpc_session_incoming_message_handler_t message_handler;
  xpc_session_cancel_handler_t cancel_handler;
  {
    std::lock_guard lock(mutex_);
    state = state_;
    core = core_;
  }
  if (state == SessionState::kInactive && !peer_) {
    // S119/S140 (P6): libxpc crashes.
    ReportXpcMisuse("xpc_release", "Release of last reference on an inactive session.",
                    Description(handle));
  }
  // As for connections, the last release ends an active session; its
  // handlers are not called for an object that no longer exists.
  if (state == SessionState::kActive && core != nullptr && !core->cancelled()) core->Cancel();
  {
    std::lock_guard lock(mutex_);
    handle_ = nullptr;
    state_ = SessionState::kCancelled;
    connection = std::exchange(connection_, nullptr);
    message_handler = std::exchange(message_handler_, nullptr);
    cancel_handler = std::exchange(cancel_handler_, nullptr);
  }
  if (message_handler) Block_release(message_handler);
  if (cancel_handler) Block_release(cancel_handler);
  if (connection != nullptr) connection->Release("xpc_release");
}

void SessionCore::OnProcessEnded(runtime::ProcessEnd how) {
  std::shared_ptr<ConnectionCore> core;
  {
    std::lock_guard lock(mutex_);
    core = core_;
    state_ = SessionState::kCancelled;
  }
  // The connection first (it is idempotent), so its remote end hears that the
  // process ended, not that this session's object went away.
  if (core != nullptr) core->OnProcessEnded(how);
  ReleaseRuntimeHold();
}

}  // namespace xpctest::fakes::xpc
