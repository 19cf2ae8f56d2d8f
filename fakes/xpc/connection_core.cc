#include "xpc/connection_core.h"

#include <Block.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

#include "base/block_release.h"
#include "base/report.h"
#include "dispatch/closure.h"
#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "objects/dictionary.h"
#include "runtime/world.h"
#include "xpc/connection_object.h"
#include "xpc/connection_core_internal.h"
#include "xpc/link.h"
#include "xpc/message_context.h"
#include "xpc/message_rules.h"
#include "xpc/queues.h"

namespace xpctest::fakes::xpc {

using runtime::TraceKind;
namespace {

const char* RoleLabel(Role role) {
  switch (role) {
    case Role::kListener: return "listener";
    case Role::kServiceClient: return "client";
    case Role::kEndpointClient: return "endpoint-client";
    case Role::kPeer: return "peer";
  }
  return "?";
}

}  // namespace

Connection* ConnectionCore::CreateHandle(Options options) {
  std::shared_ptr<ConnectionCore> core(new ConnectionCore(std::move(options)));
  auto* handle = new Connection(core);
  core->handle_ = handle;
  core->owner_->AddResident(core);
  return handle;
}

ConnectionCore::ConnectionCore(Options options)
    : role_(options.role),
      name_(std::move(options.name)),
      privileged_(options.privileged),
      reconnection_(options.reconnection),
      owner_(options.owner),
      listener_(std::move(options.listener)) {
  std::string label = fmt::format("xpc.{}.{}", RoleLabel(role_), name_.empty() ? "anonymous" : name_);
  event_queue_ = CreateSerialQueueIn(*owner_, label + ".events", options.target);
  send_queue_ = CreateSerialQueueIn(*owner_, label + ".send", nullptr);
  // S54: inactive until activated; the event queue holds its events until then.
  dispatch_suspend(event_queue_);
  event_queue_suspensions_ = 1;
  sends_inline_ =
      owner_->world().environment().executor().kind() == dispatch::ExecutorKind::kThreaded;
}

ConnectionCore::~ConnectionCore() {
  // Every suspension must be undone before the queue goes (dispatch forbids
  // releasing a suspended queue); the pending blocks hold the core, so none remain.
  for (int i = 0; i < event_queue_suspensions_; ++i) dispatch_resume(event_queue_);
  dispatch_release(event_queue_);
  dispatch_release(send_queue_);
  if (handler_) {
    // A dead process's handler is abandoned with what it captured, as the
    // process's memory would vanish; see dispatch::Bury.
    if (owner_ended_) {
      dispatch::Bury(handler_);
    } else {
      ReleaseBlock(handler_);
    }
  }
}

Connection* ConnectionCore::handle() const {
  std::lock_guard lock(mutex_);
  return handle_;
}

void ConnectionCore::Record(TraceKind kind, runtime::TraceText text) const {
  owner_->world().Record(kind, *owner_, std::move(text),
                         {RoleLabel(role_), trace_name_, label_,
                          remote_pid_.load(std::memory_order_relaxed)});
}

bool ConnectionCore::SetLabel(std::string label) {
  std::lock_guard lock(mutex_);
  if (activated_ || cancelled_ || !outbox_.empty() || link_ != nullptr) return false;
  label_ = std::move(label);
  trace_name_ = name_.empty() ? label_ : label_ + " (" + name_ + ")";
  return true;
}

void ConnectionCore::SetEventHandler(xpc_handler_t handler) {
  xpc_handler_t copy = nullptr;
  if (handler) copy = Block_copy(handler);
  xpc_handler_t old;
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(handler_, copy);
  }
  // S74: a running handler keeps its own copy; the next event uses the new one.
  if (old) ReleaseBlock(old);
}

void ConnectionCore::SetTargetQueue(dispatch_queue_t queue) {
  // S76/P7: the event queue is serial, so dispatch applies the change between
  // two handler calls, never during one.
  dispatch_set_target_queue(event_queue_, queue != nullptr ? queue : DefaultQueueOf(*owner_));
}

