// dispatch_once: the first caller runs the block; the others wait for it.
#include <dispatch/once.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "base/report.h"
#include "dispatch/closure.h"
#include "dispatch/environment.h"
#include "dispatch/fiber.h"
#include "dispatch/once_internal.h"
#include "dispatch/parker.h"

namespace xpctest::fakes::dispatch {
namespace {

constexpr intptr_t kDone = ~intptr_t{0};
constexpr intptr_t kRunning = 1;

// A predicate whose block is running: who runs it, and who waits for it.
struct Running {
  const Fiber* runner = nullptr;
  std::vector<Parker*> waiters;
};

std::mutex g_once_mu;
// Never destroyed: a dispatch_once may run during static destruction.
std::map<dispatch_once_t*, Running>& RunningOnces() {
  static auto* running = new std::map<dispatch_once_t*, Running>();
  return *running;
}

}  // namespace

void RunOnce(dispatch_once_t* predicate, const Closure& work, std::string_view call) {
  if (__atomic_load_n(predicate, __ATOMIC_ACQUIRE) == kDone) return;
  const Fiber* self = &Fiber::Current();
  {
    std::unique_lock lock(g_once_mu);
    auto it = RunningOnces().find(predicate);
    if (it != RunningOnces().end() && it->second.runner == self) {
      lock.unlock();
      ReportDeadlock(call, std::string(call) + " called recursively on the predicate whose block is running",
                     "the predicate's block is running below this call on the same thread");
      return;
    }
  }
  intptr_t expected = 0;
  if (__atomic_compare_exchange_n(predicate, &expected, kRunning, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE)) {
    {
      std::lock_guard lock(g_once_mu);
      RunningOnces()[predicate].runner = self;
    }
    ClientCallout(work);
    std::lock_guard lock(g_once_mu);
    __atomic_store_n(predicate, kDone, __ATOMIC_RELEASE);
    // Under the lock: a waiter that gave up (a reported deadlock) removes
    // itself under it before its Parker goes.
    for (Parker* waiter : RunningOnces()[predicate].waiters) waiter->Unpark();
    RunningOnces().erase(predicate);
    return;
  }
  // The block runs elsewhere: another thread, or (deterministic executor)
  // another work item whose block waits. Wait as any dispatch wait does.
  Parker parker(CurrentExecutor());
  {
    std::lock_guard lock(g_once_mu);
    if (__atomic_load_n(predicate, __ATOMIC_ACQUIRE) == kDone) return;
    RunningOnces()[predicate].waiters.push_back(&parker);
  }
  parker.Park(kForever, call, "the block of a dispatch_once running elsewhere to return");
  std::lock_guard lock(g_once_mu);
  if (parker.unparked()) return;
  auto it = RunningOnces().find(predicate);
  if (it != RunningOnces().end()) std::erase(it->second.waiters, &parker);
}

}  // namespace xpctest::fakes::dispatch
