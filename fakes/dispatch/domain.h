// dispatch/domain.h — domains: the simulated processes that own queues.
//
// Every queue, source, semaphore and group belongs to the domain that was
// current when it was created. Each domain has its own main queue and its own
// global queues: dispatch_get_main_queue() and dispatch_get_global_queue()
// return the current domain's. Work items run with CurrentDomain() set to
// their queue's domain; dispatch_sync runs its block as the target queue's
// domain, and timers fire as the domain that set them.
//
// The runtime above subclasses Domain (a simulated process) or wraps it:
//
//   class Process : public Domain {
//    public:
//     Process(std::string name, Executor& executor) : Domain(std::move(name), executor) {}
//   };
//   Process service("com.example.svc", executor);
//   {
//     ScopedCurrentDomain as_service(service);
//     queue = dispatch_queue_create("svc.queue", DISPATCH_QUEUE_SERIAL);  // service's
//   }
//   service.Pause();   // a hang: its work waits
//   service.Kill();    // a crash: its pending work and timers are discarded
//
// Kill(): pending work items and timers of the domain are released without
// running; work running at that moment finishes; later submissions to its
// queues are discarded (blocks released, groups left, dispatch_sync returns
// without running). Pause()/Resume(): the domain's queues keep their work but
// none of it starts until resumed.
//
// Threading: all methods may be called from any thread. A Domain must outlive
// its use as CurrentDomain(); destroying it kills it first. Queues may outlive
// their Domain object (they then discard work).
#ifndef XPCTEST_FAKES_DISPATCH_DOMAIN_H
#define XPCTEST_FAKES_DISPATCH_DOMAIN_H

#include <dispatch/dispatch.h>

#include <memory>
#include <string>

namespace xpctest::fakes::dispatch {

class DomainState;
class Executor;

class Domain {
 public:
  Domain(std::string label, Executor& executor);
  virtual ~Domain();
  Domain(const Domain&) = delete;
  Domain& operator=(const Domain&) = delete;

  const std::string& label() const;
  Executor& executor() const { return *executor_; }

  // See the header comment.
  void Kill();
  void Pause();
  void Resume();
  bool killed() const;
  bool paused() const;

  // This domain's main queue and global queues (immortal; no reference needed).
  dispatch_queue_t main_queue() const;
  // `identifier`: a QoS class or DISPATCH_QUEUE_PRIORITY_*; nullptr if unknown.
  dispatch_queue_t global_queue(intptr_t identifier = 0) const;

  // For the fakes' own layers.
  DomainState& state() const { return *state_; }
  const std::shared_ptr<DomainState>& shared_state() const { return state_; }

 private:
  Executor* executor_;
  std::shared_ptr<DomainState> state_;
};

// CurrentDomain
//
// The domain of the work item running on this thread, or the one set by
// ScopedCurrentDomain, or else the current environment's host domain.
Domain& CurrentDomain();

// CurrentDomainIfSet
//
// The domain set on this thread by a running work item, a timer or a
// ScopedCurrentDomain; null otherwise. Unlike CurrentDomain() it never falls
// back to the environment (so it never creates the default one) and takes no
// lock: the runtime's libc interposers call it on every getpid() and
// clock_gettime() of the program.
Domain* CurrentDomainIfSet();

// Runs the code in its scope "as" `domain` (on this thread). Nests.
class ScopedCurrentDomain {
 public:
  explicit ScopedCurrentDomain(Domain& domain);
  ~ScopedCurrentDomain();
  ScopedCurrentDomain(const ScopedCurrentDomain&) = delete;
  ScopedCurrentDomain& operator=(const ScopedCurrentDomain&) = delete;

 private:
  Domain* previous_;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_DOMAIN_H
