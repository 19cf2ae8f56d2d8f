// xpc/link.h — one client connection joined to its one peer (S92).
//
// Messages cross a link in FIFO order per direction (S80); the sender's send
// queue calls Carry in order and the receiver queues each message on its event
// queue in the same order. Breaking a link tells the other end why, once.
//
// Message faults (runtime/faults.h) are applied here: every message and reply
// a link carries is offered to the world's fault rules (one emptiness check
// when there are none). A delayed or held message waits in the link's
// in-flight queue for its direction and holds back the messages behind it, so
// per-connection FIFO survives faults. Replies have their own queues (they
// travel outside the event stream, S83).
#ifndef XPCTEST_FAKES_XPC_LINK_H
#define XPCTEST_FAKES_XPC_LINK_H

#include <xpc/xpc.h>

#include <cstdint>
#include <list>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "xpc/connection_core.h"

namespace xpctest::fakes::xpc {

struct ReplyRoute;

class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(std::shared_ptr<ConnectionCore> client, std::shared_ptr<ConnectionCore> peer);
  ~Link();

  // Hands `message` (+1, a private copy) to the other end of `from`, with the
  // route its reply must take, if any. Returns false, and releases the
  // message, when the link is broken. A message dropped by a fault counts as
  // carried (true): like a lost message, its reply stays pending.
  // `summary` is the message's trace text, reused by its delivery entry when
  // no fault rule can have changed the message.
  bool Carry(const ConnectionCore* from, xpc_object_t message,
             std::shared_ptr<ReplyRoute> reply_route, runtime::SharedText summary);
  // Hands reply `reply` (+1) from `from` to `requester`'s pending reply `id`
  // (S83), through the fault rules. Releases it when the link is broken.
  void CarryReply(const ConnectionCore* from, std::shared_ptr<ConnectionCore> requester,
                  uint64_t id, xpc_object_t reply, runtime::SharedText summary);
  // Ends the link and tells the other end of `from` why. Idempotent.
  // Messages still in flight (delayed or held) are lost, each with a trace
  // note, and their delay timers are cancelled.
  void Break(const ConnectionCore* from, LinkBreak why);
  bool broken() const;
  // The other end of `self`, or null once broken.
  std::shared_ptr<ConnectionCore> Other(const ConnectionCore* self) const;

 private:
  // In-flight queues: [sent by client?][reply?].
  struct InFlight {
    xpc_object_t message = nullptr;
    std::function<void(xpc_object_t)> deliver;  // takes the +1
    bool held = false;
    int64_t ready_ns = 0;  // executor clock
  };
  // Four per link, nearly always empty: a list costs nothing while empty
  // (libstdc++'s deque allocates 576 bytes up front).
  struct Queue {
    std::list<InFlight> items;
    bool flushing = false;
  };
  // Runs the fault rules, then drops the message, crashes a process, or puts
  // it in flight (ready now, later, or when released) and flushes the queue.
  bool ApplyFaults(bool from_client, bool reply, const std::shared_ptr<ConnectionCore>& sender_end,
                   const std::shared_ptr<ConnectionCore>& receiver_end, xpc_object_t message,
                   std::function<void(xpc_object_t)> deliver,
                   uint64_t sequence = 0);
  // Delivers the ready messages at the head of a queue, in order.
  void Flush(bool from_client, bool reply);
  // Makes the held messages of a queue ready and flushes it.
  void ReleaseHeld(bool from_client, bool reply);
  Queue& QueueFor(bool from_client, bool reply) { return queues_[from_client ? 0 : 1][reply ? 1 : 0]; }

  mutable std::mutex mutex_;
  std::shared_ptr<ConnectionCore> client_;
  std::shared_ptr<ConnectionCore> peer_;
  bool broken_ = false;
  Queue queues_[2][2];
  // The timers of delayed messages, cancelled when the link breaks: a message
  // lost with the link must not keep the world busy until its delay is over
  // (a 30 s delay held the threaded executor's RunUntilIdle for 30 s).
  std::vector<uint64_t> delay_timers_;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_LINK_H
