#include "xpc/link.h"

#include <atomic>
#include <optional>
#include <vector>

#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "runtime/world.h"
#include "xpc/message_context.h"

namespace xpctest::fakes::xpc {

namespace {

// Messages are numbered as links carry them; see RequestContext::sequence.
std::atomic<uint64_t> g_carried{0};

int64_t NowNs(runtime::World& world) {
  return world.environment().executor().Now().nanos;
}

// The fast path: no fault rules, and nothing in flight ahead on the sender's
// queue. Only then does a message arrive exactly as sent (a rule may change
// it), so the trace text made at its send holds for its arrival too.
bool Direct(bool queue_idle, const ConnectionCore& from) {
  return queue_idle && from.owner().world().faults().empty();
}

}  // namespace

Link::Link(std::shared_ptr<ConnectionCore> client, std::shared_ptr<ConnectionCore> peer)
    : client_(std::move(client)), peer_(std::move(peer)) {}

Link::~Link() {
  for (auto& by_sender : queues_) {
    for (Queue& queue : by_sender) {
      for (InFlight& item : queue.items) xpc_release(item.message);
    }
  }
}

bool Link::Carry(const ConnectionCore* from, xpc_object_t message,
                 std::shared_ptr<ReplyRoute> reply_route, runtime::SharedText summary) {
  std::shared_ptr<ConnectionCore> to;
  std::shared_ptr<ConnectionCore> sender;
  bool from_client = false;
  bool queue_idle = false;
  {
    std::lock_guard lock(mutex_);
    if (!broken_) {
      from_client = from == client_.get();
      to = from_client ? peer_ : client_;
      sender = from_client ? client_ : peer_;
      const Queue& queue = QueueFor(from_client, false);
      queue_idle = queue.items.empty() && !queue.flushing;
    }
  }
  if (to == nullptr) {
    xpc_release(message);
    return false;
  }
  runtime::Process* sender_process = &from->owner();
  std::weak_ptr<ConnectionCore> weak_to = to;
  uint64_t sequence = ++g_carried;
  bool direct = Direct(queue_idle, *from);
  if (!direct) summary = nullptr;
  auto deliver = [weak_to, route = std::move(reply_route), sender_process, sequence,
                  summary = std::move(summary)](xpc_object_t m) {
    std::shared_ptr<ConnectionCore> receiver = weak_to.lock();
    if (receiver == nullptr) {
      xpc_release(m);
      return;
    }
    auto* dictionary = objects::TryAs<objects::Dictionary>(m);
    dictionary->set_message_context(
        std::make_shared<RequestContext>(receiver, route, sender_process, sequence, summary));
    receiver->ReceiveMessage(m);
  };
  if (direct) {
    deliver(message);
    return true;
  }
  ApplyFaults(from_client, false, sender, to, message, std::move(deliver), sequence);
  return true;
}

void Link::CarryReply(const ConnectionCore* from, std::shared_ptr<ConnectionCore> requester,
                      uint64_t id, xpc_object_t reply, runtime::SharedText summary) {
  std::shared_ptr<ConnectionCore> sender;
  bool from_client = false;
  bool queue_idle = false;
  {
    std::lock_guard lock(mutex_);
    if (!broken_) {
      from_client = from == client_.get();
      sender = from_client ? client_ : peer_;
      const Queue& queue = QueueFor(from_client, true);
      queue_idle = queue.items.empty() && !queue.flushing;
    }
  }
  if (sender == nullptr || requester == nullptr) {
    xpc_release(reply);
    return;
  }
  runtime::Process* sender_process = &from->owner();
  std::weak_ptr<ConnectionCore> weak_requester = requester;
  bool direct = Direct(queue_idle, *from);
  if (!direct) summary = nullptr;
  auto deliver = [weak_requester, id, sender_process,
                  summary = std::move(summary)](xpc_object_t m) {
    std::shared_ptr<ConnectionCore> receiver = weak_requester.lock();
    if (receiver == nullptr) {
      xpc_release(m);
      return;
    }
    receiver->ReceiveReply(id, m, *sender_process, summary);
  };
  if (direct) {
    deliver(reply);
    return;
  }
  ApplyFaults(from_client, true, sender, requester, reply, std::move(deliver));
}

bool Link::ApplyFaults(bool from_client, bool reply,
                       const std::shared_ptr<ConnectionCore>& sender_end,
                       const std::shared_ptr<ConnectionCore>& receiver_end, xpc_object_t message,
                       std::function<void(xpc_object_t)> deliver, uint64_t sequence) {
  runtime::Process& sender = sender_end->owner();
  runtime::Process& receiver = receiver_end->owner();
  runtime::World& world = sender.world();
  std::shared_ptr<ConnectionCore> peer;
  {
    std::lock_guard lock(mutex_);
    peer = peer_;
  }
  runtime::MessageInFlight in_flight{
      reply ? runtime::MessageDirection::kReply
            : (from_client ? runtime::MessageDirection::kRequest
                           : runtime::MessageDirection::kEvent),
      &sender, &receiver, peer != nullptr ? peer->name() : std::string(), message,
      peer != nullptr ? &peer->owner() : nullptr};
  std::optional<runtime::FaultAction> action;
  if (!world.faults().empty()) {
    action = world.faults().Evaluate(in_flight, [&world, &sender, &receiver](const std::string& text) {
      world.Record(runtime::TraceKind::kFault, sender, text, {nullptr, {}, {}, receiver.pid()});
    });
  }
  if (action) {
    switch (action->kind) {
      case runtime::FaultActionKind::kDrop:
        // Lost on the way: a request's reply handler keeps waiting.
        xpc_release(message);
        return true;
      case runtime::FaultActionKind::kCrashSender:
        xpc_release(message);
        sender.End(runtime::ProcessEnd::kCrash);
        return true;
      case runtime::FaultActionKind::kCrashReceiver:
        xpc_release(message);
        receiver.End(runtime::ProcessEnd::kCrash);
        return true;
      case runtime::FaultActionKind::kCancelSender:
        // Sent already; what follows on the sending end is unwound (S69).
        sender_end->Cancel();
        break;
      case runtime::FaultActionKind::kCancelReceiver:
        xpc_release(message);
        receiver_end->Cancel();
        return true;
      case runtime::FaultActionKind::kFailCodeSigning:
        if (sequence == 0) {  // a reply: its receiver is waiting for it
          xpc_release(message);
          receiver_end->Forbid(sender);
          return true;
        }
        // S115c: checked at delivery, where a peer not yet activated by its
        // listener is checked too (a first message included).
        receiver_end->ForbidFrom(sequence);
        break;
      case runtime::FaultActionKind::kMutate:
        // The message is this delivery's private copy: no one else sees it change.
        if (action->mutate) action->mutate(message);
        break;
      case runtime::FaultActionKind::kRefuse:  // connection rules only
      case runtime::FaultActionKind::kDelay:
      case runtime::FaultActionKind::kHold:
        break;
    }
  }
  InFlight item;
  item.message = message;
  item.deliver = std::move(deliver);
  item.ready_ns = NowNs(world);
  if (action && action->kind == runtime::FaultActionKind::kHold) item.held = true;
  if (action && action->kind == runtime::FaultActionKind::kDelay) {
    item.ready_ns += action->delay.count();
  }
  bool queued = false;
  {
    std::lock_guard lock(mutex_);
    if (!broken_) {
      QueueFor(from_client, reply).items.push_back(std::move(item));
      queued = true;
    }
  }
  if (!queued) {
    xpc_release(message);
    return true;
  }
  std::weak_ptr<Link> weak = weak_from_this();
  if (action && action->kind == runtime::FaultActionKind::kHold) {
    world.faults().OnReleaseHeld([weak, from_client, reply] {
      if (auto link = weak.lock()) link->ReleaseHeld(from_client, reply);
    });
  } else if (action && action->kind == runtime::FaultActionKind::kDelay) {
    dispatch::Executor& executor = world.environment().executor();
    dispatch::TimerId timer =
        executor.ScheduleTimer(receiver.domain(), dispatch::TimePoint{item.ready_ns},
                               [weak, from_client, reply] {
                                 if (auto link = weak.lock()) link->Flush(from_client, reply);
                               });
    bool broke_meanwhile;
    {
      std::lock_guard lock(mutex_);
      broke_meanwhile = broken_;
      if (!broke_meanwhile) delay_timers_.push_back(timer);
    }
    if (broke_meanwhile) executor.CancelTimer(timer);
  }
  Flush(from_client, reply);
  return true;
}

void Link::Flush(bool from_client, bool reply) {
  runtime::World* world = nullptr;
  {
    std::lock_guard lock(mutex_);
    Queue& queue = QueueFor(from_client, reply);
    if (queue.flushing || broken_) return;
    queue.flushing = true;
    world = &client_->owner().world();
  }
  while (true) {
    InFlight item;
    {
      std::lock_guard lock(mutex_);
      Queue& queue = QueueFor(from_client, reply);
      if (broken_ || queue.items.empty() || queue.items.front().held ||
          queue.items.front().ready_ns > NowNs(*world)) {
        queue.flushing = false;
        return;
      }
      item = std::move(queue.items.front());
      queue.items.pop_front();
    }
    item.deliver(item.message);
  }
}

void Link::ReleaseHeld(bool from_client, bool reply) {
  {
    std::lock_guard lock(mutex_);
    if (broken_) return;
    int64_t now = NowNs(client_->owner().world());
    for (InFlight& item : QueueFor(from_client, reply).items) {
      if (item.held) {
        item.held = false;
        item.ready_ns = now;
      }
    }
  }
  Flush(from_client, reply);
}

void Link::Break(const ConnectionCore* from, LinkBreak why) {
  std::shared_ptr<ConnectionCore> other;
  std::shared_ptr<ConnectionCore> ends[2];  // [0]: the client, [1]: the peer
  std::vector<InFlight> unsent[2];         // by sender, as ends
  std::vector<uint64_t> timers;
  {
    std::lock_guard lock(mutex_);
    if (broken_) return;
    broken_ = true;
    other = from == client_.get() ? peer_ : client_;
    // Both ends drop their link; clearing ours breaks the reference cycle.
    ends[0] = std::move(client_);
    ends[1] = std::move(peer_);
    client_.reset();
    peer_.reset();
    // Messages still in flight (delayed or held) are lost with the link.
    for (int sender = 0; sender < 2; ++sender) {
      for (Queue& queue : queues_[sender]) {
        for (InFlight& item : queue.items) unsent[sender].push_back(std::move(item));
        queue.items.clear();
      }
    }
    timers.swap(delay_timers_);
  }
  if (ends[0] != nullptr) {
    dispatch::Executor& executor = ends[0]->owner().world().environment().executor();
    for (uint64_t timer : timers) executor.CancelTimer(timer);
  }
  for (int sender = 0; sender < 2; ++sender) {
    for (InFlight& item : unsent[sender]) {
      if (ends[sender] != nullptr) {
        runtime::Process& owner = ends[sender]->owner();
        owner.world().Record(runtime::TraceKind::kNote, owner,
                             "lost in flight when the link broke: " +
                                 runtime::SummarizeMessage(item.message),
                             {nullptr, {}, {}, ends[1 - sender] ? ends[1 - sender]->owner().pid() : 0});
      }
      xpc_release(item.message);
    }
  }
  if (other != nullptr) other->OnLinkBroken(why);
}

bool Link::broken() const {
  std::lock_guard lock(mutex_);
  return broken_;
}

std::shared_ptr<ConnectionCore> Link::Other(const ConnectionCore* self) const {
  std::lock_guard lock(mutex_);
  if (broken_) return nullptr;
  return self == client_.get() ? peer_ : client_;
}

}  // namespace xpctest::fakes::xpc
