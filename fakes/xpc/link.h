// xpc/link.h — one client connection joined to its one peer (S92).
//
// Messages cross a link in FIFO order per direction (S80); the sender's send
// queue calls Carry in order and the receiver queues each message on its event
// queue in the same order. Breaking a link tells the other end why, once.
#ifndef XPCTEST_FAKES_XPC_LINK_H
#define XPCTEST_FAKES_XPC_LINK_H

#include <xpc/xpc.h>

#include <memory>
#include <mutex>

#include "xpc/connection_core.h"

namespace xpctest::fakes::xpc {

struct ReplyRoute;

class Link {
 public:
  Link(std::shared_ptr<ConnectionCore> client, std::shared_ptr<ConnectionCore> peer);

  // Hands `message` (+1, a private copy) to the other end of `from`, with the
  // route its reply must take, if any. Returns false, and releases the
  // message, when the link is broken.
  bool Carry(const ConnectionCore* from, xpc_object_t message,
             std::shared_ptr<ReplyRoute> reply_route);
  // Ends the link and tells the other end of `from` why. Idempotent.
  void Break(const ConnectionCore* from, LinkBreak why);
  bool broken() const;
  // The other end of `self`, or null once broken.
  std::shared_ptr<ConnectionCore> Other(const ConnectionCore* self) const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<ConnectionCore> client_;
  std::shared_ptr<ConnectionCore> peer_;
  bool broken_ = false;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_LINK_H
