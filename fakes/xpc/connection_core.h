// xpc/connection_core.h — the state and behaviour behind an xpc_connection_t.
//
// The user's handle (Connection, an XPC object) owns a ConnectionCore; the
// runtime's own references (links, queued deliveries, the namespace) hold the
// core, never the handle, so the user's last release is seen (S59, S111).
// Two exceptions hold the handle: a peer's runtime hold until its final
// INVALID (S21), and an internal reference from the moment the final event is
// queued on an active connection until it was delivered, so that a release
// right after xpc_connection_cancel neither loses that event (S68) nor runs
// the finalizer while it is delivered (S105).
//
// Each core has two private serial queues in its owner's process:
//   - the event queue, targeting the user's target queue: every event-handler
//     call runs there, so the handler is never re-entered (S73) and suspend,
//     resume, cancel and handler changes take effect between calls (S57, S68,
//     S74, P7). It starts suspended: the connection is inactive (S54).
//   - the send queue: drains the outbox in FIFO order (S80), runs barriers
//     once everything before them left (S81), and unwinds unsent messages on
//     cancel (S69) or interruption (S63).
// Replies bypass the event queue: they go to their reply queue (S82, S83).
//
// Thread safety: every public method may be called from any thread; the core
// never calls user code while holding its mutex.
#ifndef XPCTEST_FAKES_XPC_CONNECTION_CORE_H
#define XPCTEST_FAKES_XPC_CONNECTION_CORE_H

#include <xpc/xpc.h>

#include <atomic>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "runtime/bootstrap.h"
#include "runtime/identity.h"
#include "runtime/process.h"
#include "runtime/trace.h"
#include "xpc/requirement.h"

