// The send path of ConnectionCore: validation and copy, the outbox and its
// pump, connecting on first send, and replies in both directions.
#include <Block.h>
#include <fmt/format.h>

#include <optional>

#include "base/report.h"
#include "dispatch/domain.h"
#include "objects/dictionary.h"
#include "runtime/world.h"
#include "xpc/connection_object.h"
#include "xpc/connection_core_internal.h"
#include "xpc/link.h"
#include "xpc/message_context.h"
#include "xpc/message_rules.h"

namespace xpctest::fakes::xpc {

using runtime::TraceKind;

void RunReplyHandler(dispatch_queue_t queue, xpc_handler_t handler, xpc_object_t reply) {
  // A client block: if the process ends first, dispatch abandons it with what
  // it holds, as the process's memory would vanish.
  dispatch_async(queue, ^{
    handler(reply);  // S19: borrowed for the duration of the call
    xpc_release(reply);
    // Our reference to the handler is dropped on the thread that ran it:
    // BlocksRuntime's counts are invisible to TSan, so a release racing the
    // call from another thread would look like a data race.
    Block_release(handler);
  });
  dispatch_release(queue);
}

bool ConnectionCore::PrepareMessage(xpc_object_t message, const char* call, xpc_object_t* copy) {
  if (!CheckSendable(message, call)) return false;
  *copy = CopyForSending(message);
  return true;
}

void ConnectionCore::SendMessage(xpc_object_t message, const char* call) {
  if (!CheckSendable(message, call)) return;
  // A dictionary made by xpc_dictionary_create_reply is a reply: it goes to
  // the requester's reply handler (S86), whichever connection it is sent on.
  auto* dictionary = objects::TryAs<objects::Dictionary>(message);
  auto reply = std::dynamic_pointer_cast<ReplyContext>(dictionary->message_context());
  if (reply != nullptr && reply->route() != nullptr) {
    std::shared_ptr<ConnectionCore> receiver = reply->receiver().lock();
    if (receiver.get() != this) {
      // Sent on another connection by mistake. The reply carries its own way
      // back (libxpc's reply port), so it goes where it belongs: through the
      // connection the request arrived on (docs/architecture.md).
      if (receiver != nullptr) {
        receiver->SendMessage(message, call);
      } else {
        reply->route()->reply_sent = true;  // that connection is gone: so is the request
      }
      return;
    }
  }
  Outgoing outgoing;
  outgoing.message = CopyForSending(message);
  if (reply != nullptr && reply->route() != nullptr) {
    outgoing.answers = reply->route();
    outgoing.answers->reply_sent = true;
    outgoing.transaction = reply->TakeTransaction();  // S113: ends once sent
  }
  if (outgoing.answers == nullptr) MarkFreshDictionarySent();
  Enqueue(std::move(outgoing));
}

void ConnectionCore::SendMessageWithReply(xpc_object_t message, dispatch_queue_t queue,
                                          xpc_handler_t handler, const char* call) {
  xpc_object_t copy;
  if (!PrepareMessage(message, call, &copy)) return;
  PendingReply pending;
  pending.queue = queue != nullptr ? queue : DefaultQueueOf(*owner_);
  dispatch_retain(pending.queue);
  pending.handler = Block_copy(handler);
  Outgoing outgoing;
  outgoing.message = copy;
  bool cancelled;
  {
    std::lock_guard lock(mutex_);
    cancelled = cancelled_;
    pending.id = outgoing.reply_id = next_reply_id_++;
    if (!cancelled) pending_.emplace(pending.id, pending);
  }
  if (cancelled) {
    // S69: a cancelled connection answers at once with INVALID.
    xpc_release(copy);
    FailReply(std::move(pending), XPC_ERROR_CONNECTION_INVALID);
    return;
  }
  MarkFreshDictionarySent();
  Enqueue(std::move(outgoing));
}

xpc_object_t ConnectionCore::SendMessageWithReplySync(xpc_object_t message) {
  const char* call = "xpc_connection_send_message_with_reply_sync";
  if (IsRunningOn(event_queue_)) {
    // S75/S84: on macOS this can deadlock; here it works, so say so.
    ReportWarning(call,
                  "reply_sync called from the connection's own event handler or target queue "
                  "hierarchy; this can deadlock on macOS (S84)",
                  Description(handle()));
  }
  xpc_object_t copy;
  if (!PrepareMessage(message, call, &copy)) return nullptr;
  auto slot = std::make_shared<SyncReplySlot>();
  Outgoing outgoing;
  outgoing.message = copy;
  bool cancelled;
  {
    std::lock_guard lock(mutex_);
    cancelled = cancelled_;
    outgoing.reply_id = next_reply_id_++;
    if (!cancelled) pending_.emplace(outgoing.reply_id, PendingReply{outgoing.reply_id, nullptr, nullptr, slot});
  }
  if (cancelled) {
    xpc_release(copy);
    return XPC_ERROR_CONNECTION_INVALID;
  }
  MarkFreshDictionarySent();
  Enqueue(std::move(outgoing));
  // The wait's description is made only if a deadlock report prints it; the
  // caller's reference keeps this connection alive while it waits.
  return slot->Await([this, call] { return fmt::format("{} on {}", call, Description(handle())); });
}

void ConnectionCore::SendBarrier(dispatch_block_t barrier) {
  Outgoing outgoing;
  outgoing.barrier = Block_copy(barrier);
  Enqueue(std::move(outgoing));
}

void ConnectionCore::Enqueue(Outgoing outgoing) {
  {
    std::lock_guard lock(mutex_);
    outbox_.push_back(std::move(outgoing));
  }
  SchedulePump();
}

void ConnectionCore::SchedulePump(bool allow_inline) {
  bool send_inline;
  Outgoing first;
  {
    std::lock_guard lock(mutex_);
    if (pump_scheduled_ || outbox_.empty()) return;
    bool can_send = cancelled_ || (activated_ && user_suspensions_ == 0);
    if (!can_send) return;
    pump_scheduled_ = true;
    // Nothing ahead (the pump is ours), a message rather than a barrier (a
    // barrier runs on the send queue), an established link (connecting, and
    // its failures, stay on the send queue) and a live owner (a dead owner's
    // send queue discards the pump, as its process would).
    send_inline = allow_inline && sends_inline_ && !cancelled_ && outbox_.size() == 1 &&
                  outbox_.front().barrier == nullptr && link_ != nullptr && owner_->alive();
    // Taken under the same lock as the decision: a cancel or a broken link
    // may empty the outbox as soon as it is released.
    if (send_inline) {
      first = std::move(outbox_.front());
      outbox_.pop_front();
    }
  }
  if (send_inline) {
    SendInline(std::move(first));
    return;
  }
  auto self = shared_from_this();
  Async(send_queue_, [self] { self->Pump(); });
}

void ConnectionCore::SendInline(Outgoing outgoing) {
  {
    dispatch::ScopedCurrentDomain as(owner_->domain());
    Transmit(outgoing);
  }
  {
    std::lock_guard lock(mutex_);
    pump_scheduled_ = false;
  }
  // Sent by other threads while this one transmitted: behind it, in order.
  SchedulePump(/*allow_inline=*/false);
}

// Runs on the send queue: one outgoing item at a time, in order.
void ConnectionCore::Pump() {
  while (true) {
    Outgoing outgoing;
    bool cancelled;
    {
      std::lock_guard lock(mutex_);
      bool can_send = cancelled_ || (activated_ && user_suspensions_ == 0);
      if (outbox_.empty() || !can_send) {
        pump_scheduled_ = false;
        return;
      }
      outgoing = std::move(outbox_.front());
      outbox_.pop_front();
      cancelled = cancelled_;
    }
    if (outgoing.barrier) {
      // S71/S81: barriers run even while a cancelled connection unwinds.
      outgoing.barrier();
      Block_release(outgoing.barrier);
      continue;
    }
    if (cancelled) {
      // S69: unsent messages are discarded; their replies were already failed.
      xpc_release(outgoing.message);
      continue;
    }
    Transmit(outgoing);
  }
}

std::shared_ptr<Link> ConnectionCore::Connect(std::string* failure, bool* turned_away) {
  std::shared_ptr<ConnectionCore> listener;
  if (role_ == Role::kServiceClient) {
    auto scope = privileged_ ? runtime::LookupScope::kPrivilegedOnly : runtime::LookupScope::kAny;
    listener = std::dynamic_pointer_cast<ConnectionCore>(
        owner_->world().bootstrap().Lookup(name_, scope, *owner_, failure));
    if (listener == nullptr) return nullptr;
  } else {
    listener = listener_.lock();
    if (listener == nullptr) {
      *failure = "the listener behind the endpoint is gone";
      return nullptr;
    }
  }
  std::shared_ptr<Link> link = listener->AcceptClient(shared_from_this(), turned_away);
  if (link == nullptr) *failure = "the listener was cancelled";
  return link;
}

void ConnectionCore::Transmit(Outgoing& outgoing) {
  std::shared_ptr<Link> link;
  bool cannot_reconnect;
  {
    std::lock_guard lock(mutex_);
    link = link_;
    cannot_reconnect = cannot_reconnect_;
  }
  bool is_client = role_ == Role::kServiceClient || role_ == Role::kEndpointClient;
  if (link == nullptr && is_client && !cannot_reconnect) {
    std::string failure;
    bool turned_away = false;
    link = Connect(&failure, &turned_away);
    if (link == nullptr && turned_away) {
      // S70: as when the service cancels the new peer: this message's reply
      // is interrupted, and so is the connection; a later send tries again.
      FailOutgoing(outgoing);
      xpc_release(outgoing.message);
      OnLinkBroken(LinkBreak::kRemoteCancelled);
      return;
    }
    if (link == nullptr) {
      // S64: a name that leads to no one in scope never led anywhere: the
      // connection is invalid first, so this message's reply fails as invalid
      // too. P3: an endpoint's listener died as this message went: the
      // message is interrupted, and the connection invalid for good.
      bool name_unserved = role_ == Role::kServiceClient;
      if (name_unserved) Invalidate(failure, false);
      FailOutgoing(outgoing);
      xpc_release(outgoing.message);  // the copy made at send time never left
      if (!name_unserved) Invalidate(failure, false);
      return;
    }
    bool cancelled_meanwhile;
    {
      std::lock_guard lock(mutex_);
      // Cancelled while the peer was being made: Invalidate found no link to
      // break, so the new peer hears of it here (S93), or it would wait for
      // this client forever.
      cancelled_meanwhile = cancelled_;
      // The new peer may already be gone (a service that cancels each new
      // peer at once) and OnLinkBroken may have run before this line: keeping
      // a broken link would make every later send fail without reconnecting.
      // A break after this line finds link_ set and resets it itself.
      if (!cancelled_meanwhile && !link->broken()) link_ = link;
    }
    if (cancelled_meanwhile) {
      link->Break(this, LinkBreak::kRemoteCancelled);
      xpc_release(outgoing.message);  // S69: discarded unsent
      return;
    }
  }
  if (link == nullptr) {
    // P3: an endpoint client after interruption, or a peer whose client left.
    FailOutgoing(outgoing);
    xpc_release(outgoing.message);
    Invalidate("the connection cannot be re-established", false);
    return;
  }
  // Made once: the send entry, the delivery entry and a request's reply route
  // (which names it in warnings, P2) share the text.
  auto summary = std::make_shared<const std::string>(runtime::SummarizeMessage(outgoing.message));
  Record(TraceKind::kSend, summary);
  if (outgoing.answers != nullptr) {
    // S83: replies go straight to the reply handler, outside the event stream.
    // The link applies the fault rules (direction kReply) and keeps replies FIFO.
    link->CarryReply(this, outgoing.answers->requester.lock(), outgoing.answers->id,
                     outgoing.message, std::move(summary));
    return;
  }
  std::shared_ptr<ReplyRoute> route;
  if (outgoing.reply_id != 0) {
    route = std::make_shared<ReplyRoute>();
    route->requester = weak_from_this();
    route->id = outgoing.reply_id;
    route->summary = summary;
  }
  if (!link->Carry(this, outgoing.message, std::move(route), std::move(summary))) {
    FailOutgoing(outgoing);
  }
}

// The message never left: its reply handler learns why (S63, S69).
void ConnectionCore::FailOutgoing(Outgoing& outgoing) {
  if (outgoing.reply_id == 0) return;
  std::optional<PendingReply> pending;
  xpc_object_t error;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(outgoing.reply_id);
    if (it == pending_.end()) return;
    pending = std::move(it->second);
    pending_.erase(it);
    error = cannot_reconnect_ || cancelled_ || role_ == Role::kPeer
                ? XPC_ERROR_CONNECTION_INVALID
                : XPC_ERROR_CONNECTION_INTERRUPTED;
  }
  FailReply(std::move(*pending), error);
}

