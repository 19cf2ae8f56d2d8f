// xpc/listener_object.h — the xpc_listener_t object the user holds.
//
// A thin XPC object: it owns the ListenerCore and tells it when the user's
// last reference goes (S131). Listeners cannot be copied (S44) or sent (S50).
#ifndef XPCTEST_FAKES_XPC_LISTENER_OBJECT_H
#define XPCTEST_FAKES_XPC_LISTENER_OBJECT_H

#include <memory>

#include "objects/object.h"
#include "xpc/listener_core.h"

namespace xpctest::fakes::xpc {

class Listener : public objects::Object {
 public:
  static constexpr objects::Kind kKind = objects::Kind::kListener;

  explicit Listener(std::shared_ptr<ListenerCore> core);

  ListenerCore& core() const { return *core_; }

  void AppendDescription(std::string& out, int depth) const override;

 protected:
  void Dispose() override;

 private:
  std::shared_ptr<ListenerCore> core_;
};

inline xpc_listener_t ToListenerHandle(Listener* listener) {
  return static_cast<xpc_listener_t>(static_cast<void*>(static_cast<objects::Object*>(listener)));
}

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_LISTENER_OBJECT_H
