// dispatch/scheduler.h — the queue graph both executors share.
//
// The Scheduler owns, under one mutex, every piece of state that decides what
// may run: each queue's pending items, suspension and activation, how many
// items run in each queue's subtree, barriers, domain pause/kill, and the
// timers. Executors only decide *where* (which thread) and *when* (which
// clock) the item it picks runs.
//
// Exclusion rule: the head item of queue Q may start when no queue on Q's
// target chain is suspended or inactive, Q's domain is alive and not paused,
// and
//  - Q is serial: nothing runs in Q's subtree;
//  - Q is concurrent: no barrier runs on Q (for a barrier: nothing runs in Q's
//    subtree);
//  - every serial queue above Q runs nothing, and no concurrent queue above Q
//    runs a barrier.
// Starting an item counts it as running on every queue of the chain captured
// at start; Finish() uncounts the same chain.
//
// Choice among runnable heads: the oldest (smallest submission number) when
// the scheduler has no PRNG (threaded, or seed 0), else a uniform pick among
// runnable queues in queue-creation order by the seeded std::mt19937_64. An
// executor may offer more candidates to the same decision, numbered from the
// same sequence (the deterministic executor's ready contexts). The oldest
// runnable head is found by walking the pending heads in submission order
// (an index kept beside the queues) and stopping at the first that may run:
// with 100,000 queues pending, a decision no longer looks at all of them.
//
// dispatch_sync never needs a worker: a sync item that reaches the head of
// its queue and can run is granted to its waiting thread. With direct grants
// on (the threaded executor), the scheduler does that itself whenever queue
// state changes (an item is queued, starts, finishes or is withdrawn; a queue
// is resumed, activated or retargeted; a domain is resumed): the waiter is
// unparked holding its queue and runs its block on its own thread, as
// libdispatch's thread stealing does. Without (the deterministic executor),
// a runnable sync head is one of the candidates its policy picks from, and
// picking it switches to the waiter.
//
// Thread safety: everything here requires mu() unless named otherwise.
#ifndef XPCTEST_FAKES_DISPATCH_SCHEDULER_H
#define XPCTEST_FAKES_DISPATCH_SCHEDULER_H

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dispatch/closure.h"
#include "dispatch/executor.h"
#include "dispatch/parker.h"
#include "dispatch/time_internal.h"

namespace xpctest::fakes::dispatch {

class DomainState;
class Group;
class Queue;
struct SyncWaiter;

enum class ItemKind : uint8_t { kAsync, kBarrier, kSync, kBarrierSync };

inline bool IsBarrier(ItemKind kind) {
  return kind == ItemKind::kBarrier || kind == ItemKind::kBarrierSync;
}

// One submission waiting in a queue. Holds an internal reference on its queue
// (released in Executor::RunStarted or when discarded) and on its group.
struct Item {
  Closure work;
  uint64_t seq = 0;
  ItemKind kind = ItemKind::kAsync;
  SyncWaiter* waiter = nullptr;  // kSync/kBarrierSync: the thread to hand the queue to
  Group* group = nullptr;        // dispatch_group_async: left once run or discarded
};

// An item that has started: it occupies `chain` until Finish().
struct Started {
  Queue* queue = nullptr;
  std::vector<Queue*> chain;
  Item item;
};

// A thread blocked in dispatch_sync until the scheduler grants it the queue.
struct SyncWaiter {
  explicit SyncWaiter(Executor& executor) : parker(executor) {}
  Parker parker;
  std::optional<Started> grant;  // set under mu() before Unpark
  bool discarded = false;        // the queue's domain died first
};

struct Timer {
  TimerId id;
  TimePoint deadline;
  TimerKind kind;
  std::shared_ptr<DomainState> domain;
  Closure callback;
};

class Scheduler {
 public:
  explicit Scheduler(uint64_t seed);
  ~Scheduler();

  std::mutex& mu() { return mu_; }
  // Null once the executor has shut down. Readable without the lock.
  Executor* executor() const { return executor_.load(std::memory_order_acquire); }
  void set_executor(Executor* executor) { executor_.store(executor, std::memory_order_release); }
  uint64_t NextQueueIdLocked() { return next_queue_id_++; }

  // Enqueue
  //
  // Adds `item` to `queue`. Takes the lock. Discards the item (released after
  // the lock is dropped) when the queue's domain is killed or the scheduler
  // has shut down; a discarded sync item wakes its waiter with `discarded`.
  void Enqueue(Queue& queue, Item item);

