#include "runtime/world.h"

#include <unistd.h>

#include <atomic>

#include "dispatch/closure.h"
#include "dispatch/environment.h"
#include "base/real_os.h"
#include "runtime/process_domain.h"

namespace xpctest::fakes::runtime {
namespace {

std::atomic<World*> g_installed{nullptr};

// The first pid handed to a simulated process: easy to tell from the host's.
constexpr pid_t kFirstSimulatedPid = 1001;

// P9: the host carries the real process's credentials (read past the
// interposers: a world may be made by code running as a simulated process).
Identity HostIdentity() {
  Identity identity;
  identity.credentials.pid = real::Getpid();
  identity.credentials.euid = real::Geteuid();
  identity.credentials.egid = real::Getegid();
  identity.credentials.asid = getsid(0);
  identity.code_signing.signing_identifier = "xpctest.host";
  return identity;
}

}  // namespace

World::World(WorldOptions options)
    : options_(options),
      owned_environment_(std::make_unique<dispatch::Environment>(dispatch::EnvironmentOptions{
          options.executor == ExecutorKind::kThreaded ? dispatch::ExecutorKind::kThreaded
                                                      : dispatch::ExecutorKind::kDeterministic,
          options.seed, "host"})),
      environment_(owned_environment_.get()),
      next_pid_(kFirstSimulatedPid) {
  bootstrap_.set_strict(options.strict_namespace);
  host_ = &AddProcess("host", HostIdentity(), environment_->host());
  ConnectLaunchdToActivities();
}

World::World(Adopt)
    : environment_(&dispatch::CurrentEnvironment()), next_pid_(kFirstSimulatedPid) {
  options_.executor = environment_->executor().kind() == dispatch::ExecutorKind::kThreaded
                          ? ExecutorKind::kThreaded
                          : ExecutorKind::kDeterministic;
  options_.seed = environment_->executor().seed();
  host_ = &AddProcess("host", HostIdentity(), environment_->host());
  ConnectLaunchdToActivities();
}

// A job's activity that comes due while nothing handles it launches the job.
void World::ConnectLaunchdToActivities() {
  activities_.SetLauncher(
      [this](const std::string& label) { return launchd_.Launch(label, "activity due"); });
}

World::~World() {
  // Nothing is relaunched or scheduled while the processes go.
  launchd_.Shutdown();
  activities_.Shutdown();
  // Stop every process's queues first, so that no handler runs while the
  // others are told; then tell them (links break, names are released).
  std::vector<Process*> processes;
  {
    std::lock_guard lock(mutex_);
    for (auto& [domain, process] : processes_) processes.push_back(process.get());
  }
  for (Process* process : processes) {
    // A hung process's queued work is abandoned with it.
    if (process->state() == ProcessState::kHung) NoteProcessMemoryAbandoned();
    process->domain().Kill();
  }
  for (Process* process : processes) process->End(ProcessEnd::kExit);
  event_streams_.Clear();
  activities_.Clear();
  launchd_.Clear();
  // Before any process is freed: stop the executor's threads and wake every
  // wait, so that a service main still running on its launch thread
  // (threaded executor) parks, returns or is abandoned, and is joined.
  if (owned_environment_ != nullptr) owned_environment_->executor().Shutdown();
  services_.Close();
  {
    std::lock_guard lock(mutex_);
    processes_.clear();
    owned_domains_.clear();
  }
  // Last: shutting the executor down releases whatever work is still queued.
  owned_environment_.reset();
}

World& World::Current() {
  if (World* installed = g_installed.load()) return *installed;
  // A plain program: one implicit world over the default dispatch environment,
  // alive until exit.
  static World* implicit = new World(Adopt{});
  return *implicit;
}

namespace {
std::atomic<uint64_t> g_processes_abandoned{0};
}  // namespace

void World::NoteProcessMemoryAbandoned() { ++g_processes_abandoned; }

uint64_t World::MemoryAbandonments() {
  return g_processes_abandoned.load() + dispatch::BuriedCount();
}

Process& World::AddProcess(std::string name, Identity identity, dispatch::Domain& domain) {
  std::lock_guard lock(mutex_);
  auto process = std::make_unique<Process>(*this, std::move(name), std::move(identity), domain);
  Process& added = *process;
  processes_[&domain] = std::move(process);
  return added;
}

Process& World::Spawn(std::string name, Identity identity) {
  Credentials& credentials = identity.credentials;
  const Credentials& host = host_->identity().credentials;
  {
    std::lock_guard lock(mutex_);
    if (credentials.pid == 0) credentials.pid = next_pid_++;
  }
  if (credentials.euid == static_cast<uid_t>(-1)) credentials.euid = host.euid;
  if (credentials.egid == static_cast<gid_t>(-1)) credentials.egid = host.egid;
  if (credentials.asid == -1) credentials.asid = host.asid;
  auto domain = std::make_unique<ProcessDomain>(name, environment_->executor());
  ProcessDomain& domain_ref = *domain;
  {
    std::lock_guard lock(mutex_);
    owned_domains_.push_back(std::move(domain));
  }
  Process& process = AddProcess(std::move(name), std::move(identity), domain_ref);
  domain_ref.set_process(&process);
  Record(TraceKind::kProcess, process, "spawned");
  return process;
}

Process* World::FindProcess(pid_t pid) {
  std::lock_guard lock(mutex_);
  for (auto& [domain, process] : processes_) {
    if (process->pid() == pid) return process.get();
  }
  return nullptr;
}

Process& World::CurrentProcess() {
  dispatch::Domain* domain = &dispatch::CurrentDomain();
  std::lock_guard lock(mutex_);
  auto it = processes_.find(domain);
  return it != processes_.end() ? *it->second : *host_;
}

uint64_t World::NowNs() const {
  const dispatch::Executor& executor = environment_->executor();
  return static_cast<uint64_t>((executor.Now() - executor.start_time()).count());
}

std::vector<std::string> World::Unfinished() {
  std::vector<Process*> processes;
  {
    std::lock_guard lock(mutex_);
    for (auto& [domain, process] : processes_) processes.push_back(process.get());
  }
  std::vector<std::string> lines;
  for (Process* process : processes) {
    std::vector<std::string> own;
    process->DescribeUnfinished(own);
    for (std::string& line : own) {
      lines.push_back("[pid " + std::to_string(process->pid()) + " " + process->name() + "] " +
                      line);
    }
  }
  return lines;
}

void World::Record(TraceKind kind, const Process& process, TraceText text, TraceSubject subject) {
  trace_.Append(NowNs(), kind, process, std::move(text), subject);
}

struct ScopedProcess::Installation {
  explicit Installation(Process& process) : as(process.domain()) {}
  dispatch::ScopedCurrentDomain as;
};

ScopedProcess::ScopedProcess(Process& process)
    : installation_(std::make_unique<Installation>(process)) {}

ScopedProcess::~ScopedProcess() = default;

struct ScopedWorld::EnvironmentInstallation {
  explicit EnvironmentInstallation(dispatch::Environment& environment)
      : scoped(environment.executor(), environment.host()) {}
  dispatch::ScopedEnvironment scoped;
};

ScopedWorld::ScopedWorld(World& world)
    : previous_(g_installed.exchange(&world)),
      installation_(std::make_unique<EnvironmentInstallation>(world.environment())) {}

ScopedWorld::~ScopedWorld() {
  installation_.reset();
  g_installed.store(previous_);
}

}  // namespace xpctest::fakes::runtime
