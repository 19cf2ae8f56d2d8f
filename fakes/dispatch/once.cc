// dispatch_once: the first caller runs the block; the others wait for it.
#include <dispatch/once.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "base/report.h"
#include "dispatch/closure.h"
#include "dispatch/once_internal.h"

namespace xpctest::fakes::dispatch {
namespace {

constexpr intptr_t kDone = ~intptr_t{0};
constexpr intptr_t kRunning = 1;

std::mutex g_once_mu;
std::condition_variable g_once_cv;
// The predicates whose blocks this thread is running, to catch recursion.
thread_local std::vector<dispatch_once_t*> t_running;

}  // namespace

void RunOnce(dispatch_once_t* predicate, const Closure& work, std::string_view call) {
  if (__atomic_load_n(predicate, __ATOMIC_ACQUIRE) == kDone) return;
  if (std::find(t_running.begin(), t_running.end(), predicate) != t_running.end()) {
    ReportDeadlock(call, std::string(call) + " called recursively on the predicate whose block is running",
                   "the predicate's block is running below this call on the same thread");
    return;
  }
  intptr_t expected = 0;
  if (__atomic_compare_exchange_n(predicate, &expected, kRunning, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE)) {
    t_running.push_back(predicate);
    ClientCallout(work);
    t_running.pop_back();
    std::lock_guard lock(g_once_mu);
    __atomic_store_n(predicate, kDone, __ATOMIC_RELEASE);
    g_once_cv.notify_all();
    return;
  }
  std::unique_lock lock(g_once_mu);
  g_once_cv.wait(lock, [&] { return __atomic_load_n(predicate, __ATOMIC_ACQUIRE) == kDone; });
}

}  // namespace xpctest::fakes::dispatch