void ConnectionCore::Activate(const char* call) {
  bool resolve_name = false;
  bool has_handler;
  {
    std::lock_guard lock(mutex_);
    if (activated_) return;  // S56
    has_handler = static_cast<bool>(handler_);
    if (has_handler) activated_ = true;
  }
  if (!has_handler) {
    // S55. Descriptions take the mutex, so reports are made outside it.
    ReportXpcMisuse(call, "Activation of a connection without an event handler.",
                    Description(handle()));
    return;
  }
  {
    std::lock_guard lock(mutex_);
    resolve_name = role_ == Role::kServiceClient || (role_ == Role::kListener && !name_.empty());
    --event_queue_suspensions_;
  }
  dispatch_resume(event_queue_);
  Record(TraceKind::kConnect, "activated");
  if (resolve_name) {
    auto& bootstrap = owner_->world().bootstrap();
    if (role_ == Role::kListener) {
      // P1: in-process check-in.
      std::string refusal;
      auto claim = bootstrap.Claim(name_, weak_from_this(),
                                   owner_->identity().credentials.euid == 0, &refusal);
      if (claim != runtime::ClaimResult::kClaimed) {
        Invalidate("Connection init failed at check-in: " + refusal, false);
      } else {
        std::lock_guard lock(mutex_);
        claimed_name_ = true;
      }
    } else {
      // S53/S64: the name is looked up at activation, without waiting for a
      // service still starting; if it never checks in, this client hears.
      auto scope = privileged_ ? runtime::LookupScope::kPrivilegedOnly : runtime::LookupScope::kAny;
      std::string failure;
      auto unserved = [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->Invalidate(runtime::kNoSuchProcessLookupFailure, false);
      };
      if (!bootstrap.Resolve(name_, scope, *owner_, &failure, unserved)) {
        Invalidate(failure, false);
      }
    }
  }
  SchedulePump();
}

void ConnectionCore::Resume() {
  bool over_resumed = false;
  {
    std::lock_guard lock(mutex_);
    if (user_suspensions_ == 0) {
      // S56: the initial resume activates; after that it must pair with a suspend.
      over_resumed = activated_;
    } else {
      --user_suspensions_;
      --event_queue_suspensions_;
      dispatch_resume(event_queue_);
      if (user_suspensions_ > 0 || !activated_) return;
    }
  }
  if (over_resumed) {
    ReportXpcMisuse("xpc_connection_resume", "Over-resume of a connection.",
                    Description(handle()));
    return;
  }
  Activate("xpc_connection_resume");
  SchedulePump();
}

void ConnectionCore::Suspend() {
  std::lock_guard lock(mutex_);
  ++user_suspensions_;
  ++event_queue_suspensions_;
  // S57: takes effect between handler calls; sending stops too (the pump checks).
  dispatch_suspend(event_queue_);
}

void ConnectionCore::Cancel() {
  bool reject_unaccepted = false;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
      // S90: the service rejects a peer whose client left before it was
      // accepted; nothing will activate it now.
      reject_unaccepted = role_ == Role::kPeer && !activated_ && !user_cancelled_;
      if (!reject_unaccepted) return;  // S67
    }
    user_cancelled_ = true;
  }
  if (reject_unaccepted) {
    ReleaseUnacceptedPeer();
    return;
  }
  Record(TraceKind::kNote, "cancelled");
  Invalidate("invalidated because the current process cancelled the connection by calling "
             "xpc_connection_cancel()",
             true);
}

// Ends this connection for good: unsent messages are unwound (S69), pending
// replies get INVALID, the remote end is told, and the event handler gets its
// one final INVALID (S68).
void ConnectionCore::Invalidate(std::string reason, bool notify_remote, xpc_object_t error) {
  std::shared_ptr<Link> link;
  std::vector<std::weak_ptr<ConnectionCore>> endpoint_clients;
  bool claimed = false;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) return;
    cancelled_ = true;
    invalidation_reason_ = reason;
    link = std::move(link_);
    endpoint_clients = std::move(endpoint_clients_);
    claimed = std::exchange(claimed_name_, false);
  }
  if (link != nullptr) link->Break(this, LinkBreak::kRemoteCancelled);
  if (claimed) owner_->world().bootstrap().Unclaim(name_, this);
  if (notify_remote) {
    // P3: the listener is gone, so are the endpoint clients' hopes.
    for (auto& weak : endpoint_clients) {
      if (auto client = weak.lock()) client->OnLinkBroken(LinkBreak::kListenerGone);
    }
  }
  for (PendingReply& pending : TakePendingReplies()) {
    FailReply(std::move(pending), error);
  }
  EnqueueFinalInvalid(std::move(reason), error);
  SchedulePump();
}

