#include "xpc/link.h"

#include "xpc/message_context.h"

namespace xpctest::fakes::xpc {

Link::Link(std::shared_ptr<ConnectionCore> client, std::shared_ptr<ConnectionCore> peer)
    : client_(std::move(client)), peer_(std::move(peer)) {}

bool Link::Carry(const ConnectionCore* from, xpc_object_t message,
                 std::shared_ptr<ReplyRoute> reply_route) {
  std::shared_ptr<ConnectionCore> to;
  {
    std::lock_guard lock(mutex_);
    if (!broken_) to = from == client_.get() ? peer_ : client_;
  }
  if (to == nullptr) {
    xpc_release(message);
    return false;
  }
  auto* dictionary = objects::TryAs<objects::Dictionary>(message);
  dictionary->set_message_context(
      std::make_shared<RequestContext>(to, std::move(reply_route), &from->owner()));
  to->ReceiveMessage(message);
  return true;
}

void Link::Break(const ConnectionCore* from, LinkBreak why) {
  std::shared_ptr<ConnectionCore> other;
  {
    std::lock_guard lock(mutex_);
    if (broken_) return;
    broken_ = true;
    other = from == client_.get() ? peer_ : client_;
    // Both ends drop their link; clearing ours breaks the reference cycle.
    client_.reset();
    peer_.reset();
  }
  if (other != nullptr) other->OnLinkBroken(why);
}

std::shared_ptr<ConnectionCore> Link::Other(const ConnectionCore* self) const {
  std::lock_guard lock(mutex_);
  if (broken_) return nullptr;
  return self == client_.get() ? peer_ : client_;
}

bool Link::broken() const {
  std::lock_guard lock(mutex_);
  return broken_;
}

}  // namespace xpctest::fakes::xpc
