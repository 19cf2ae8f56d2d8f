// The public control interface (<xpctest/control.h>) over the runtime.
#include <xpctest/control.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "dispatch/domain.h"
#include "dispatch/environment.h"
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

World::World(WorldOptions options)
    : options_(options),
      impl_(std::make_unique<fakes::runtime::World>(fakes::runtime::WorldOptions{
          options.executor == ExecutorKind::kThreaded ? fakes::runtime::ExecutorKind::kThreaded
                                                      : fakes::runtime::ExecutorKind::kDeterministic,
          options.seed, options.strict_namespace})),
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
  impl_->bootstrap().SetLauncher(name, [launch = std::move(launch)](const std::string&) {
    return launch();
  });
}

void World::RemoveLauncher(const std::string& name) { impl_->bootstrap().RemoveLauncher(name); }

void World::RegisterService(const std::string& name, ServiceMain main,
                            std::vector<std::string> arguments, Identity identity) {
  impl_->services().Register(
      fakes::runtime::ServiceDefinition{name, main, std::move(arguments), std::move(identity)});
}

bool World::LaunchService(const std::string& name) { return impl_->services().Launch(name); }

Process World::ServiceProcess(const std::string& name) {
  return Process(impl_->services().Latest(name));
}

int World::ServiceLaunches(const std::string& name) { return impl_->services().launches(name); }

std::chrono::nanoseconds World::Now() const { return std::chrono::nanoseconds(impl_->NowNs()); }

void World::RunUntilIdle() { impl_->environment().executor().RunUntilIdle(); }

bool World::RunUntil(const std::function<bool()>& done, std::chrono::nanoseconds timeout) {
  return impl_->environment().executor().RunUntil(done, timeout);
}

void World::RunFor(std::chrono::nanoseconds duration) {
  impl_->environment().executor().RunFor(duration);
}

std::vector<TraceEntry> World::Trace() const { return impl_->trace().Entries(); }

std::string World::TraceTail(size_t count) const { return impl_->trace().Tail(count); }

std::vector<std::string> World::Unfinished() const { return impl_->Unfinished(); }

}  // namespace xpctest::control
