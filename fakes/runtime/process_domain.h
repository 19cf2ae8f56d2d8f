// runtime/process_domain.h — the dispatch domain of a simulated process, and
// which simulated process the calling thread runs as.
//
// Every process the world spawns owns a ProcessDomain; the host process owns
// the environment's plain dispatch::Domain. Code that only knows the current
// dispatch domain (the libc interposers of fakes/os, called on every getpid()
// and clock_gettime() of the program) finds the simulated process behind it
// without a lock:
//
//   if (Process* process = SimulatedProcessOnThisThread()) {
//     return process->pid();   // code of a simulated process
//   }
//   return real::Getpid();     // the host, or no process at all
//
// "Runs as" means: a work item or timer of the process is running on this
// thread, its main runs on this thread's fiber, or a ScopedProcess for it is
// in effect (docs/processes-and-the-os.md).
//
// Thread safety: SimulatedProcessOnThisThread may be called from any thread,
// at any time (also before main and after a world ended).
#ifndef XPCTEST_FAKES_RUNTIME_PROCESS_DOMAIN_H
#define XPCTEST_FAKES_RUNTIME_PROCESS_DOMAIN_H

#include <atomic>
#include <string>

#include "dispatch/domain.h"

namespace xpctest::fakes::runtime {

class Process;

class ProcessDomain final : public dispatch::Domain {
 public:
  ProcessDomain(std::string label, dispatch::Executor& executor)
      : Domain(std::move(label), executor) {}

  // Null until the process is made, right after its domain.
  Process* process() const { return process_.load(std::memory_order_acquire); }
  void set_process(Process* process) { process_.store(process, std::memory_order_release); }

 private:
  std::atomic<Process*> process_{nullptr};
};

// The simulated process whose code runs on this thread, or null: the host
// process, or no process at all (a thread the runtime does not know).
Process* SimulatedProcessOnThisThread();

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_PROCESS_DOMAIN_H