void ConnectionCore::EnqueueFinalInvalid(std::string reason, xpc_object_t error) {
  bool rejected_peer;
  {
    std::lock_guard lock(mutex_);
    if (final_event_enqueued_) return;
    final_event_enqueued_ = true;
    // S90: a peer the service rejected (cancelled) without activating it
    // has no handler to tell. One the runtime ended before the service
    // accepted it (its client left) keeps its INVALID for when it is (S93).
    rejected_peer = role_ == Role::kPeer && !activated_ && user_cancelled_;
    // S68, S105: the handle outlives a last release until this event was
    // delivered. Not for a handle already going (its handler is dropped).
    if (!rejected_peer && activated_ && handle_ != nullptr && !owner_ended_ &&
        handle_->TryRetainInternal()) {
      final_hold_ = handle_;  // released in DeliverEvent or OnProcessEnded
    }
  }
  if (rejected_peer) {
    ReleaseUnacceptedPeer();
    return;
  }
  EnqueueEvent(Event{Event::kError, error, true});
}

void ConnectionCore::ReleaseUnacceptedPeer() {
  Connection* hold;
  bool resume = false;
  {
    std::lock_guard lock(mutex_);
    hold = std::exchange(runtime_hold_, nullptr);
    // A final INVALID queued for acceptance goes unheard.
    final_event_delivered_ = true;
    if (!activated_) {
      activated_ = true;
      --event_queue_suspensions_;
      resume = true;
    }
  }
  if (resume) dispatch_resume(event_queue_);  // lets queued deliveries run and drop
  if (hold != nullptr) hold->Release("xpc_connection_cancel");
}

std::vector<ConnectionCore::PendingReply> ConnectionCore::TakePendingReplies() {
  std::lock_guard lock(mutex_);
  std::vector<PendingReply> taken;
  for (auto& [id, pending] : pending_) taken.push_back(std::move(pending));
  pending_.clear();
  return taken;
}

void ConnectionCore::FailReply(PendingReply pending, xpc_object_t error) {
  if (pending.sync != nullptr) {
    pending.sync->Fill(error);
    return;
  }
  RunReplyHandler(pending.queue, pending.handler, error);
}

