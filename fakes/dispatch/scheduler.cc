#include "dispatch/scheduler.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/group_internal.h"
#include "dispatch/queue_internal.h"

namespace xpctest::fakes::dispatch {

Scheduler::Scheduler(uint64_t seed) {
  if (seed != 0) rng_.emplace(seed);
}

Scheduler::~Scheduler() = default;

void Scheduler::NotifyProgressLocked() {
  ++progress_generation_;
  progress_cv_.notify_all();
}

void Scheduler::Enqueue(Queue& queue, Item item) {
  std::vector<Discarded> discarded;
  std::vector<Timer> no_timers;
  {
    std::lock_guard lock(mu_);
    if (shut_down_ || queue.domain().killed()) {
      if (item.waiter != nullptr) item.waiter->discarded = true;
      discarded.push_back({&queue, std::move(item)});
    } else {
      item.seq = next_seq_++;
      queue.items_.push_back(std::move(item));
      if (queue.items_.size() == 1) AddHeadLocked(queue);
      WorkChangedLocked();
    }
  }
  ReleaseDiscarded(discarded, no_timers);
}

bool Scheduler::RunnableLocked(const Queue& queue, const Item& head) const {
  for (const Queue* q = &queue; q != nullptr; q = q->target_) {
    if (q->suspend_count_ > 0 || q->inactive_) return false;
    if (q->domain().paused() || q->domain().killed()) return false;
  }
  if (queue.serial()) {
    if (queue.running_ > 0) return false;
  } else if (IsBarrier(head.kind) && queue.role() == QueueRole::kCustom) {
    if (queue.running_ > 0) return false;
  } else if (queue.barrier_running_) {
    return false;
  }
  for (const Queue* q = queue.target_; q != nullptr; q = q->target_) {
    if (q->serial() ? q->running_ > 0 : q->barrier_running_) return false;
  }
  return true;
}

void Scheduler::StartLocked(Queue& queue, Item item, Started& started) {
  started.queue = &queue;
  started.item = std::move(item);
  for (Queue* q = &queue; q != nullptr; q = q->target_) {
    started.chain.push_back(q);
    ++q->running_;
    // Ancestors may be retargeted away while this runs; released in Finish().
    if (q != &queue) q->Retain();
  }
  if (IsBarrier(started.item.kind) && !queue.serial() && queue.role() == QueueRole::kCustom) {
    queue.barrier_running_ = true;
  }
  ++running_;
  ++decisions_;
}

void Scheduler::AddHeadLocked(Queue& queue) {
  const Item& head = queue.items_.front();
  pending_[queue.id()] = &queue;
  heads_.emplace(head.seq, &queue);
  if (head.waiter != nullptr) sync_heads_[queue.id()] = &queue;
}

Item Scheduler::PopHeadLocked(Queue& queue) {
  Item item = std::move(queue.items_.front());
  queue.items_.pop_front();
  heads_.erase({item.seq, &queue});
  if (item.waiter != nullptr) sync_heads_.erase(queue.id());
  if (queue.items_.empty()) {
    pending_.erase(queue.id());
  } else {
    AddHeadLocked(queue);
  }
  return item;
}

Queue* Scheduler::OldestRunnableLocked(const Accept& accept, uint64_t limit) const {
  for (const auto& [seq, queue] : heads_) {
    if (seq >= limit) return nullptr;
    const Item& head = queue->items_.front();
    if (!RunnableLocked(*queue, head)) continue;
    if (accept && !accept(*queue, head)) continue;
    return queue;
  }
  return nullptr;
}

Scheduler::Choice Scheduler::ChooseLocked(const Accept& accept, const std::vector<uint64_t>& ready) {
  Choice choice;
  Queue* chosen = nullptr;
  if (!rng_) {
    // The oldest of everything: the oldest ready context, unless a runnable
    // head is older still.
    uint64_t oldest = UINT64_MAX;
    for (size_t i = 0; i < ready.size(); ++i) {
      if (ready[i] < oldest) {
        oldest = ready[i];
        choice.ready_index = i;
      }
    }
    chosen = OldestRunnableLocked(accept, oldest);
    if (chosen != nullptr) choice.ready_index = kNoReady;
  } else {
    std::vector<Queue*> runnable;
    for (auto& [id, queue] : pending_) {
      const Item& head = queue->items_.front();
      if (!RunnableLocked(*queue, head)) continue;
      if (accept && !accept(*queue, head)) continue;
      runnable.push_back(queue);
    }
    size_t candidates = runnable.size() + ready.size();
    if (candidates > 0) {
      size_t pick = (*rng_)() % candidates;
      if (pick < runnable.size()) {
        chosen = runnable[pick];
      } else {
        choice.ready_index = pick - runnable.size();
      }
    }
  }
  if (chosen == nullptr) return choice;
  Item item = PopHeadLocked(*chosen);
  choice.started.emplace();
  StartLocked(*chosen, std::move(item), *choice.started);
  // The queue's next item may be a sync that can run beside this one.
  if (grants_syncs_directly_) GrantSyncsLocked();
  return choice;
}

void Scheduler::GrantSyncsLocked() {
  Executor* executor = this->executor();
  if (executor == nullptr) return;
  for (;;) {
    Queue* oldest = nullptr;
    for (auto& [id, queue] : sync_heads_) {
      const Item& head = queue->items_.front();
      if (oldest != nullptr && head.seq >= oldest->items_.front().seq) continue;
      if (RunnableLocked(*queue, head)) oldest = queue;
    }
    if (oldest == nullptr) return;
    Item item = PopHeadLocked(*oldest);
    SyncWaiter* waiter = item.waiter;
    waiter->grant.emplace();
    StartLocked(*oldest, std::move(item), *waiter->grant);
    executor->UnparkLocked(waiter->parker);  // it runs its block and calls Finish()
  }
}

void Scheduler::WorkChangedLocked() {
  if (grants_syncs_directly_) GrantSyncsLocked();
  if (Executor* executor = this->executor()) executor->OnWorkLocked();
}

std::optional<Started> Scheduler::TryStartSyncLocked(Queue& queue, ItemKind kind) {
  if (shut_down_ || !queue.items_.empty()) return std::nullopt;
  Item probe;
  probe.kind = kind;
  if (!RunnableLocked(queue, probe)) return std::nullopt;
  Started started;
  StartLocked(queue, std::move(probe), started);
  return started;
}

bool Scheduler::WithdrawSyncLocked(Queue& queue, const SyncWaiter& waiter) {
  auto it = std::find_if(queue.items_.begin(), queue.items_.end(),
                         [&](const Item& item) { return item.waiter == &waiter; });
  if (it == queue.items_.end()) return false;
  if (it == queue.items_.begin()) {
    PopHeadLocked(queue);
  } else {
    queue.items_.erase(it);
  }
  WorkChangedLocked();
  return true;
}

void Scheduler::Finish(Started& started) {
  {
    std::lock_guard lock(mu_);
    for (Queue* q : started.chain) --q->running_;
    if (IsBarrier(started.item.kind)) started.queue->barrier_running_ = false;
    --running_;
    NotifyProgressLocked();
    WorkChangedLocked();
  }
  for (Queue* q : started.chain) {
    if (q != started.queue) q->Release();
  }
  started.chain.clear();
}

bool Scheduler::AnyRunnableLocked() const {
  return OldestRunnableLocked(nullptr, UINT64_MAX) != nullptr;
}

bool Scheduler::IdleLocked() const {
  if (running_ > 0 || one_shot_timers_ > 0 || firing_timers_ > 0) return false;
  return !AnyRunnableLocked();
}

void Scheduler::Suspend(Queue& queue) {
  std::lock_guard lock(mu_);
  ++queue.suspend_count_;
}

bool Scheduler::Resume(Queue& queue) {
  std::lock_guard lock(mu_);
  if (queue.suspend_count_ > 0) {
    --queue.suspend_count_;
  } else if (queue.inactive_) {
    queue.inactive_ = false;  // resuming an inactive object activates it
  } else {
    return false;
  }
  WorkChangedLocked();
  NotifyProgressLocked();
  return true;
}

void Scheduler::Activate(Queue& queue) {
  std::lock_guard lock(mu_);
  if (!queue.inactive_) return;
  queue.inactive_ = false;
  WorkChangedLocked();
  NotifyProgressLocked();
}

Queue* Scheduler::SetTarget(Queue& queue, Queue* target) {
  std::lock_guard lock(mu_);
  Queue* previous = queue.target_;
  queue.target_ = target;
  WorkChangedLocked();
  return previous;
}

void Scheduler::Register(DomainState& domain) {
  std::lock_guard lock(mu_);
  domains_.push_back(&domain);
  if (shut_down_) domain.set_killed_locked();
}

void Scheduler::Unregister(DomainState& domain) {
  std::lock_guard lock(mu_);
  std::erase(domains_, &domain);
  domain.DetachOwnerLocked();
}

void Scheduler::CollectQueueLocked(Queue& queue, std::vector<Discarded>& out) {
  if (!queue.items_.empty()) heads_.erase({queue.items_.front().seq, &queue});
  for (Item& item : queue.items_) {
    // Set under the lock so the waiter sees it once unparked.
    if (item.waiter != nullptr) item.waiter->discarded = true;
    out.push_back({&queue, std::move(item)});
  }
  queue.items_.clear();
  sync_heads_.erase(queue.id());
}

void Scheduler::CollectDiscardsLocked(DomainState* domain, std::vector<Discarded>& items,
                                      std::vector<Timer>& timers) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    Queue& queue = *it->second;
    if (domain == nullptr || &queue.domain() == domain) {
      CollectQueueLocked(queue, items);
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (domain == nullptr || it->second.domain.get() == domain) {
      if (it->second.kind == TimerKind::kOneShot) --one_shot_timers_;
      timer_deadlines_.erase(it->second.id);
      timers.push_back(std::move(it->second));
      it = timers_.erase(it);
    } else {
      ++it;
    }
  }
}

