// dispatch/domain_internal.h — the state of a domain that queues point at.
//
// A DomainState outlives its Domain object for as long as queues of the
// domain live; it owns the domain's root queues (main and globals) and knows
// whether the domain is killed or paused.
//
// Thread safety: `killed`/`paused` and the owner pointer are guarded by the
// scheduler's mutex; the atomic mirrors allow cheap unlocked checks.
#ifndef XPCTEST_FAKES_DISPATCH_DOMAIN_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_DOMAIN_INTERNAL_H

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "dispatch/domain.h"

namespace xpctest::fakes::dispatch {

class Queue;
class Scheduler;

class DomainState {
 public:
  DomainState(std::string label, std::shared_ptr<Scheduler> scheduler, Domain* owner);
  ~DomainState();
  DomainState(const DomainState&) = delete;
  DomainState& operator=(const DomainState&) = delete;

  const std::string& label() const { return label_; }
  Scheduler& scheduler() const { return *scheduler_; }
  // The Domain object; null once it is destroyed.
  Domain* owner() const { return owner_.load(std::memory_order_acquire); }
  void DetachOwnerLocked() { owner_.store(nullptr, std::memory_order_release); }

  bool killed() const { return killed_.load(std::memory_order_acquire); }
  bool paused() const { return paused_.load(std::memory_order_acquire); }
  void set_killed_locked() { killed_.store(true, std::memory_order_release); }
  void set_paused_locked(bool paused) { paused_.store(paused, std::memory_order_release); }

  Queue& main_queue() const { return *main_queue_; }
  // The global queue for a QoS class or priority; nullptr when unknown.
  Queue* global_queue(intptr_t identifier) const;
  Queue& default_queue() const { return *global_queue(0); }

 private:
  std::string label_;
  std::shared_ptr<Scheduler> scheduler_;
  std::atomic<Domain*> owner_;
  std::atomic<bool> killed_{false};
  std::atomic<bool> paused_{false};
  Queue* main_queue_ = nullptr;
  std::map<int, Queue*> global_queues_;  // by QoS class
};

// Installs `domain` (or none) as this thread's and returns what it
// replaced: for fibers (fiber.h), each of which has its own current domain,
// and for real_os::ScopedRealOs, which runs code as no domain at all.
Domain* ExchangeCurrentDomain(Domain* domain);

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_DOMAIN_INTERNAL_H