void ConnectionCore::OnLinkBroken(LinkBreak why) {
  bool interrupt = false;
  {
    std::lock_guard lock(mutex_);
    link_.reset();
    if (cancelled_) return;
    switch (role_) {
      case Role::kServiceClient:
        // S62: interrupted; the next send looks the name up again.
        interrupt = reconnection_ == Reconnection::kAllowed;
        break;
      case Role::kEndpointClient:
        // P3: interrupted when the peer or its process goes; INVALID when the
        // listener is cancelled. Nothing re-establishes it.
        cannot_reconnect_ = true;
        interrupt = why != LinkBreak::kListenerGone && reconnection_ == Reconnection::kAllowed;
        break;
      case Role::kPeer:
      case Role::kListener:
        break;  // S93: peers never see INTERRUPTED
    }
  }
  const char* reason = "the remote connection went away";
  if (why == LinkBreak::kListenerGone) reason = "the listener was cancelled";
  if (why == LinkBreak::kRemoteForbade) {
    reason = "the peer refused this process: it does not satisfy the peer's requirement";
  }
  if (!interrupt) {
    // S93 for peers; S116 for sessions, which never reconnect.
    Record(TraceKind::kError, "remote end gone: Connection invalid");
    Invalidate(reason, false);
    return;
  }
  Record(TraceKind::kError, "Connection interrupted");
  // S63: unsent messages are unwound; pending replies learn no reply will come.
  std::vector<Outgoing> unsent;
  {
    std::lock_guard lock(mutex_);
    for (auto& outgoing : outbox_) {
      if (outgoing.barrier) continue;
      unsent.push_back(std::move(outgoing));
    }
    std::erase_if(outbox_, [](const Outgoing& o) { return !o.barrier; });
  }
  for (PendingReply& pending : TakePendingReplies()) {
    FailReply(std::move(pending), XPC_ERROR_CONNECTION_INTERRUPTED);
  }
  for (Outgoing& outgoing : unsent) xpc_release(outgoing.message);
  // Delivered even if the runtime invalidates the connection before the
  // handler runs (a send after the break, P3), but not after a user cancel (S68).
  EnqueueEvent(Event{Event::kError, XPC_ERROR_CONNECTION_INTERRUPTED, false, true});
  if (why == LinkBreak::kUnloaded) reason = "the service was unloaded";
  if (why == LinkBreak::kRemoteForbade || why == LinkBreak::kUnloaded) {
    // S115c/S98 [E]: a refused client sees INTERRUPTED, then INVALID; so does
    // a named client of an unloaded job (S65), and nothing brings it back.
    {
      std::lock_guard lock(mutex_);
      cannot_reconnect_ = true;
    }
    Invalidate(reason, false);
  }
}

void ConnectionCore::OnTerminationImminent() {
  {
    std::lock_guard lock(mutex_);
    if (role_ != Role::kPeer || cancelled_) return;  // S66: peers only
  }
  Record(TraceKind::kError, "Termination imminent");
  EnqueueEvent(Event{Event::kError, XPC_ERROR_TERMINATION_IMMINENT});
}

void ConnectionCore::OnProcessEnded(runtime::ProcessEnd how) {
  owner_ended_ = true;
  std::shared_ptr<Link> link;
  Connection* hold;
  Connection* final_hold;
  bool claimed;
  std::vector<PendingReply> pending;
  std::vector<xpc_object_t> unread;
  {
    std::lock_guard lock(mutex_);
    unread.swap(unread_after_termination_);
    final_hold = std::exchange(final_hold_, nullptr);
    // What the dead process's handler holds (its own state, often the
    // connections themselves) stays reachable: its memory "vanished".
    if (handler_) dispatch::Bury(handler_);
    cancelled_ = true;
    final_event_enqueued_ = true;
    invalidation_reason_ = "the process ended";
    link = std::move(link_);
    hold = std::exchange(runtime_hold_, nullptr);
    claimed = std::exchange(claimed_name_, false);
    endpoint_clients_.clear();
    for (auto& [id, p] : pending_) pending.push_back(std::move(p));
    pending_.clear();
    for (auto& outgoing : outbox_) {
      if (outgoing.message != nullptr) xpc_release(outgoing.message);
      if (outgoing.barrier) Block_release(outgoing.barrier);
    }
    outbox_.clear();
  }
  if (link != nullptr) {
    link->Break(this, how == runtime::ProcessEnd::kUnload ? LinkBreak::kUnloaded
                                                         : LinkBreak::kRemoteEnded);
  }
  if (claimed) owner_->world().bootstrap().Unclaim(name_, this);
  for (PendingReply& p : pending) {
    // A reply_sync blocked in the dead process must return so its stack unwinds.
    if (p.sync != nullptr) {
      p.sync->Fill(XPC_ERROR_CONNECTION_INVALID);
    } else {
      ReleaseBlock(p.handler);
      dispatch_release(p.queue);
    }
  }
  for (xpc_object_t message : unread) xpc_release(message);
  if (final_hold != nullptr) {
    // The final event will not be delivered: the process is gone.
    if (how == runtime::ProcessEnd::kExit) {
      final_hold->ReleaseInternal("process end");
    } else {
      dispatch::Bury(final_hold);  // as below
    }
  }
  if (hold != nullptr) {
    if (how == runtime::ProcessEnd::kExit) {
      hold->Release("process end");
    } else {
      // Killed: a handler of the process may still be running on another
      // thread (a real crash would have stopped it), holding this connection
      // without a reference of its own. Its memory vanishes with the process.
      dispatch::Bury(hold);
    }
  }
}

