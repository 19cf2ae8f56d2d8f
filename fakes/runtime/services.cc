#include "runtime/services.h"

#include "dispatch/domain.h"
#include "dispatch/environment.h"
#include "dispatch/fiber.h"
#include "runtime/world.h"

namespace xpctest::fakes::runtime {
namespace {

using dispatch::Fiber;

// dispatch_main() on a service's main fiber parks the fiber (P11): control
// goes back to whoever launched it, for good. Anywhere else it returns and
// dispatch serves the main queue as usual.
void ParkServiceFiber() {
  Fiber& fiber = Fiber::Current();
  if (fiber.main_thread_of() != nullptr && fiber.starter() != nullptr) fiber.ReturnToStarter();
}

}  // namespace

Services::~Services() = default;

void Services::Register(ServiceDefinition definition) {
  static const bool hooked = [] {
    dispatch::SetDispatchMainHookForRuntime(&ParkServiceFiber);
    return true;
  }();
  (void)hooked;
  std::string name = definition.name;
  {
    std::lock_guard lock(mutex_);
    definitions_[name] = std::move(definition);
  }
  world_.bootstrap().SetLauncher(name, [this](const std::string& n) { return Launch(n); });
}

bool Services::Launch(const std::string& name) {
  ServiceDefinition definition;
  {
    std::lock_guard lock(mutex_);
    auto it = definitions_.find(name);
    if (it == definitions_.end()) return false;
    definition = it->second;
  }
  Process& process = world_.Spawn(name, definition.identity);
  process.set_service_name(name);
  process.set_launchd_job(definition.launchd_job);
  world_.Record(TraceKind::kProcess, process, "launched on demand");
  // main's locals live on a stack that is discarded, never unwound.
  World::NoteProcessMemoryAbandoned();
  // argv lives with the launch, not on the fiber's stack: that stack is
  // discarded without unwinding (P11), and what is on it is never freed.
  auto launch = std::make_unique<LaunchRecord>();
  launch->words.push_back(definition.argv0.empty() ? definition.name : definition.argv0);
  launch->words.insert(launch->words.end(), definition.arguments.begin(),
                       definition.arguments.end());
  for (std::string& word : launch->words) launch->argv.push_back(word.data());
  launch->argv.push_back(nullptr);
  ServiceMain main = definition.main;
  int argc = static_cast<int>(launch->words.size());
  char** argv = launch->argv.data();
  launch->fiber = std::make_unique<Fiber>([&process, main, argc, argv] {
    // No heap-owning RAII on this stack: the fiber may never return here.
    dispatch::ScopedCurrentDomain as(process.domain());
    int status = main(argc, argv);
    // S112: main returning is the process exiting, with main's status.
    process.set_exit_status(status);
    process.End(ProcessEnd::kExit);
  });
  // main's fiber is the process's main thread (see dispatch/thread_frame.h).
  launch->fiber->set_main_thread_of(process.domain().shared_state());
  Fiber* started = launch->fiber.get();
  {
    std::lock_guard lock(mutex_);
    records_.push_back(std::move(launch));
    latest_[name] = &process;
    ++launches_[name];
  }
  // The fiber starts with a clean slate (no queue held, no current process);
  // ours are back when main parks or returns.
  started->Start();
  return true;
}

Process* Services::Latest(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = latest_.find(name);
  return it != latest_.end() ? it->second : nullptr;
}

int Services::launches(const std::string& name) {
  std::lock_guard lock(mutex_);
  return launches_[name];
}

}  // namespace xpctest::fakes::runtime
