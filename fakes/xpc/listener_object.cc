#include "xpc/listener_object.h"

#include <xpc/listener.h>

namespace xpctest::fakes::xpc {

Listener::Listener(std::shared_ptr<ListenerCore> core)
    : Object(XPC_TYPE_LISTENER), core_(std::move(core)) {}

void Listener::AppendDescription(std::string& out, int depth) const {
  out += core_->Description(this);
}

void Listener::Dispose() { core_->OnHandleDisposed(this); }

}  // namespace xpctest::fakes::xpc
