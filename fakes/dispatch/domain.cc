#include "dispatch/domain.h"

#include <utility>

#include "dispatch/domain_internal.h"
#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "dispatch/queue_internal.h"
#include "dispatch/scheduler.h"

namespace xpctest::fakes::dispatch {
namespace {

thread_local Domain* t_current_domain = nullptr;

struct GlobalQueueSpec {
  dispatch_qos_class_t qos;
  const char* label;
};
constexpr GlobalQueueSpec kGlobalQueues[] = {
    {QOS_CLASS_USER_INTERACTIVE, "com.apple.root.user-interactive-qos"},
    {QOS_CLASS_USER_INITIATED, "com.apple.root.user-initiated-qos"},
    {QOS_CLASS_DEFAULT, "com.apple.root.default-qos"},
    {QOS_CLASS_UTILITY, "com.apple.root.utility-qos"},
    {QOS_CLASS_BACKGROUND, "com.apple.root.background-qos"},
};

// DISPATCH_QUEUE_PRIORITY_* and QoS classes name the same five queues.
int QosForIdentifier(intptr_t identifier) {
  switch (identifier) {
    case DISPATCH_QUEUE_PRIORITY_HIGH: return QOS_CLASS_USER_INITIATED;
    case DISPATCH_QUEUE_PRIORITY_DEFAULT: return QOS_CLASS_DEFAULT;
    case DISPATCH_QUEUE_PRIORITY_LOW: return QOS_CLASS_UTILITY;
    case DISPATCH_QUEUE_PRIORITY_BACKGROUND: return QOS_CLASS_BACKGROUND;
    default: return static_cast<int>(identifier);
  }
}

}  // namespace

DomainState::DomainState(std::string label, std::shared_ptr<Scheduler> scheduler, Domain* owner)
    : label_(std::move(label)), scheduler_(std::move(scheduler)), owner_(owner) {
  main_queue_ = Queue::CreateRoot(this, "com.apple.main-thread", QueueWidth::kSerial,
                                  QueueRole::kMain, QOS_CLASS_USER_INTERACTIVE);
  for (const GlobalQueueSpec& spec : kGlobalQueues) {
    global_queues_[spec.qos] = Queue::CreateRoot(this, spec.label, QueueWidth::kConcurrent,
                                                 QueueRole::kGlobal, spec.qos);
  }
}

DomainState::~DomainState() {
  // Only reached when no queue of the domain lives, so no item refers to them.
  main_queue_->DestroyImmortal();
  for (auto& [qos, queue] : global_queues_) queue->DestroyImmortal();
}

Queue* DomainState::global_queue(intptr_t identifier) const {
  auto it = global_queues_.find(QosForIdentifier(identifier));
  return it == global_queues_.end() ? nullptr : it->second;
}

Domain::Domain(std::string label, Executor& executor)
    : executor_(&executor),
      state_(std::make_shared<DomainState>(std::move(label), executor.shared_scheduler(), this)) {
  executor.scheduler().Register(*state_);
}

Domain::~Domain() {
  Scheduler& scheduler = state_->scheduler();
  scheduler.Kill(*state_);
  scheduler.Unregister(*state_);
  if (t_current_domain == this) t_current_domain = nullptr;
}

const std::string& Domain::label() const { return state_->label(); }
void Domain::Kill() { state_->scheduler().Kill(*state_); }
void Domain::Pause() { state_->scheduler().SetPaused(*state_, true); }
void Domain::Resume() { state_->scheduler().SetPaused(*state_, false); }
bool Domain::killed() const { return state_->killed(); }
bool Domain::paused() const { return state_->paused(); }

dispatch_queue_t Domain::main_queue() const {
  return ToHandle<dispatch_queue_t>(&state_->main_queue());
}

dispatch_queue_t Domain::global_queue(intptr_t identifier) const {
  Queue* queue = state_->global_queue(identifier);
  return queue == nullptr ? nullptr : ToHandle<dispatch_queue_t>(queue);
}

Domain& CurrentDomain() {
  if (t_current_domain != nullptr) return *t_current_domain;
  return CurrentEnvironment().host();
}

Domain* CurrentDomainIfSet() { return t_current_domain; }

ScopedCurrentDomain::ScopedCurrentDomain(Domain& domain) : previous_(t_current_domain) {
  t_current_domain = &domain;
}

ScopedCurrentDomain::~ScopedCurrentDomain() { t_current_domain = previous_; }

Domain* ExchangeCurrentDomain(Domain* domain) {
  return std::exchange(t_current_domain, domain);
}

}  // namespace xpctest::fakes::dispatch