void Scheduler::ReleaseDiscarded(std::vector<Discarded>& items, std::vector<Timer>& timers) {
  // Outside the lock: releasing blocks and queues may run client destructors.
  // Discarded work belongs to a process that ended: abandon the client's part.
  ScopedAbandon abandon;
  for (Discarded& discarded : items) {
    Item& item = discarded.item;
    item.work.Reset();
    if (item.waiter != nullptr) {
      // The waiter owns the item's queue reference (it withdraws or consumes it).
      item.waiter->parker.Unpark();
      continue;
    }
    if (item.group != nullptr) LeaveGroupForItem(item.group);
    discarded.queue->Release();
  }
  items.clear();
  timers.clear();
}

void Scheduler::Kill(DomainState& domain) {
  std::vector<Discarded> items;
  std::vector<Timer> timers;
  {
    std::lock_guard lock(mu_);
    domain.set_killed_locked();
    CollectDiscardsLocked(&domain, items, timers);
    NotifyProgressLocked();
    WorkChangedLocked();
    if (Executor* executor = this->executor()) executor->OnTimersChangedLocked();
  }
  ReleaseDiscarded(items, timers);
}

void Scheduler::SetPaused(DomainState& domain, bool paused) {
  std::lock_guard lock(mu_);
  domain.set_paused_locked(paused);
  NotifyProgressLocked();
  WorkChangedLocked();
}