  // One decision of the policy: starts a runnable head (`accept` may veto a
  // queue: threads bound to the main queue; may be empty) or picks one of
  // `ready`, the sequence numbers of the executor's own candidates (index
  // into it in `ready_index`). Nothing chosen: neither is set.
  using Accept = std::function<bool(const Queue&, const Item&)>;
  static constexpr size_t kNoReady = SIZE_MAX;
  struct Choice {
    std::optional<Started> started;
    size_t ready_index = kNoReady;
  };
  Choice ChooseLocked(const Accept& accept, const std::vector<uint64_t>& ready);
  std::optional<Started> StartNextLocked(const Accept& accept) {
    return ChooseLocked(accept, {}).started;
  }
  // A fresh number from the sequence items are numbered by.
  uint64_t NextSeqLocked() { return next_seq_++; }
  // Direct sync grants (see the header comment); off by default.
  void set_grants_syncs_directly(bool on) { grants_syncs_directly_ = on; }
  // Queue state changed in a way that may let work run: grants runnable sync
  // heads (when direct) and tells the executor.
  void WorkChangedLocked();
  // dispatch_sync's fast path: starts a sync on an idle queue at once.
  std::optional<Started> TryStartSyncLocked(Queue& queue, ItemKind kind);
  // Takes back a sync item that was never granted (its wait gave up); returns
  // whether it was still queued. The item's queue reference is the caller's.
  bool WithdrawSyncLocked(Queue& queue, const SyncWaiter& waiter);
  // Ends an item: uncounts its chain and wakes the executor. Takes the lock.
  void Finish(Started& started);

  // Whether any item could start now (no veto).
  bool AnyRunnableLocked() const;
  // No pending item, nothing running, no one-shot timer.
  bool IdleLocked() const;
  int running_locked() const { return running_; }
  uint64_t decisions_locked() const { return decisions_; }

  // Queue state changes that may make work runnable.
  void Suspend(Queue& queue);
  // Returns false (nothing changed) when the queue was not suspended.
  bool Resume(Queue& queue);
  void Activate(Queue& queue);
  // Returns the previous target.
  Queue* SetTarget(Queue& queue, Queue* target);

  // Domains.
  void Register(DomainState& domain);
  void Unregister(DomainState& domain);
  void Kill(DomainState& domain);
  void SetPaused(DomainState& domain, bool paused);

  // Timers.
  TimerId AddTimer(std::shared_ptr<DomainState> domain, TimePoint deadline, Closure callback,
                   TimerKind kind);
  bool CancelTimer(TimerId id);
  // The earliest deadline, optionally ignoring repeating timers.
  std::optional<TimePoint> NextDeadlineLocked(bool include_repeating) const;
  // Removes and returns the timers due at `now`, earliest first.
  // Each batch must be followed by TimersFired() once its callbacks have run.
  std::vector<Timer> TakeDueTimersLocked(TimePoint now);
  void TimersFired();
  bool HasOneShotTimersLocked() const { return one_shot_timers_ > 0; }

  // Kills every domain and discards all later submissions. Takes the lock.
  void Shutdown();
  bool shut_down_locked() const { return shut_down_; }

  // Lines describing queues that hold work but cannot run, for deadlock reports.
  std::string DescribeBlockedLocked() const;

  // Notified (and the generation bumped) whenever an item finishes, timers
  // fire, or domains change: for threads waiting for "something happened".
  std::condition_variable_any& progress_cv() { return progress_cv_; }
  uint64_t progress_generation_locked() const { return progress_generation_; }

 private:
  struct Discarded {
    Queue* queue;
    Item item;
  };
  bool RunnableLocked(const Queue& queue, const Item& head) const;
  void StartLocked(Queue& queue, Item item, Started& started);
  // Files `queue`'s head (it has one) in pending_, heads_ and sync_heads_.
  void AddHeadLocked(Queue& queue);
  // Removes `queue`'s head, keeping pending_, heads_ and sync_heads_ true.
  Item PopHeadLocked(Queue& queue);
  // Seed 0: the oldest head that may run, if older than `limit`.
  Queue* OldestRunnableLocked(const Accept& accept, uint64_t limit) const;
  // Grants every runnable sync head to its waiter, oldest first.
  void GrantSyncsLocked();
  void NotifyProgressLocked();
  // Moves out every item of `domain` (or of all domains when null).
  void CollectDiscardsLocked(DomainState* domain, std::vector<Discarded>& items,
                             std::vector<Timer>& timers);
  void CollectQueueLocked(Queue& queue, std::vector<Discarded>& out);
  static void ReleaseDiscarded(std::vector<Discarded>& items, std::vector<Timer>& timers);

  std::mutex mu_;
  std::atomic<Executor*> executor_{nullptr};
  std::optional<std::mt19937_64> rng_;
  // Queues with pending items, by queue id: a deterministic iteration order.
  std::map<uint64_t, Queue*> pending_;
  // The same queues by their head's submission number: the FIFO order.
  std::set<std::pair<uint64_t, Queue*>> heads_;
  // The queues of pending_ whose head is a dispatch_sync, by queue id.
  std::map<uint64_t, Queue*> sync_heads_;
  bool grants_syncs_directly_ = false;
  std::vector<DomainState*> domains_;
  std::map<std::pair<TimePoint, TimerId>, Timer> timers_;
  std::map<TimerId, TimePoint> timer_deadlines_;
  int one_shot_timers_ = 0;
  TimerId next_timer_id_ = 1;
  uint64_t next_seq_ = 1;
  uint64_t next_queue_id_ = 1;
  uint64_t decisions_ = 0;
  int running_ = 0;
  int firing_timers_ = 0;
  uint64_t progress_generation_ = 0;
  bool shut_down_ = false;
  std::condition_variable_any progress_cv_;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_SCHEDULER_H
