#include "runtime/services.h"

#include <fmt/format.h>

#include "base/report.h"
#include "dispatch/domain.h"
#include "dispatch/environment.h"
#include "dispatch/executor.h"
#include "dispatch/fiber.h"
#include "runtime/service_module.h"
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

// A launch whose process ends settles: its main will not check in now.
class LaunchEnder final : public Resident {
 public:
  explicit LaunchEnder(std::shared_ptr<Launch> launch) : launch_(std::move(launch)) {}
  void OnProcessEnded(ProcessEnd) override { launch_->Settle(); }

 private:
  std::shared_ptr<Launch> launch_;
};

}  // namespace

// Everything a launch owns. argv lives here, not on the fiber's stack: that
// stack is discarded without unwinding (P11), and what is on it is never freed.
struct Services::LaunchRecord {
  std::vector<std::string> words;
  std::vector<char*> argv;
  std::shared_ptr<Launch> launch;
  std::shared_ptr<LaunchEnder> ender;
  std::unique_ptr<Fiber> fiber;
  // Threaded executor: where main runs until it parks or returns.
  std::thread thread;
};

Services::Services(World& world) : world_(world) {}

Services::~Services() { Close(); }

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
  world_.bootstrap().SetLauncher(name, [this](const std::string& n) { return Start(n); });
}

std::shared_ptr<Launch> Services::Start(const std::string& name) {
  ServiceDefinition definition;
  {
    std::lock_guard lock(mutex_);
    auto it = definitions_.find(name);
    if (closed_ || it == definitions_.end()) return nullptr;
    definition = it->second;
  }
  Process& process = world_.Spawn(name, definition.identity);
  process.set_service_name(name);
  process.set_launchd_job(definition.launchd_job);
  world_.Record(TraceKind::kProcess, process, "launched on demand");
  // main's locals live on a stack that is discarded, never unwound.
  World::NoteProcessMemoryAbandoned();
  dispatch::Executor& executor = world_.environment().executor();

  auto record = std::make_unique<LaunchRecord>();
  record->launch = std::make_shared<Launch>(name, process.pid(), executor);
  record->ender = std::make_shared<LaunchEnder>(record->launch);
  process.AddResident(record->ender);
  record->words.push_back(definition.argv0.empty() ? definition.name : definition.argv0);
  record->words.insert(record->words.end(), definition.arguments.begin(),
                       definition.arguments.end());
  for (std::string& word : record->words) record->argv.push_back(word.data());
  record->argv.push_back(nullptr);
  int argc = static_cast<int>(record->words.size());
  char** argv = record->argv.data();
  record->fiber = std::make_unique<Fiber>(
      [this, &process, main = definition.main, module = definition.module_path, argc,
                argv] {
        // No heap-owning RAII on this stack: the fiber may never return here.
        dispatch::ScopedCurrentDomain as(process.domain());
        ServiceMain entry = main;
        if (entry == nullptr) {
          // A copy of the module of its own: loading it runs its static
          // constructors, in the new process, as a real launch would.
          std::string error;
          entry = LoadServiceModuleCopy(module, &error);
          if (entry == nullptr) {
            world_.Record(TraceKind::kProcess, process, "launch failed: " + error);
            ReportWarning("launch", fmt::format("the service \"{}\" could not start", process.name()),
                          {}, error);
            // dyld's failure kills the process before main, as here.
            process.End(ProcessEnd::kCrash);
            return;
          }
        }
        int status = entry(argc, argv);
        // S112: main returning is the process exiting, with main's status.
        process.set_exit_status(status);
        process.End(ProcessEnd::kExit);
      });
  // main's fiber is the process's main thread (see dispatch/thread_frame.h).
  record->fiber->set_main_thread_of(process.domain().shared_state());

  std::shared_ptr<Launch> launch = record->launch;
  // Before main runs: lookups during it wait for it instead of launching again.
  world_.bootstrap().AddLaunch(name, launch);
  LaunchRecord* started = record.get();
  bool threaded = executor.kind() == dispatch::ExecutorKind::kThreaded;
  bool closing;
  {
    std::lock_guard lock(mutex_);
    closing = closed_;
    records_.push_back(std::move(record));
    latest_[name] = &process;
    ++launches_[name];
    // Main may block (sleep, waits) before it parks: not on the client's
    // thread. Started under the lock, so that Close() joins it; never once
    // the world is ending.
    if (threaded && !closing) started->thread = std::thread([started] { RunMain(*started); });
  }
  if (closing) {
    launch->Settle();
  } else if (!threaded) {
    RunMain(*started);
  }
  return launch;
}

void Services::RunMain(LaunchRecord& record) {
  // The fiber starts with a clean slate (no queue held, no current process);
  // ours are back when main parks or returns.
  record.fiber->Start();
  // Main parked or returned: it will not check in later (a name is claimed
  // before main parks).
  record.launch->Settle();
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

void Services::Close() {
  std::vector<std::thread*> threads;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& record : records_) {
      if (record->thread.joinable()) threads.push_back(&record->thread);
    }
  }
  for (std::thread* thread : threads) thread->join();
}

}  // namespace xpctest::fakes::runtime