TimerId Scheduler::AddTimer(std::shared_ptr<DomainState> domain, TimePoint deadline,
                            Closure callback, TimerKind kind) {
  std::vector<Discarded> no_items;
  std::vector<Timer> discarded;
  TimerId id;
  {
    std::lock_guard lock(mu_);
    id = next_timer_id_++;
    Timer timer{id, deadline, kind, std::move(domain), std::move(callback)};
    if (shut_down_ || timer.domain->killed()) {
      discarded.push_back(std::move(timer));
    } else {
      if (kind == TimerKind::kOneShot) ++one_shot_timers_;
      timer_deadlines_[id] = deadline;
      timers_.emplace(std::make_pair(deadline, id), std::move(timer));
      if (Executor* executor = this->executor()) executor->OnTimersChangedLocked();
    }
  }
  ReleaseDiscarded(no_items, discarded);
  return id;
}

bool Scheduler::CancelTimer(TimerId id) {
  std::optional<Timer> cancelled;
  {
    std::lock_guard lock(mu_);
    auto deadline = timer_deadlines_.find(id);
    if (deadline == timer_deadlines_.end()) return false;
    auto it = timers_.find({deadline->second, id});
    timer_deadlines_.erase(deadline);
    if (it->second.kind == TimerKind::kOneShot) --one_shot_timers_;
    cancelled.emplace(std::move(it->second));
    timers_.erase(it);
    NotifyProgressLocked();
    if (Executor* executor = this->executor()) executor->OnTimersChangedLocked();
  }
  return true;  // `cancelled` is destroyed outside the lock
}

std::optional<TimePoint> Scheduler::NextDeadlineLocked(bool include_repeating) const {
  for (const auto& [key, timer] : timers_) {
    if (include_repeating || timer.kind == TimerKind::kOneShot) return timer.deadline;
  }
  return std::nullopt;
}

std::vector<Timer> Scheduler::TakeDueTimersLocked(TimePoint now) {
  std::vector<Timer> due;
  while (!timers_.empty() && timers_.begin()->first.first <= now) {
    auto it = timers_.begin();
    if (it->second.kind == TimerKind::kOneShot) --one_shot_timers_;
    timer_deadlines_.erase(it->second.id);
    due.push_back(std::move(it->second));
    timers_.erase(it);
  }
  if (!due.empty()) ++firing_timers_;
  return due;
}

void Scheduler::TimersFired() {
  std::lock_guard lock(mu_);
  --firing_timers_;
  NotifyProgressLocked();
}

void Scheduler::Shutdown() {
  std::vector<Discarded> items;
  std::vector<Timer> timers;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    for (DomainState* domain : domains_) domain->set_killed_locked();
    CollectDiscardsLocked(nullptr, items, timers);
    NotifyProgressLocked();
  }
  ReleaseDiscarded(items, timers);
}

std::string Scheduler::DescribeBlockedLocked() const {
  std::string out;
  for (const auto& [id, queue] : pending_) {
    std::string why;
    for (const Queue* q = queue; q != nullptr && why.empty(); q = q->target_) {
      std::string name = q == queue ? "itself" : fmt::format("its target \"{}\"", q->label());
      if (q->inactive_) why = fmt::format("{} is inactive", name);
      else if (q->suspend_count_ > 0) why = fmt::format("{} is suspended", name);
      else if (q->domain().paused()) why = fmt::format("domain \"{}\" is paused", q->domain().label());
      else if (q->running_ > 0 && (q->serial() || q == queue)) {
        why = fmt::format("{} is busy (held by a running or blocked item)", name);
      }
    }
    if (why.empty()) why = "waits for its turn";
    out += fmt::format("\n  queue \"{}\" (domain \"{}\"): {} item(s) pending; {}", queue->label(),
                       queue->domain().label(), queue->items_.size(), why);
  }
  return out;
}

}  // namespace xpctest::fakes::dispatch