namespace {

// An event's reference, released whether the event is delivered or dropped
// unrun with its process.
struct OwnedEvent {
  explicit OwnedEvent(xpc_object_t object, bool counted) : object(object), counted(counted) {}
  ~OwnedEvent() {
    if (counted) xpc_release(object);
  }
  xpc_object_t object;
  bool counted;
};

}  // namespace

void ConnectionCore::EnqueueEvent(Event event) {
  auto self = shared_from_this();
  auto owned = std::make_shared<OwnedEvent>(event.object, event.kind != Event::kError);
  Async(event_queue_, [self, event, owned] { self->DeliverEvent(event); });
}

// Runs on the event queue: one handler call at a time (S73).
void ConnectionCore::DeliverEvent(const Event& event) {
  xpc_handler_t handler = nullptr;
  {
    std::lock_guard lock(mutex_);
    bool deliver = !final_event_delivered_ && handler_ &&
                   // S68: after cancel, only the final INVALID is delivered.
                   (!cancelled_ || event.final || (event.precedes_end && !user_cancelled_));
    if (deliver) {
      handler = Block_copy(handler_);
      if (event.final) final_event_delivered_ = true;
    }
  }
  if (!handler && event.kind == Event::kPeer) {
    // S90: this listener will never hand the peer to anyone: dispose of it,
    // so it does not wait for an acceptance forever.
    static_cast<Connection*>(static_cast<objects::Object*>(event.object))->core().Cancel();
  }
  if (handler && event.kind == Event::kMessage) {
    // S115c: checked at delivery, so a requirement set on a peer by the
    // listener's handler also covers the first message, queued before it.
    auto* dictionary = objects::TryAs<objects::Dictionary>(event.object);
    auto request = std::dynamic_pointer_cast<RequestContext>(dictionary->message_context());
    runtime::Process* sender = request != nullptr ? request->sender() : nullptr;
    if (request != nullptr) CheckDeliveryOrder(request->sequence(), event.object);
    uint64_t forbid_from = forbid_from_sequence_.load();
    bool forbidden_by_fault =
        request != nullptr && forbid_from != 0 && request->sequence() >= forbid_from;
    if (sender != nullptr && (forbidden_by_fault || !Admits(sender))) {
      ReleaseBlock(handler);
      handler = nullptr;
      Forbid(*sender);
    }
  }
  if (handler && event.kind == Event::kMessage && termination_imminent_) {
    // S66: no more incoming messages after TERMINATION_IMMINENT; they stay
    // unread and vanish with the process.
    ReleaseBlock(handler);
    handler = nullptr;
    std::lock_guard lock(mutex_);
    unread_after_termination_.push_back(xpc_retain(event.object));
  }
  if (handler) {
    bool transaction = event.kind == Event::kMessage && role_ == Role::kPeer;
    if (event.kind == Event::kMessage) {
      // The text made at send, unless a fault rule may have changed the message.
      auto* dictionary = objects::TryAs<objects::Dictionary>(event.object);
      auto request = std::dynamic_pointer_cast<RequestContext>(dictionary->message_context());
      if (request != nullptr && request->summary() != nullptr) {
        Record(TraceKind::kDeliver, request->summary());
      } else {
        Record(TraceKind::kDeliver, runtime::SummarizeMessage(event.object));
      }
    }
    if (event.object == XPC_ERROR_TERMINATION_IMMINENT) termination_imminent_ = true;
    LearnRemote();
    // S113: a message in a peer's handler keeps its process from idle exit.
    if (transaction) owner_->BeginTransaction();
    handler(event.object);
    ReleaseBlock(handler);
    if (transaction) owner_->EndTransaction();
  }
  if (event.final) {
    Connection* hold;
    Connection* final_hold;
    xpc_handler_t old;
    {
      std::lock_guard lock(mutex_);
      hold = std::exchange(runtime_hold_, nullptr);
      final_hold = std::exchange(final_hold_, nullptr);
      // Nothing is delivered after the final INVALID: drop the handler now.
      old = std::exchange(handler_, nullptr);
    }
    if (old) ReleaseBlock(old);
    // The internal reference first: the runtime hold is not an internal one.
    if (final_hold != nullptr) final_hold->ReleaseInternal("xpc_connection_cancel");
    if (hold != nullptr) hold->Release("xpc_connection_cancel");
  }
}

