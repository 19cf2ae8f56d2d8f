#include "xpc/message_context.h"

#include "base/report.h"
#include "xpc/connection_core.h"

namespace xpctest::fakes::xpc {

RequestContext::RequestContext(std::weak_ptr<ConnectionCore> receiver,
                               std::shared_ptr<ReplyRoute> route, runtime::Process* sender,
                               uint64_t sequence, runtime::SharedText summary)
    : receiver_(std::move(receiver)),
      route_(std::move(route)),
      sender_(sender),
      sequence_(sequence),
      summary_(std::move(summary)) {}

RequestContext::~RequestContext() {
  if (route_ == nullptr || route_->reply_created) return;
  std::shared_ptr<ConnectionCore> requester = route_->requester.lock();
  std::shared_ptr<ConnectionCore> receiver = receiver_.lock();
  // Only while the peer lives and the requester still waits (P2).
  if (requester == nullptr || receiver == nullptr) return;
  // Cancelled first: a connection whose world has ended is cancelled, and its
  // process is gone. A process that ended (even while its queues are being
  // torn down, before its connections hear of it) lost the request; it did
  // not drop it.
  if (receiver->cancelled() || !receiver->owner().alive()) return;
  if (!requester->AwaitsReply(route_->id)) return;
  // P2: the requester's reply handler stays pending until the connection is
  // interrupted or invalidated; say why it will wait.
  std::string what = "a message that expects a reply was released without a reply";
  if (route_->fresh_dictionary_sent) {
    what += "; a fresh dictionary was sent instead — replies must be made with "
            "xpc_dictionary_create_reply (S85, S86)";
  }
  ReportWarning("xpc_release", what, *route_->summary);
}

ReplyContext::ReplyContext(std::weak_ptr<ConnectionCore> receiver,
                           std::shared_ptr<ReplyRoute> route, runtime::Process* owner)
    : receiver_(std::move(receiver)),
      route_(std::move(route)),
      transaction_(owner != nullptr ? std::make_shared<runtime::Transaction>(*owner) : nullptr) {}

std::shared_ptr<runtime::Transaction> ReplyContext::TakeTransaction() {
  std::lock_guard lock(mutex_);
  return std::move(transaction_);
}

ReplyContext::~ReplyContext() {
  if (route_ == nullptr || route_->reply_sent) return;
  std::shared_ptr<ConnectionCore> requester = route_->requester.lock();
  std::shared_ptr<ConnectionCore> receiver = receiver_.lock();
  if (requester == nullptr || receiver == nullptr) return;
  // As above: cancelled first, then lost with its process.
  if (receiver->cancelled() || !receiver->owner().alive()) return;
  if (!requester->AwaitsReply(route_->id)) return;
  ReportWarning("xpc_release",
                "a reply made by xpc_dictionary_create_reply was released without being sent",
                *route_->summary);
}

}  // namespace xpctest::fakes::xpc
