// The public control interface (<xpctest/control.h>) over the runtime.
#include <xpctest/control.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "dispatch/domain.h"
#include "dispatch/environment.h"
#include "base/report.h"
#include "objects/object.h"
#include "runtime/service_module.h"
#include "runtime/world.h"

namespace xpctest::control {

const char* ExecutorKindName(ExecutorKind kind) {
  return kind == ExecutorKind::kThreaded ? "threaded" : "deterministic";
}

WorldOptions WorldOptionsFromEnvironment(WorldOptions defaults) {
  if (const char* executor = std::getenv("XPCTEST_EXECUTOR")) {
    if (std::string_view(executor) == "threaded") defaults.executor = ExecutorKind::kThreaded;
    if (std::string_view(executor) == "deterministic") {
      defaults.executor = ExecutorKind::kDeterministic;
    }
  }
  if (const char* seed = std::getenv("XPCTEST_SEED")) {
    defaults.seed = std::strtoull(seed, nullptr, 10);
  }
  return defaults;
}

// --- Process -----------------------------------------------------------------

pid_t Process::pid() const { return impl_->pid(); }
const std::string& Process::name() const { return impl_->name(); }
Identity Process::identity() const { return impl_->identity(); }
void Process::SetCodeSigning(CodeSigningIdentity code_signing) {
  impl_->set_code_signing(std::move(code_signing));
}
std::string Process::state() const { return fakes::runtime::ProcessStateName(impl_->state()); }
bool Process::alive() const { return impl_->alive(); }
void Process::Crash() { impl_->End(fakes::runtime::ProcessEnd::kCrash); }
void Process::Exit() { impl_->End(fakes::runtime::ProcessEnd::kExit); }
void Process::Hang() { impl_->Hang(); }
void Process::Terminate() { impl_->Terminate(); }
void Process::Resume() { impl_->Resume(); }
int64_t Process::transactions() const { return impl_->transactions(); }

struct ScopedProcess::Installation {
  explicit Installation(const Process& process) : as(*process.impl()) {}
  fakes::runtime::ScopedProcess as;
};

ScopedProcess::ScopedProcess(const Process& process)
    : installation_(std::make_unique<Installation>(process)) {}
ScopedProcess::~ScopedProcess() = default;

// --- World -------------------------------------------------------------------

namespace {
World* g_current = nullptr;
}  // namespace

struct World::Installation {
  explicit Installation(fakes::runtime::World& world) : scoped(world) {}
  fakes::runtime::ScopedWorld scoped;
};

static_assert(WorldOptions{}.trace_capacity == fakes::runtime::kDefaultTraceCapacity,
              "control::WorldOptions and runtime::WorldOptions disagree on the trace's capacity");

World::World(WorldOptions options)
    : options_(options),
      impl_(std::make_unique<fakes::runtime::World>(fakes::runtime::WorldOptions{
          options.executor == ExecutorKind::kThreaded ? fakes::runtime::ExecutorKind::kThreaded
                                                      : fakes::runtime::ExecutorKind::kDeterministic,
          options.seed, options.strict_namespace, options.trace_capacity})),
      installation_(std::make_unique<Installation>(*impl_)),
      previous_(g_current) {
  g_current = this;
}

World::~World() {
  g_current = previous_;
  installation_.reset();
  impl_.reset();
}

World* World::Current() { return g_current; }

Process World::host() { return Process(&impl_->host()); }

Process World::Spawn(std::string name, Identity identity) {
  return Process(&impl_->Spawn(std::move(name), std::move(identity)));
}

Process World::current() { return Process(&impl_->CurrentProcess()); }

Process World::Find(pid_t pid) { return Process(impl_->FindProcess(pid)); }

void World::DeclareService(const std::string& name) { impl_->bootstrap().Declare(name); }

void World::SetLauncher(const std::string& name, std::function<bool()> launch) {
  fakes::runtime::World& world = *impl_;
  impl_->bootstrap().SetLauncher(
      name, [&world, launch = std::move(launch)](
                const std::string& name) -> std::shared_ptr<fakes::runtime::Launch> {
        // The test's launcher runs to its end here: settled when it returns.
        auto started = std::make_shared<fakes::runtime::Launch>(
            name, 0, world.environment().executor());
        bool launched = launch();
        started->Settle();
        return launched ? started : nullptr;
      });
}

void World::RemoveLauncher(const std::string& name) { impl_->bootstrap().RemoveLauncher(name); }

namespace {

void Register(fakes::runtime::World& world, const std::string& name, World::ServiceMain main,
              const std::string& module_path, std::vector<std::string> arguments,
              Identity identity) {
  fakes::runtime::ServiceDefinition definition;
  definition.name = name;
  definition.main = main;
  definition.module_path = module_path;
  definition.arguments = std::move(arguments);
  definition.identity = std::move(identity);
  world.services().Register(std::move(definition));
}

}  // namespace

void World::RegisterService(const std::string& name, ServiceMain main,
                            std::vector<std::string> arguments, Identity identity) {
  Register(*impl_, name, main, "", std::move(arguments), std::move(identity));
}

void World::RegisterServiceModule(const std::string& name, const std::string& module_path,
                                  std::vector<std::string> arguments, Identity identity) {
  std::string error;
  if (!fakes::runtime::ServiceModuleReadable(module_path, &error)) {
    fakes::ReportWarning("xpctest::control::World::RegisterServiceModule",
                         "the service module of \"" + name + "\" cannot be read", {}, error);
  }
  Register(*impl_, name, nullptr, module_path, std::move(arguments), std::move(identity));
}

bool World::LaunchService(const std::string& name) {
  std::shared_ptr<fakes::runtime::Launch> launch = impl_->services().Start(name);
  if (launch == nullptr) return false;
  launch->WaitUntilSettled("xpctest::control::World::LaunchService");
  return true;
}

Process World::ServiceProcess(const std::string& name) {
  return Process(impl_->services().Latest(name));
}

bool World::UnloadService(const std::string& name) {
  fakes::runtime::Bootstrap& bootstrap = impl_->bootstrap();
  bootstrap.RemoveLauncher(name);
  std::shared_ptr<fakes::runtime::Port> claimant = bootstrap.Claimant(name);
  if (claimant == nullptr) return false;
  claimant->port_owner().End(fakes::runtime::ProcessEnd::kUnload);
  return true;
}

int World::ServiceLaunches(const std::string& name) { return impl_->services().launches(name); }

void World::PostEvent(const Process& process, const std::string& stream, const std::string& name,
                      xpc_object_t payload) {
  xpc_object_t event = fakes::runtime::EventStreams::NewEvent(name, payload);
  impl_->event_streams().Post(*process.impl(), stream, event);
  xpc_release(event);
}

std::chrono::nanoseconds World::Now() const { return std::chrono::nanoseconds(impl_->NowNs()); }

void World::RunUntilIdle() { impl_->environment().executor().RunUntilIdle(); }

bool World::RunUntil(const std::function<bool()>& done, std::chrono::nanoseconds timeout) {
  return impl_->environment().executor().RunUntil(done, timeout);
}

void World::RunFor(std::chrono::nanoseconds duration) {
  impl_->environment().executor().RunFor(duration);
}

int World::AddFault(MessageFault fault) {
  using fakes::runtime::FaultActionKind;
  using fakes::runtime::MessageDirection;
  fakes::runtime::FaultRule rule;
  std::string description = fault.description;
  if (description.empty()) {
    description = fault.service.empty() ? std::string("any service") : fault.service;
    if (fault.service_pid != 0) description += " (pid " + std::to_string(fault.service_pid) + ")";
  }
  rule.description = std::move(description);
  rule.selects = [direction = fault.direction, service = fault.service,
                  service_pid = fault.service_pid,
                  matches = fault.matches](const fakes::runtime::MessageInFlight& message) {
    switch (direction) {
      case MessageFault::Direction::kAny: break;
      case MessageFault::Direction::kRequest:
        if (message.direction != MessageDirection::kRequest) return false;
        break;
      case MessageFault::Direction::kEvent:
        if (message.direction != MessageDirection::kEvent) return false;
        break;
      case MessageFault::Direction::kReply:
        if (message.direction != MessageDirection::kReply) return false;
        break;
      case MessageFault::Direction::kConnect:
        if (message.direction != MessageDirection::kConnect) return false;
        break;
    }
    // Connection rules are asked only about connections, message rules only
    // about messages.
    if ((direction == MessageFault::Direction::kConnect) !=
        (message.direction == MessageDirection::kConnect)) {
      return false;
    }
    if (!service.empty() && message.service != service) return false;
    if (service_pid != 0 &&
        (message.service_process == nullptr || message.service_process->pid() != service_pid)) {
      return false;
    }
    return !matches || message.message == nullptr || matches(message.message);
  };
  rule.nth = fault.nth;
  rule.times = fault.times;
  rule.probability = fault.probability;
  switch (fault.action) {
    case MessageFault::Action::kDelay: rule.action.kind = FaultActionKind::kDelay; break;
    case MessageFault::Action::kDrop: rule.action.kind = FaultActionKind::kDrop; break;
    case MessageFault::Action::kHold: rule.action.kind = FaultActionKind::kHold; break;
    case MessageFault::Action::kCrashSender:
      rule.action.kind = FaultActionKind::kCrashSender;
      break;
    case MessageFault::Action::kCrashReceiver:
      rule.action.kind = FaultActionKind::kCrashReceiver;
      break;
    case MessageFault::Action::kMutate: rule.action.kind = FaultActionKind::kMutate; break;
    case MessageFault::Action::kCancelSender:
      rule.action.kind = FaultActionKind::kCancelSender;
      break;
    case MessageFault::Action::kCancelReceiver:
      rule.action.kind = FaultActionKind::kCancelReceiver;
      break;
    case MessageFault::Action::kFailCodeSigning:
      rule.action.kind = FaultActionKind::kFailCodeSigning;
      break;
    case MessageFault::Action::kRefuseConnection: rule.action.kind = FaultActionKind::kRefuse; break;
  }
  rule.action.delay = fault.delay;
  rule.action.delay_max = fault.delay_max;
  rule.action.mutate = std::move(fault.mutate);
  return impl_->faults().Add(std::move(rule));
}

void World::RemoveFault(int id) { impl_->faults().Remove(id); }

int World::FaultsApplied(int id) const { return impl_->faults().applied(id); }

void World::ReleaseHeldMessages() { impl_->faults().ReleaseHeld(); }

std::vector<TraceEntry> World::Trace() const { return impl_->trace().Entries(); }

std::string World::TraceTail(size_t count) const { return impl_->trace().Tail(count); }

std::vector<std::string> World::Unfinished() const { return impl_->Unfinished(); }

int64_t World::LiveObjects() { return fakes::objects::LiveObjectCount(); }

uint64_t World::MemoryAbandonments() { return fakes::runtime::World::MemoryAbandonments(); }

}  // namespace xpctest::control
