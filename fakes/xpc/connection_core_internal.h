// xpc/connection_core_internal.h — the records a ConnectionCore keeps.
// Private to fakes/xpc/connection_core*.cc.
#ifndef XPCTEST_FAKES_XPC_CONNECTION_CORE_INTERNAL_H
#define XPCTEST_FAKES_XPC_CONNECTION_CORE_INTERNAL_H

#include <mutex>
#include <string>
#include <utility>

#include "xpc/connection_core.h"
#include "xpc/queues.h"

namespace xpctest::fakes::xpc {

// A reply handler waiting for its one reply or error (S82).
struct ConnectionCore::PendingReply {
  uint64_t id = 0;
  dispatch_queue_t queue = nullptr;      // retained; async replies run here
  xpc_handler_t handler = nullptr;       // copied; null for reply_sync
  std::shared_ptr<SyncReplySlot> sync;   // reply_sync's slot
};

struct ConnectionCore::Outgoing {
  xpc_object_t message = nullptr;            // +1 private copy (S49)
  uint64_t reply_id = 0;                     // non-zero: a reply handler waits
  std::shared_ptr<ReplyRoute> answers;       // set: this message is a reply
  dispatch_block_t barrier = nullptr;        // set: a barrier, not a message
  // A reply's transaction (S113), open until the reply has left.
  std::shared_ptr<runtime::Transaction> transaction;
};

struct ConnectionCore::Event {
  enum Kind { kMessage, kError, kPeer } kind;
  xpc_object_t object;  // messages and peers +1; errors are immortal
  bool final = false;
  // Delivered even though the runtime invalidated the connection after it was
  // queued: an INTERRUPTED before its INVALID (P3, S115c), a message that
  // arrived before its sender went (S68: nothing sent is lost). A user's
  // cancel still silences it (S68).
  bool precedes_end = false;
};

// Where reply_sync waits (S84).
class SyncReplySlot {
 public:
  void Fill(xpc_object_t reply) {
    {
      std::lock_guard lock(mutex_);
      reply_ = reply;
    }
    wait_.Wake();
  }
  xpc_object_t Await(const std::function<std::string()>& describe) {
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (reply_ != nullptr) return std::exchange(reply_, nullptr);
      }
      // A deadlock report returns false: answer as libxpc would for a
      // connection that can never reply, so the caller can go on.
      if (!wait_.Wait(describe)) return XPC_ERROR_CONNECTION_INVALID;
    }
  }
  ~SyncReplySlot() {
    if (reply_ != nullptr) xpc_release(reply_);
  }

 private:
  std::mutex mutex_;
  xpc_object_t reply_ = nullptr;
  BlockingWait wait_;
};

// Runs `handler(reply)` on `queue`, then releases all three.
void RunReplyHandler(dispatch_queue_t queue, xpc_handler_t handler, xpc_object_t reply);

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_CONNECTION_CORE_INTERNAL_H
