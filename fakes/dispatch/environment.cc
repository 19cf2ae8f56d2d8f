#include "dispatch/environment.h"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

#include "base/report.h"

namespace xpctest::fakes::dispatch {
namespace {

std::mutex& InstallMutex() {
  static std::mutex mu;
  return mu;
}
std::vector<Environment*>& Installed() {
  static std::vector<Environment*> installed;
  return installed;
}
std::atomic<DispatchMainHook> g_dispatch_main_hook{nullptr};

void Install(Environment* environment) {
  std::lock_guard lock(InstallMutex());
  Installed().push_back(environment);
}

void Uninstall(Environment* environment) {
  std::lock_guard lock(InstallMutex());
  auto& installed = Installed();
  XPCTEST_ASSERT(!installed.empty() && installed.back() == environment,
                 "ScopedEnvironment destroyed out of order");
  installed.pop_back();
}

std::unique_ptr<Executor> MakeExecutor(const EnvironmentOptions& options) {
  if (options.kind == ExecutorKind::kDeterministic) return MakeDeterministicExecutor(options.seed);
  return MakeThreadedExecutor();
}

}  // namespace

EnvironmentOptions EnvironmentOptions::FromProcessEnvironment() {
  EnvironmentOptions options;
  if (const char* kind = std::getenv("XPCTEST_EXECUTOR")) {
    if (std::string_view(kind) == "deterministic") options.kind = ExecutorKind::kDeterministic;
  }
  if (const char* seed = std::getenv("XPCTEST_SEED")) {
    options.seed = std::strtoull(seed, nullptr, 0);
  }
  return options;
}

Environment::Environment(EnvironmentOptions options)
    : owned_executor_(MakeExecutor(options)),
      owned_host_(std::make_unique<Domain>(options.host_label, *owned_executor_)),
      executor_(owned_executor_.get()),
      host_(owned_host_.get()) {}

Environment::Environment(Executor& executor, Domain& host) : executor_(&executor), host_(&host) {}

Environment::~Environment() {
  if (owned_executor_ == nullptr) return;
  // Shut down first: workers may still run work of the host domain.
  owned_executor_->Shutdown();
  owned_host_.reset();
  owned_executor_.reset();
}

ScopedEnvironment::ScopedEnvironment(EnvironmentOptions options)
    : environment_(std::move(options)) {
  Install(&environment_);
}

ScopedEnvironment::ScopedEnvironment(Executor& executor, Domain& host)
    : environment_(executor, host) {
  Install(&environment_);
}

ScopedEnvironment::~ScopedEnvironment() { Uninstall(&environment_); }

Environment& CurrentEnvironment() {
  {
    std::lock_guard lock(InstallMutex());
    if (!Installed().empty()) return *Installed().back();
  }
  // Lives until exit on purpose: worker threads may still run at exit.
  static Environment* default_environment =
      new Environment(EnvironmentOptions::FromProcessEnvironment());
  return *default_environment;
}

Executor& CurrentExecutor() { return CurrentEnvironment().executor(); }

TimePoint Now() { return CurrentExecutor().Now(); }
void RunUntilIdle() { CurrentExecutor().RunUntilIdle(); }
void RunFor(Duration duration) { CurrentExecutor().RunFor(duration); }
void AdvanceBy(Duration duration) { CurrentExecutor().AdvanceBy(duration); }
bool RunUntil(const std::function<bool()>& done, Duration timeout) {
  return CurrentExecutor().RunUntil(done, timeout);
}

DispatchMainHook SetDispatchMainHookForRuntime(DispatchMainHook hook) {
  return g_dispatch_main_hook.exchange(hook);
}

DispatchMainHook DispatchMainHookForRuntime() { return g_dispatch_main_hook.load(); }

}  // namespace xpctest::fakes::dispatch
