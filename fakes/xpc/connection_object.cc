#include "xpc/connection_object.h"

namespace xpctest::fakes::xpc {

Connection::Connection(std::shared_ptr<ConnectionCore> core)
    : Object(XPC_TYPE_CONNECTION), core_(std::move(core)) {}

void Connection::AppendDescription(std::string& out, int depth) const {
  out += core_->Description(this);
}

void Connection::Dispose() { core_->OnHandleDisposed(this); }

void Connection::OnUserReferencesGone() { core_->OnUserReferencesGone(this); }

}  // namespace xpctest::fakes::xpc
