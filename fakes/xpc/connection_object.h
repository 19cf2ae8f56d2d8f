// xpc/connection_object.h — the xpc_connection_t object the user holds.
//
// A thin XPC object: it owns the ConnectionCore and tells it when the user's
// last reference goes. Connections cannot be copied (S44) or sent (S50).
#ifndef XPCTEST_FAKES_XPC_CONNECTION_OBJECT_H
#define XPCTEST_FAKES_XPC_CONNECTION_OBJECT_H

#include <memory>

#include "objects/object.h"
#include "xpc/connection_core.h"

namespace xpctest::fakes::xpc {

class Connection : public objects::Object {
 public:
  static constexpr objects::Kind kKind = objects::Kind::kConnection;

  explicit Connection(std::shared_ptr<ConnectionCore> core);

  ConnectionCore& core() const { return *core_; }
  const std::shared_ptr<ConnectionCore>& shared_core() const { return core_; }

  Object* Copy() override { return nullptr; }
  void AppendDescription(std::string& out, int depth) const override;

 protected:
  void Dispose() override;
  // The runtime still holds the handle for the final event (S59, S68).
  void OnUserReferencesGone() override;

 private:
  std::shared_ptr<ConnectionCore> core_;
};

inline xpc_connection_t ToConnectionHandle(Connection* connection) {
  return static_cast<xpc_connection_t>(static_cast<void*>(static_cast<objects::Object*>(connection)));
}

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_CONNECTION_OBJECT_H
