// xpc/session_core.h — the state and behaviour behind an xpc_session_t (S116–S127).
//
// A session is a ConnectionCore with session rules on top:
//   - a client session is a named client connection that never reconnects
//     (Reconnection::kNever): any break, cancel or refusal ends it, and its
//     cancel handler gets one rich error saying why (S116, S124);
//   - a peer session wraps the peer connection a listener accepted, and is
//     handed to the listener's incoming-session handler (S129).
// Handlers and the target queue can be set only while the session is
// inactive (S118); sends need an active session (S120). Client sessions
// create their connection at activation, so an inactive session that is
// released has nothing to tear down (its release is still misuse, S119).
//
//   Session* s = SessionCore::CreateClient({.name = "com.example.svc", .owner = &process});
//   s->core().SetIncomingMessageHandler(handler);
//   s->core().Activate(&error, "xpc_session_activate");
//
// Lifetime: the ConnectionCore's event handler holds the SessionCore until
// the final error is delivered; the runtime holds a peer session's handle
// until then too (as for peers, S21). Thread safety: every public method may
// be called from any thread; no user code runs under the session's mutex.
#ifndef XPCTEST_FAKES_XPC_SESSION_CORE_H
#define XPCTEST_FAKES_XPC_SESSION_CORE_H

#include <xpc/xpc.h>

#include <memory>
#include <mutex>
#include <string>

#include "runtime/process.h"
#include "xpc/requirement.h"

namespace xpctest::fakes::xpc {

class Connection;
class ConnectionCore;
class Session;

enum class SessionState { kInactive, kActive, kCancelled };
// "Inactive", "Active", "Cancelled": the words of S118's misuse text.
const char* SessionStateName(SessionState state);

class SessionCore : public runtime::Resident, public std::enable_shared_from_this<SessionCore> {
 public:
  struct ClientOptions {
    std::string name;
    bool privileged = false;          // XPC_SESSION_CREATE_MACH_PRIVILEGED
    dispatch_queue_t target = nullptr;
    runtime::Process* owner = nullptr;
  };

  // An inactive client session; +1 for the caller.
  static Session* CreateClient(ClientOptions options);
  // A peer session around `peer`, a listener's new, inactive peer
  // connection (borrowed). The runtime holds the returned handle until the
  // session ends; the caller borrows it.
  static Session* CreatePeer(Connection* peer);

  ~SessionCore() override;

  // --- the C API (the call name is for reports) ---
  void SetIncomingMessageHandler(xpc_session_incoming_message_handler_t handler);
  void SetCancelHandler(xpc_session_cancel_handler_t handler);
  void SetTargetQueue(dispatch_queue_t queue);
  bool Activate(xpc_rich_error_t* error_out);
  void Cancel();
  xpc_rich_error_t SendMessage(xpc_object_t message);
  xpc_object_t SendMessageWithReplySync(xpc_object_t message, xpc_rich_error_t* error_out);
  void SendMessageWithReplyAsync(xpc_object_t message, xpc_session_reply_handler_t handler);
  // S126: 0, or EINVAL when `requirement` is null; a second requirement is
  // misuse (EEXIST after the report).
  int SetPeerRequirement(RequirementPtr requirement, const char* call);
  std::string Description(const void* address) const;
  SessionState state() const;
  bool is_peer() const { return peer_; }

  // --- the listener's side (S129, S130) ---
  // Brackets the incoming-session handler's call.
  void BeginListenerDecision();
  // After the handler: activates the peer, or reports S129's misuse and
  // cancels it when the handler neither set a message handler nor cancelled
  // or rejected it. Drops the runtime's hold when the peer will never run.
  void FinishListenerDecision();
  // S130: false when `peer` is not awaiting its listener's decision.
  bool Reject(const char* reason);

  // --- the runtime's side ---
  void OnHandleDisposed(Session* handle);
  void OnProcessEnded(runtime::ProcessEnd how) override;

 private:
  SessionCore(bool peer, runtime::Process* owner);

  // Runs on the connection's event queue: messages and the final error.
  void OnEvent(xpc_object_t event);
  // Sets up and activates the connection (client) or the peer connection.
  bool ActivateConnection(xpc_rich_error_t* error_out);
  // True (after the report) when the session is not active: misuse while
  // inactive (S120), and `*error` set when cancelled.
  bool RejectSend(const char* call, xpc_rich_error_t* error);
  // Why the session ended, for rich errors.
  std::string EndReason() const;
  // The rich error (+1) for the connection error that ended the session or
  // failed a reply (S123, S124, S126).
  xpc_rich_error_t EndError(xpc_object_t error) const;
  void ReleaseRuntimeHold();
  xpc_object_t Handle() const;

  const bool peer_;
  runtime::Process* const owner_;
  std::string name_;
  bool privileged_ = false;

  mutable std::mutex mutex_;
  SessionState state_ = SessionState::kInactive;
  bool cancelled_by_user_ = false;
  bool cancel_handler_ran_ = false;
  bool awaiting_decision_ = false;
  Session* handle_ = nullptr;                  // the user's object (not a reference)
  Session* runtime_hold_ = nullptr;            // peers: +1 until the session ends (S21)
  Connection* connection_ = nullptr;           // +1 once there is one
  std::shared_ptr<ConnectionCore> core_;
  dispatch_queue_t target_ = nullptr;          // retained
  xpc_session_incoming_message_handler_t message_handler_ = nullptr;
  xpc_session_cancel_handler_t cancel_handler_ = nullptr;
  RequirementPtr requirement_;                 // applied at activation (clients)
  bool requirement_set_ = false;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_SESSION_CORE_H