void ConnectionCore::OnHandleDisposed(Connection* handle) {
  bool inactive_or_suspended;
  bool cancelled;
  bool borrowed;
  void* context;
  xpc_finalizer_t finalizer;
  {
    std::lock_guard lock(mutex_);
    // The runtime's own reference was released by someone else: the peer's
    // handler released the peer it was only lent (S21).
    borrowed = runtime_hold_ == handle;
    if (borrowed) runtime_hold_ = nullptr;
    inactive_or_suspended = !borrowed && ((!activated_ && !(role_ == Role::kPeer && cancelled_)) ||
                                          user_suspensions_ > 0);
    cancelled = cancelled_;
    context = context_;
    finalizer = finalizer_;
  }
  if (borrowed) {
    // S16, S21: libxpc would abort on the runtime's release of the peer.
    ReportXpcMisuse("xpc_release", "Over-release of object.", Description(handle),
                    "the peer connection a listener's event handler is given is borrowed (S21): "
                    "it was released without a retain of its own");
  }
  if (inactive_or_suspended) {
    // S59: libxpc aborts; with a sink installed we tear down as if cancelled.
    ReportXpcMisuse("xpc_release", "Release of last reference on a suspended connection.",
                    Description(handle));
  }
  if (!cancelled) {
    Invalidate("invalidated after the last release of the connection object", true);
  }
  {
    std::lock_guard lock(mutex_);
    handle_ = nullptr;
    // The handler will not be called for an object that no longer exists.
    if (handler_) {
      ReleaseBlock(handler_);
      handler_ = nullptr;
    }
    // Let queued deliveries and sends drain so they release the core.
    while (event_queue_suspensions_ > 0) {
      --event_queue_suspensions_;
      dispatch_resume(event_queue_);
    }
    user_suspensions_ = 0;
    activated_ = true;
  }
  SchedulePump();
  // S105: the finalizer runs once, just before the memory goes: on the event
  // queue, so after any handler call still running on another thread.
  if (finalizer != nullptr && !owner_ended_) {
    auto self = shared_from_this();
    Async(event_queue_, [self, finalizer, context] { finalizer(context); });
  }
}

void ConnectionCore::OnUserReferencesGone(Connection* handle) {
  bool suspended;
  {
    std::lock_guard lock(mutex_);
    if (user_references_gone_) return;
    user_references_gone_ = true;
    suspended = user_suspensions_ > 0;
  }
  if (!suspended) return;
  // S59: libxpc aborts; with a sink installed the connection is torn down as
  // its cancel asked: the final event is delivered.
  ReportXpcMisuse("xpc_release", "Release of last reference on a suspended connection.",
                  Description(handle));
  {
    std::lock_guard lock(mutex_);
    while (user_suspensions_ > 0) {
      --user_suspensions_;
      --event_queue_suspensions_;
      dispatch_resume(event_queue_);
    }
  }
  SchedulePump();
}

runtime::Credentials ConnectionCore::RemoteCredentials() const {
  std::lock_guard lock(mutex_);
  return remote_known_ ? remote_ : runtime::UnknownCredentials();
}

void ConnectionCore::DescribeUnfinished(std::vector<std::string>& out) const {
  if (owner_ != &owner_->world().host() || role_ == Role::kPeer) return;
  bool never_cancelled;
  size_t waiting;
  const void* address;
  {
    std::lock_guard lock(mutex_);
    never_cancelled = activated_ && !cancelled_;
    waiting = pending_.size();
    address = handle_;
  }
  if (!never_cancelled && waiting == 0) return;
  std::string description = Description(address);
  if (never_cancelled) out.push_back("connection never cancelled: " + description);
  if (waiting > 0) {
    out.push_back(fmt::format("{} request(s) still waiting for a reply on {}", waiting, description));
  }
}