namespace xpctest::fakes::xpc {

class Connection;
class Link;
class SyncReplySlot;
struct ReplyRoute;

enum class Role {
  kListener,        // anonymous (create(NULL)) or a Mach-service listener
  kServiceClient,   // by name: xpc_connection_create(name) / create_mach_service
  kEndpointClient,  // from an endpoint
  kPeer,            // the service side of one client connection
};

// Why a link ended, as the end being told sees it.
enum class LinkBreak {
  kRemoteCancelled,  // the other side called xpc_connection_cancel
  kRemoteEnded,      // the other side's process crashed or exited, or its object died
  kListenerGone,     // the listener behind an endpoint was cancelled or died (P3)
  kRemoteForbade,    // the other side's peer requirement refused this process (S115c)
  kUnloaded,         // the other side's launchd job was unloaded (S65)
};

// Whether a client connection may connect again after its link breaks.
enum class Reconnection {
  kAllowed,  // connections: INTERRUPTED, and the next send reconnects (S62)
  kNever,    // sessions: any break invalidates for good (S116)
};

class ConnectionCore : public runtime::Resident,
                       public runtime::Port,
                       public std::enable_shared_from_this<ConnectionCore> {
 public:
  struct Options {
    Role role;
    std::string name;            // service name; empty for anonymous and peers
    bool privileged = false;     // XPC_CONNECTION_MACH_SERVICE_PRIVILEGED
    dispatch_queue_t target = nullptr;  // NULL: the default target queue
    runtime::Process* owner = nullptr;
    std::weak_ptr<ConnectionCore> listener;  // endpoint clients: whom to connect to
    Reconnection reconnection = Reconnection::kAllowed;
  };

  // Creates the core and its handle (+1 for the caller).
  static Connection* CreateHandle(Options options);

  ~ConnectionCore() override;

  Role role() const { return role_; }
  bool is_listener() const { return role_ == Role::kListener; }
  const std::string& name() const { return name_; }
  runtime::Process& owner() const { return *owner_; }
  // runtime::Port
  runtime::Process& port_owner() const override { return *owner_; }
  Connection* handle() const;

  // --- the C API, one method per call (the call name is for reports) ---
  void SetEventHandler(xpc_handler_t handler);
  void SetTargetQueue(dispatch_queue_t queue);
  void Activate(const char* call);
  void Resume();
  void Suspend();
  void Cancel();
  void SendMessage(xpc_object_t message, const char* call);
  void SendMessageWithReply(xpc_object_t message, dispatch_queue_t queue, xpc_handler_t handler,
                            const char* call);
  xpc_object_t SendMessageWithReplySync(xpc_object_t message);
  void SendBarrier(dispatch_block_t barrier);
  runtime::Credentials RemoteCredentials() const;
  // Whether pending reply `id` still waits (P2's warning needs a live wait).
  bool AwaitsReply(uint64_t id) const;
  bool cancelled() const;
  // NULL while valid (S111), else a malloc'd reason.
  char* CopyInvalidationReason() const;
  void SetContext(void* context);
  void* context() const;
  void SetFinalizer(xpc_finalizer_t finalizer);
  std::string Description(const void* address) const;
  // control::LabelConnection: names the connection in the trace (and the peer
  // a listener makes for it). False, and no change, once it is active, has
  // sent, or was cancelled.
  bool SetLabel(std::string label);
  // S115–S115e: the one peer requirement; false (and no change) when one is
  // already set (S115b: the caller reports the misuse). Messages and replies
  // from a process that fails it are dropped and end the connection with
  // XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT; a listener refuses such clients.
  bool SetPeerRequirement(RequirementPtr requirement);
  // True on this connection's event queue, or a queue that targets it (S122).
  bool IsRunningOnEventQueue() const;

  // --- the runtime's side ---
  // The handle's last reference is gone (S59, S105, S111).
  void OnHandleDisposed(Connection* handle);
  // The user's last reference is gone while the final event is still to be
  // delivered (S59).
  void OnUserReferencesGone(Connection* handle);
  // runtime::Resident: a connection the test body (the host process) made and
  // never cancelled, and requests still waiting for replies. Services in
  // simulated processes may rightly run forever, so only the host is judged.
  void DescribeUnfinished(std::vector<std::string>& out) const override;
  // runtime::Resident
  void OnProcessEnded(runtime::ProcessEnd how) override;
  // runtime::Resident: a peer is told TERMINATION_IMMINENT (S66).
  void OnTerminationImminent() override;
  // Listener: a client connects; returns the link to its new peer (S91, S92),
  // or null when the listener cannot accept. `*turned_away` says the client
  // was refused as by a service cancelling the new peer (a fault rule), which
  // interrupts rather than invalidates it.
  std::shared_ptr<Link> AcceptClient(const std::shared_ptr<ConnectionCore>& client,
                                     bool* turned_away);
  // Link: a message arrived from the other end.
  void ReceiveMessage(xpc_object_t message);
  // Link: the other end went away.
  void OnLinkBroken(LinkBreak why);
  // S115c: `sender` failed the requirement: the other end is told it was
  // refused, and this connection ends with PEER_CODE_SIGNING_REQUIREMENT.
  // (Also the Link's, for the code-signing fault.)
  void Forbid(const runtime::Process& sender);
  // A fault rule: the sender of message `sequence` (and later ones) fails
  // this connection's peer requirement when they are delivered (S115c).
  void ForbidFrom(uint64_t sequence);

  // A reply from `sender` arrived for pending reply `id`; takes the +1
  // reference of `reply`.
  // `summary`: the reply's trace text from its send (null: made here).
  void ReceiveReply(uint64_t id, xpc_object_t reply, runtime::Process& sender,
                    runtime::SharedText summary = nullptr);

 private:
  struct PendingReply;
  struct Outgoing;
  struct Event;
  explicit ConnectionCore(Options options);

  // Common send path: validates, copies (S48–S50) and queues.
  bool PrepareMessage(xpc_object_t message, const char* call, xpc_object_t* copy);
  void Enqueue(Outgoing outgoing);
  // Makes the outbox move: on the send queue, or, when `allow_inline` and the
  // outbox holds only this message and the link is up (threaded executor),
  // on the calling thread (see SendInline).
  void SchedulePump(bool allow_inline = true);
  void Pump();
  // Transmits the outbox's one message on this thread, as the owner's
  // domain, then hands anything queued meanwhile to the send queue.
  void SendInline(Outgoing outgoing);
  void Transmit(Outgoing& outgoing);
  std::shared_ptr<Link> Connect(std::string* failure, bool* turned_away);
  void FailOutgoing(Outgoing& outgoing);
  // Notes, for P2's warning, that a fresh dictionary left while requests wait.
  void MarkFreshDictionarySent();
  void FailReply(PendingReply pending, xpc_object_t error);
  void EnqueueEvent(Event event);
  void DeliverEvent(const Event& event);
  // Delivers the one final error (S68), once: INVALID, or
  // PEER_CODE_SIGNING_REQUIREMENT when the peer failed the requirement (S115c).
  void EnqueueFinalInvalid(std::string reason, xpc_object_t error);
  // S90: a peer the service will never accept (it rejected it, or the
  // listener never received it) has no handler to tell: drop the runtime's
  // hold and let whatever was queued for it drain unheard.
  void ReleaseUnacceptedPeer();
  void Invalidate(std::string reason, bool notify_remote,
                  xpc_object_t error = XPC_ERROR_CONNECTION_INVALID);
  // S115c: true when no requirement is set or `sender` satisfies it.
  bool Admits(const runtime::Process* sender) const;
  // Chaos invariant: messages reach the handler in the order the link carried them.
  void CheckDeliveryOrder(uint64_t sequence, xpc_object_t message);
  // What the connection fault rules (runtime/faults.h) do to `client`.
  enum class ConnectVerdict { kAccept, kRefuse, kForbid, kGone };
  ConnectVerdict ConnectFault(ConnectionCore& client);
  std::vector<PendingReply> TakePendingReplies();
  // A trace entry about this connection: "client com.example.calc: <text>",
  // or "client vault-1 (com.example.calc): <text>" once labelled.
  void Record(TraceKind kind, runtime::TraceText text) const;
  void LearnRemote();

  const Role role_;
  const std::string name_;
  const bool privileged_;
  const Reconnection reconnection_;
  runtime::Process* const owner_;
  std::weak_ptr<ConnectionCore> listener_;
  dispatch_queue_t event_queue_ = nullptr;
  dispatch_queue_t send_queue_ = nullptr;

  mutable std::mutex mutex_;
  Connection* handle_ = nullptr;
  xpc_handler_t handler_ = nullptr;
  bool activated_ = false;
  bool cancelled_ = false;
  // Cancelled by xpc_connection_cancel, not by the runtime (S68).
  bool user_cancelled_ = false;
  // The owner process ended: what its blocks hold is abandoned, not released.
  std::atomic<bool> owner_ended_{false};
  bool final_event_enqueued_ = false;
  bool final_event_delivered_ = false;
  uint64_t last_delivered_sequence_ = 0;  // event queue only
  std::atomic<uint64_t> forbid_from_sequence_{0};
  bool termination_imminent_ = false;     // event queue only; S66
  std::vector<xpc_object_t> unread_after_termination_;
  // The user's references are gone (OnUserReferencesGone ran).
  bool user_references_gone_ = false;
  // Endpoint clients after interruption can never reconnect (S98, P3).
  bool cannot_reconnect_ = false;
  int user_suspensions_ = 0;
  int event_queue_suspensions_ = 0;
  bool pump_scheduled_ = false;
  // Threaded executor: a message sent while the outbox is idle and the link
  // is up is transmitted on the sender's thread, as libxpc sends without a
  // queue hop when nothing is ahead of it: a round trip then costs two
  // thread wake-ups, not four. Off on the deterministic executor, whose
  // send-queue hop is a scheduling point seeds explore. Constant.
  bool sends_inline_ = false;
  // A list, not a deque: libstdc++'s deque allocates 576 bytes while empty,
  // and most outboxes are empty most of the time (B5's memory per connection).
  std::list<Outgoing> outbox_;
  std::map<uint64_t, PendingReply> pending_;
  uint64_t next_reply_id_ = 1;
  std::shared_ptr<Link> link_;
  runtime::Credentials remote_;
  bool remote_known_ = false;
  std::string invalidation_reason_;
  void* context_ = nullptr;
  xpc_finalizer_t finalizer_ = nullptr;
  // Peers: the runtime's reference to the handle until INVALID is delivered (S21).
  Connection* runtime_hold_ = nullptr;
  // An internal reference to the handle while the final event of an active
  // connection is queued (S68, S105); released once it was delivered.
  Connection* final_hold_ = nullptr;
  std::vector<std::weak_ptr<ConnectionCore>> endpoint_clients_;
  bool claimed_name_ = false;
  // Requests received here that want a reply not yet created.
  std::vector<std::weak_ptr<ReplyRoute>> unanswered_;
  RequirementPtr requirement_;
  // control::LabelConnection: written only before activation and the first
  // send (a peer's, before it is published), so Record reads them unlocked.
  std::string label_;
  std::string trace_name_ = name_;  // name_, or "<label> (<name_>)"
  // The process at the other end of the current or last link (trace only).
  std::atomic<pid_t> remote_pid_{0};
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_CONNECTION_CORE_H