void ConnectionCore::MarkFreshDictionarySent() {
  std::lock_guard lock(mutex_);
  for (auto it = unanswered_.begin(); it != unanswered_.end();) {
    std::shared_ptr<ReplyRoute> route = it->lock();
    if (route == nullptr || route->reply_created) {
      it = unanswered_.erase(it);
      continue;
    }
    route->fresh_dictionary_sent = true;
    ++it;
  }
}

ConnectionCore::ConnectVerdict ConnectionCore::ConnectFault(ConnectionCore& client) {
  runtime::World& world = owner_->world();
  if (world.faults().empty()) return ConnectVerdict::kAccept;
  runtime::MessageInFlight connecting{runtime::MessageDirection::kConnect, &client.owner(),
                                      owner_, name_, nullptr, owner_};
  std::optional<runtime::FaultAction> action =
      world.faults().Evaluate(connecting, [this, &world, &client](const std::string& text) {
        world.Record(TraceKind::kFault, client.owner(), text, {nullptr, {}, {}, owner_->pid()});
      });
  if (!action) return ConnectVerdict::kAccept;
  switch (action->kind) {
    case runtime::FaultActionKind::kRefuse: return ConnectVerdict::kRefuse;
    case runtime::FaultActionKind::kFailCodeSigning: return ConnectVerdict::kForbid;
    case runtime::FaultActionKind::kCrashReceiver:
      owner_->End(runtime::ProcessEnd::kCrash);
      return ConnectVerdict::kGone;
    case runtime::FaultActionKind::kCrashSender:
      client.owner().End(runtime::ProcessEnd::kCrash);
      return ConnectVerdict::kGone;
    default:
      return ConnectVerdict::kAccept;  // message actions mean nothing to a connection
  }
}

