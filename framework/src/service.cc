#include "xpctest/service.h"

namespace xpctest {

struct Service::State {
  std::string name;
  control::Process process;
  xpc_connection_t listener = nullptr;
};

Service::Service(control::World& world, std::string name, PeerHandler on_peer,
                 ServiceOptions options)
    : state_(std::make_unique<State>()) {
  state_->name = std::move(name);
  state_->process = world.Spawn(state_->name, options.identity);
  control::ScopedProcess as(state_->process);
  state_->listener = options.mach_service.empty()
                         ? xpc_connection_create(nullptr, nullptr)
                         : xpc_connection_create_mach_service(options.mach_service.c_str(), nullptr,
                                                              XPC_CONNECTION_MACH_SERVICE_LISTENER);
  // The block owns a copy of the handler for as long as the listener keeps it.
  auto handler = std::make_shared<PeerHandler>(std::move(on_peer));
  xpc_connection_set_event_handler(state_->listener, ^(xpc_object_t event) {
    // S78: a listener's handler gets peers (and errors, which end it).
    if (xpc_get_type(event) == XPC_TYPE_CONNECTION) (*handler)(static_cast<xpc_connection_t>(event));
  });
  xpc_connection_activate(state_->listener);
}

Service::Service(Service&&) noexcept = default;
Service& Service::operator=(Service&&) noexcept = default;

Service::~Service() {
  if (state_ == nullptr || state_->listener == nullptr) return;
  xpc_connection_cancel(state_->listener);
  xpc_release(state_->listener);
}

const std::string& Service::name() const { return state_->name; }
control::Process Service::process() const { return state_->process; }
xpc_connection_t Service::listener() const { return state_->listener; }

Object Service::endpoint() const {
  return Object::Adopt(xpc_endpoint_create(state_->listener));
}

}  // namespace xpctest
