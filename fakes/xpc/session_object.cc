#include "xpc/session_object.h"

namespace xpctest::fakes::xpc {

Session::Session(std::shared_ptr<SessionCore> core)
    : Object(XPC_TYPE_SESSION), core_(std::move(core)) {}

void Session::AppendDescription(std::string& out, int depth) const {
  out += core_->Description(this);
}

void Session::Dispose() { core_->OnHandleDisposed(this); }

}  // namespace xpctest::fakes::xpc