std::shared_ptr<Link> ConnectionCore::AcceptClient(const std::shared_ptr<ConnectionCore>& client,
                                                   bool* turned_away) {
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) return nullptr;
  }
  switch (ConnectFault(*client)) {
    case ConnectVerdict::kAccept: break;
    case ConnectVerdict::kRefuse:
      // As a service that cancels a new peer at once (S70).
      Record(TraceKind::kError,
             fmt::format("refused pid {}: turned away by a fault rule", client->owner().pid()));
      *turned_away = true;
      return nullptr;
    case ConnectVerdict::kForbid:
      Record(TraceKind::kError,
             fmt::format("refused pid {}: its code-signing check failed (a fault rule)",
                         client->owner().pid()));
      client->OnLinkBroken(LinkBreak::kRemoteForbade);
      return nullptr;
    case ConnectVerdict::kGone:
      // A process crashed as the client connected: a named client may try
      // again (S62); an endpoint's listener is gone for good (P3).
      *turned_away = client->role() == Role::kServiceClient;
      return nullptr;
  }
  if (!Admits(&client->owner())) {
    // S115c/S133: a listener drops clients that fail its requirement; the
    // client learns it was refused (INTERRUPTED then INVALID, or a cancelled session).
    Record(TraceKind::kError,
           fmt::format("refused pid {}: it does not satisfy the peer requirement",
                       client->owner().pid()));
    client->OnLinkBroken(LinkBreak::kRemoteForbade);
    return nullptr;
  }
  {
    std::lock_guard lock(mutex_);
    if (client->role() == Role::kEndpointClient) endpoint_clients_.push_back(client);
  }
  Options options;
  options.role = Role::kPeer;
  options.name = name_;
  options.owner = owner_;  // S77: the default target queue, not the listener's
  Connection* peer_handle = CreateHandle(std::move(options));
  std::shared_ptr<ConnectionCore> peer = peer_handle->shared_core();
  // Not yet published: the peer carries its client's label in the trace.
  if (!client->label_.empty()) {
    peer->label_ = client->label_;
    peer->trace_name_ = name_.empty() ? client->label_ : client->label_ + " (" + name_ + ")";
  }
  peer->remote_pid_.store(client->owner().pid(), std::memory_order_relaxed);
  client->remote_pid_.store(owner_->pid(), std::memory_order_relaxed);
  auto link = std::make_shared<Link>(client, peer);
  {
    std::lock_guard lock(peer->mutex_);
    peer->link_ = link;
    peer->runtime_hold_ = peer_handle;  // S21: released after the final INVALID
    // S101: a peer knows its client's credentials from the start.
    peer->remote_ = client->owner().identity().credentials;
    peer->remote_known_ = true;
  }
  Record(TraceKind::kConnect,
         fmt::format("new peer for pid {}", client->owner().pid()));
  xpc_retain(peer_handle);  // the event's reference
  EnqueueEvent(Event{Event::kPeer, peer_handle});
  if (!owner_->alive()) {
    // The service's process ended on another thread while this peer was
    // being made, perhaps after it told its connections: end the peer too,
    // or its link would never break (and client and peer would hold each
    // other forever).
    peer->OnProcessEnded(owner_->state() == runtime::ProcessState::kCrashed
                             ? runtime::ProcessEnd::kCrash
                             : runtime::ProcessEnd::kExit);
  }
  return link;
}

