#include "dispatch/executor.h"

#include <mutex>
#include <optional>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/group_internal.h"
#include "dispatch/queue_internal.h"
#include "dispatch/scheduler.h"
#include "dispatch/thread_frame.h"

namespace xpctest::fakes::dispatch {
namespace {

// The trace hook is read on every item; swapping it is rare.
std::mutex g_trace_mu;

}  // namespace

Executor::Executor(uint64_t seed, TimePoint start_time)
    : scheduler_(std::make_shared<Scheduler>(seed)), seed_(seed), start_time_(start_time) {
  scheduler_->set_executor(this);
}

Executor::~Executor() = default;

TimerId Executor::ScheduleTimer(Domain& domain, TimePoint deadline, std::function<void()> callback,
                                TimerKind kind) {
  return scheduler_->AddTimer(domain.shared_state(), deadline, Closure(std::move(callback)), kind);
}

bool Executor::CancelTimer(TimerId id) { return scheduler_->CancelTimer(id); }

void Executor::SetTraceHook(TraceHook hook) {
  auto shared = hook ? std::make_shared<TraceHook>(std::move(hook)) : nullptr;
  std::lock_guard lock(g_trace_mu);
  trace_hook_ = std::move(shared);
}

std::shared_ptr<TraceHook> Executor::trace_hook() const {
  std::lock_guard lock(g_trace_mu);
  return trace_hook_;
}

// Runs as the owner of `domain` when it still has one.
class DomainScope {
 public:
  explicit DomainScope(DomainState& domain) {
    if (Domain* owner = domain.owner()) scope_.emplace(*owner);
  }

 private:
  std::optional<ScopedCurrentDomain> scope_;
};

void Executor::RunStarted(Started& started) {
  XPCTEST_ASSERT(started.item.waiter == nullptr, "a dispatch_sync grant was run as an item");
  Queue* queue = started.queue;
  if (auto hook = trace_hook()) {
    (*hook)(TraceEvent{queue->label(), queue->id(), queue->domain().label(), Now(),
                       started.item.seq, IsBarrier(started.item.kind)});
  }
  {
    ThreadFrame frame(queue, started.chain, ThreadFrame::Kind::kItem, IsBarrier(started.item.kind));
    DomainScope as_domain(queue->domain());
    ClientCallout(started.item.work);
  }
  started.item.work.Reset();
  Group* group = started.item.group;
  scheduler_->Finish(started);
  if (group != nullptr) LeaveGroupForItem(group);
  queue->Release();  // the item's reference, taken in Queue::Async
}

void Executor::FireTimer(DomainState& domain, Closure& callback) {
  DomainScope as_domain(domain);
  ClientCallout(callback);
  callback.Reset();
}

}  // namespace xpctest::fakes::dispatch
