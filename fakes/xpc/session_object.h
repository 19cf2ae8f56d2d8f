// xpc/session_object.h — the xpc_session_t object the user holds.
//
// A thin XPC object: it owns the SessionCore and tells it when the user's
// last reference goes (S119). Sessions cannot be copied (S44) or sent (S50).
#ifndef XPCTEST_FAKES_XPC_SESSION_OBJECT_H
#define XPCTEST_FAKES_XPC_SESSION_OBJECT_H

#include <memory>

#include "objects/object.h"
#include "xpc/session_core.h"

namespace xpctest::fakes::xpc {

class Session : public objects::Object {
 public:
  static constexpr objects::Kind kKind = objects::Kind::kSession;

  explicit Session(std::shared_ptr<SessionCore> core);

  SessionCore& core() const { return *core_; }

  void AppendDescription(std::string& out, int depth) const override;

 protected:
  void Dispose() override;

 private:
  std::shared_ptr<SessionCore> core_;
};

inline xpc_session_t ToSessionHandle(Session* session) {
  return static_cast<xpc_session_t>(static_cast<void*>(static_cast<objects::Object*>(session)));
}

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_SESSION_OBJECT_H