void ConnectionCore::ReceiveMessage(xpc_object_t message) {
  auto* dictionary = objects::TryAs<objects::Dictionary>(message);
  if (auto request = std::dynamic_pointer_cast<RequestContext>(dictionary->message_context())) {
    if (request->route() != nullptr) {
      std::lock_guard lock(mutex_);
      unanswered_.push_back(request->route());
    }
  }
  EnqueueEvent(Event{Event::kMessage, message, false, /*precedes_end=*/true});
}

void ConnectionCore::ReceiveReply(uint64_t id, xpc_object_t reply, runtime::Process& sender,
                                  runtime::SharedText summary) {
  if (!Admits(&sender)) {
    // S115c: the requirement's error replaces the reply (Forbid fails every
    // pending reply, this one included).
    xpc_release(reply);
    Forbid(sender);
    return;
  }
  std::optional<PendingReply> pending;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(id);
    if (it != pending_.end()) {
      pending = std::move(it->second);
      pending_.erase(it);
    }
  }
  if (!pending) {
    // Cancelled or interrupted before the reply came: exactly one answer (S82).
    xpc_release(reply);
    return;
  }
  LearnRemote();
  auto* dictionary = objects::TryAs<objects::Dictionary>(reply);
  dictionary->set_message_context(
      std::make_shared<RequestContext>(weak_from_this(), nullptr, &sender));
  if (summary == nullptr) {
    summary = std::make_shared<const std::string>(runtime::SummarizeMessage(reply));
  }
  Record(TraceKind::kReply, std::move(summary));
  if (pending->sync != nullptr) {
    pending->sync->Fill(reply);
    return;
  }
  RunReplyHandler(pending->queue, pending->handler, reply);
}

void ConnectionCore::LearnRemote() {
  std::shared_ptr<Link> link;
  {
    std::lock_guard lock(mutex_);
    if (remote_known_) return;
    link = link_;
  }
  if (link == nullptr) return;
  std::shared_ptr<ConnectionCore> other = link->Other(this);
  if (other == nullptr) return;
  std::lock_guard lock(mutex_);
  remote_ = other->owner().identity().credentials;
  remote_known_ = true;
}

}  // namespace xpctest::fakes::xpc
