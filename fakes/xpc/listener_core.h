// xpc/listener_core.h — the state and behaviour behind an xpc_listener_t (S128–S133).
//
// A listener is a Mach-service listener ConnectionCore (P1: it claims its
// name in the world's namespace at activation) whose peers are handed to the
// user as peer sessions instead of connections. For each client the
// incoming-session handler must set the peer's message handler, or cancel or
// reject it, before it returns (S129); the peer is then activated. A peer
// requirement on the listener refuses failing clients before the handler
// sees them (S133).
//
//   Listener* l = ListenerCore::Create({.name = "com.example.svc", .handler = h, .owner = &p});
//   l->core().Activate(&error);
//
// The listener is created without a connection: the connection is made at
// activation, so an inactive listener has nothing to tear down (its release
// is still misuse, S131). Thread safety: every public method may be called
// from any thread; no user code runs under the listener's mutex.
#ifndef XPCTEST_FAKES_XPC_LISTENER_CORE_H
#define XPCTEST_FAKES_XPC_LISTENER_CORE_H

#include <xpc/xpc.h>

#include <memory>
#include <mutex>
#include <string>

#include "runtime/process.h"
#include "xpc/requirement.h"

namespace xpctest::fakes::xpc {

class Connection;
class ConnectionCore;
class Listener;

class ListenerCore : public std::enable_shared_from_this<ListenerCore> {
 public:
  struct Options {
    std::string name;
    dispatch_queue_t target = nullptr;
    xpc_listener_incoming_session_handler_t handler = nullptr;  // copied
    runtime::Process* owner = nullptr;
  };

  // An inactive listener; +1 for the caller.
  static Listener* Create(Options options);
  ~ListenerCore();

  // S128/S131: false plus a rich error when the name cannot be claimed (the
  // listener is then cancelled); a second activation is misuse.
  bool Activate(xpc_rich_error_t* error_out);
  // S132: asynchronous; clients looking the name up afterwards fail.
  void Cancel();
  // S133: 0, or EINVAL for a null requirement; a second one is misuse.
  int SetPeerRequirement(RequirementPtr requirement, const char* call);
  bool active() const;
  std::string Description(const void* address) const;

  // The user's last reference is gone.
  void OnHandleDisposed(Listener* handle);

 private:
  enum class State { kInactive, kActive, kCancelled };
  explicit ListenerCore(Options options);
  // Runs on the listener connection's event queue: a new peer, or the final error.
  void OnEvent(xpc_object_t event);
  static const char* StateName(State state);

  const std::string name_;
  runtime::Process* const owner_;
  mutable std::mutex mutex_;
  State state_ = State::kInactive;
  Listener* handle_ = nullptr;  // the user's object (not a reference)
  dispatch_queue_t target_ = nullptr;  // retained
  xpc_listener_incoming_session_handler_t handler_ = nullptr;
  Connection* connection_ = nullptr;   // +1 once activated
  std::shared_ptr<ConnectionCore> core_;
  RequirementPtr requirement_;         // applied at activation
  bool requirement_set_ = false;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_LISTENER_CORE_H
