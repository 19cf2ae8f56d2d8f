// xpc/message_context.h — what a sent dictionary remembers about its trip.
//
// A message that reaches an event handler carries a RequestContext: the
// connection it arrived on (S87) and, when the sender wants a reply, the route
// back (S85). A reply made by xpc_dictionary_create_reply carries a
// ReplyContext on the same route. The contexts also catch the mistakes libxpc
// lets slide: a request released unanswered while its peer lives (P2), and a
// reply created but never sent.
#ifndef XPCTEST_FAKES_XPC_MESSAGE_CONTEXT_H
#define XPCTEST_FAKES_XPC_MESSAGE_CONTEXT_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "objects/dictionary.h"
#include "runtime/process.h"
#include "runtime/trace.h"

namespace xpctest::fakes::runtime {
class Process;
}

namespace xpctest::fakes::xpc {

class ConnectionCore;

// The way back from a request to the reply handler that waits for it.
struct ReplyRoute {
  std::weak_ptr<ConnectionCore> requester;  // the sender's connection
  uint64_t id = 0;                          // its pending-reply id
  std::atomic<bool> reply_created{false};   // S85: create_reply works once
  std::atomic<bool> reply_sent{false};
  // Set when the receiving side sent a fresh dictionary while this request
  // waited for its reply: the likely mistake behind an unanswered request.
  std::atomic<bool> fresh_dictionary_sent{false};
  runtime::SharedText summary;  // the request's description, for warnings (never null)
};

class RequestContext : public objects::MessageContext {
 public:
  // `sender`: the process whose connection sent the message, for peer
  // requirements (S115c, S136); processes live as long as their world.
  // `summary`: the message's trace text, made when it was sent (null when
  // a fault rule may have changed the message on its way).
  RequestContext(std::weak_ptr<ConnectionCore> receiver, std::shared_ptr<ReplyRoute> route,
                 runtime::Process* sender = nullptr, uint64_t sequence = 0,
                 runtime::SharedText summary = nullptr);
  // P2: warns when a request that wants a reply dies unanswered while the
  // requester still waits.
  ~RequestContext() override;

  const std::weak_ptr<ConnectionCore>& receiver() const { return receiver_; }
  const std::shared_ptr<ReplyRoute>& route() const { return route_; }
  runtime::Process* sender() const { return sender_; }
  // When the link carried it, program-wide: a connection must deliver its
  // messages in increasing order (the chaos invariant of per-connection FIFO).
  uint64_t sequence() const { return sequence_; }
  const runtime::SharedText& summary() const { return summary_; }

 private:
  std::weak_ptr<ConnectionCore> receiver_;
  std::shared_ptr<ReplyRoute> route_;
  runtime::Process* sender_;
  uint64_t sequence_;
  runtime::SharedText summary_;
};

class ReplyContext : public objects::MessageContext {
 public:
  // Opens a transaction of `owner` (S113) until the reply is sent or dies.
  ReplyContext(std::weak_ptr<ConnectionCore> receiver, std::shared_ptr<ReplyRoute> route,
               runtime::Process* owner = nullptr);
  // Warns when the reply dies without having been sent.
  ~ReplyContext() override;
  // The reply is being sent: its transaction goes with the message and ends
  // once the message has left (S113). Null the second time.
  std::shared_ptr<runtime::Transaction> TakeTransaction();

  const std::weak_ptr<ConnectionCore>& receiver() const { return receiver_; }
  const std::shared_ptr<ReplyRoute>& route() const { return route_; }

 private:
  std::weak_ptr<ConnectionCore> receiver_;
  std::shared_ptr<ReplyRoute> route_;
  std::mutex mutex_;
  std::shared_ptr<runtime::Transaction> transaction_;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_MESSAGE_CONTEXT_H