bool ConnectionCore::AwaitsReply(uint64_t id) const {
  std::lock_guard lock(mutex_);
  return pending_.count(id) != 0;
}

bool ConnectionCore::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

char* ConnectionCore::CopyInvalidationReason() const {
  std::lock_guard lock(mutex_);
  if (!cancelled_) return nullptr;
  return strdup(invalidation_reason_.c_str());
}

void ConnectionCore::SetContext(void* context) {
  std::lock_guard lock(mutex_);
  context_ = context;  // S104: the finalizer does not run for the old one
}

void* ConnectionCore::context() const {
  std::lock_guard lock(mutex_);
  return context_;
}

void ConnectionCore::SetFinalizer(xpc_finalizer_t finalizer) {
  std::lock_guard lock(mutex_);
  finalizer_ = finalizer;
}

bool ConnectionCore::SetPeerRequirement(RequirementPtr requirement) {
  std::lock_guard lock(mutex_);
  if (requirement_ != nullptr) return false;  // S115b
  requirement_ = std::move(requirement);
  return true;
}

bool ConnectionCore::IsRunningOnEventQueue() const { return IsRunningOn(event_queue_); }

void ConnectionCore::ForbidFrom(uint64_t sequence) {
  uint64_t expected = 0;
  forbid_from_sequence_.compare_exchange_strong(expected, sequence);
}

void ConnectionCore::CheckDeliveryOrder(uint64_t sequence, xpc_object_t message) {
  // Only the event queue (serial, S73) delivers, so no lock is needed.
  if (sequence > last_delivered_sequence_) {
    last_delivered_sequence_ = sequence;
    return;
  }
  ReportInvariantViolation("xpc_connection_set_event_handler",
                           fmt::format("a message was delivered out of per-connection order "
                                       "(carried #{} after #{})",
                                       sequence, last_delivered_sequence_),
                           DescribeMessage(message));
}

bool ConnectionCore::Admits(const runtime::Process* sender) const {
  RequirementPtr requirement;
  {
    std::lock_guard lock(mutex_);
    requirement = requirement_;
  }
  if (requirement == nullptr || sender == nullptr) return true;
  return requirement->SatisfiedBy(sender->code_signing());
}

void ConnectionCore::Forbid(const runtime::Process& sender) {
  std::shared_ptr<Link> link;
  std::string requirement;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) return;
    link = std::move(link_);
    // A fault rule may fail the check where no requirement is set.
    requirement = requirement_ != nullptr ? requirement_->text() : "(failed by a fault rule)";
  }
  std::string reason = fmt::format("peer pid {} does not satisfy the peer requirement: {}",
                                   sender.pid(), requirement);
  Record(TraceKind::kError, "Peer Forbidden: " + reason);
  if (link != nullptr) link->Break(this, LinkBreak::kRemoteForbade);
  Invalidate(std::move(reason), false, XPC_ERROR_PEER_CODE_SIGNING_REQUIREMENT);
}

// S109.
std::string ConnectionCore::Description(const void* address) const {
  runtime::Credentials remote = RemoteCredentials();
  std::string name;
  switch (role_) {
    case Role::kPeer: name = fmt::format("{}.peer.{}", name_.empty() ? "(anonymous)" : name_, address); break;
    case Role::kEndpointClient: name = "(anonymous)"; break;
    default: name = name_.empty() ? "(anonymous)" : name_; break;
  }
  return fmt::format("<connection: {}> {{ name = {}, listener = {}, pid = {}, euid = {}, "
                     "egid = {}, asid = {} }}",
                     address, name, is_listener() ? "true" : "false", remote.pid,
                     static_cast<uint32_t>(remote.euid), static_cast<uint32_t>(remote.egid),
                     static_cast<uint32_t>(remote.asid));
}

}  // namespace xpctest::fakes::xpc
