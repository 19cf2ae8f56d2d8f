// xpctest/service.h — a service standing in its own simulated process.
//
// TN3113 style: give the framework the function that accepts a peer —
// `void handle_peer(xpc_connection_t peer)` or a lambda — and it runs an
// anonymous listener (or a Mach-service listener, when named) in a new
// simulated process, handing each new peer to it on the listener's queue.
//
//   xpctest::Service calc = Serve("calc", handle_peer);
//   xpctest::Client client = Connect(calc);          // from its endpoint
//   calc.Crash();                                     // peers get S62's errors
//
// A Service cancels its listener when destroyed. Not copyable; movable.
#ifndef XPCTEST_SERVICE_H
#define XPCTEST_SERVICE_H

#include <xpc/xpc.h>
#include <xpctest/control.h>

#include <functional>
#include <memory>
#include <string>

#include "xpctest/object.h"

namespace xpctest {

using PeerHandler = std::function<void(xpc_connection_t peer)>;

struct ServiceOptions {
  // Claim this Mach-service name (P1) so clients can connect by name.
  std::string mach_service;
  // The process's identity (credentials, code signing).
  Identity identity;
};

class Service {
 public:
  Service(control::World& world, std::string name, PeerHandler on_peer,
          ServiceOptions options = {});
  Service(Service&&) noexcept;
  Service& operator=(Service&&) noexcept;
  ~Service();

  const std::string& name() const;
  control::Process process() const;
  xpc_connection_t listener() const;
  // A new endpoint for the listener (S97).
  Object endpoint() const;

  void Crash() { process().Crash(); }
  void Exit() { process().Exit(); }
  void Hang() { process().Hang(); }
  void Resume() { process().Resume(); }

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace xpctest

#endif  // XPCTEST_SERVICE_H
