#include "runtime/launchd_jobs.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>

#include <atomic>

#include "runtime/process.h"
#include "runtime/system_timer.h"
#include "runtime/world.h"

namespace xpctest::fakes::runtime {
namespace {

constexpr uint64_t kNanosPerSecond = 1000000000;
// Names no user database here knows (macOS's "_myhelper") get ids from here,
// in the order they are first met: below macOS's first user id (501).
constexpr uid_t kFirstSimulatedId = 400;
// xpcservice.plist(5): each service gets its own audit session unless it
// joins its app's; the sessions we make count from here.
constexpr pid_t kFirstServiceSession = 100000;

}  // namespace

struct LaunchdJobs::Job {
  LaunchdJobSpec spec;
  ServiceMain main = nullptr;
  Process* process = nullptr;  // the running instance, if any
  int launches = 0;
  uint64_t last_launch_ns = 0;
  bool unloaded = false;
  std::shared_ptr<Watcher> watcher;
};

// Tells launchd when a job's process ends, as the kernel tells launchd.
class LaunchdJobs::Watcher : public Resident {
 public:
  Watcher(LaunchdJobs& jobs, std::string label, Process& process)
      : jobs_(jobs), label_(std::move(label)), process_(process) {}
  void OnProcessEnded(ProcessEnd how) override { Fire(how); }
  // Once per process, however it is told.
  void Fire(ProcessEnd how) {
    if (!fired_.exchange(true)) jobs_.OnEnded(label_, process_, how);
  }
  // For a process that may have ended before (or while) this was added.
  void FireIfEnded() {
    if (process_.alive()) return;
    Fire(process_.state() == ProcessState::kCrashed ? ProcessEnd::kCrash : ProcessEnd::kExit);
  }

 private:
  LaunchdJobs& jobs_;
  const std::string label_;
  Process& process_;
  std::atomic<bool> fired_{false};
};

LaunchdJobs::LaunchdJobs(World& world) : world_(world) {}

LaunchdJobs::~LaunchdJobs() { Clear(); }

uid_t LaunchdJobs::UserId(const std::string& name, gid_t* primary_group) {
  if (name == "root") {
    *primary_group = 0;
    return 0;
  }
  if (const passwd* user = getpwnam(name.c_str())) {
    *primary_group = user->pw_gid;
    return user->pw_uid;
  }
  std::lock_guard lock(mutex_);
  auto [it, added] = simulated_ids_.emplace("user:" + name, 0);
  if (added) it->second = kFirstSimulatedId + static_cast<uid_t>(simulated_ids_.size()) - 1;
  *primary_group = it->second;
  return it->second;
}

gid_t LaunchdJobs::GroupId(const std::string& name) {
  if (name == "wheel" || name == "root") return 0;
  if (const group* found = getgrnam(name.c_str())) return found->gr_gid;
  std::lock_guard lock(mutex_);
  auto [it, added] = simulated_ids_.emplace("group:" + name, 0);
  if (added) it->second = kFirstSimulatedId + static_cast<uid_t>(simulated_ids_.size()) - 1;
  return it->second;
}

bool LaunchdJobs::Load(LaunchdJobSpec spec, ServiceMain main, LaunchdJobOptions options,
                       std::string* error) {
  const std::string label = spec.label;
  {
    std::lock_guard lock(mutex_);
    auto same = jobs_.find(label);
    if (same != jobs_.end() && !same->second->unloaded) {
      *error = spec.file + ": key \"Label\": a job labelled " + label + " is already loaded (" +
               same->second->spec.file + ")";
      return false;
    }
    for (auto& [other_label, other] : jobs_) {
      if (other->unloaded) continue;
      for (const std::string& name : spec.mach_services) {
        for (const std::string& taken : other->spec.mach_services) {
          if (name != taken) continue;
          *error = spec.file + ": key \"MachServices\" > \"" + name +
                   "\": already advertised by the loaded job " + other_label + " (" +
                   other->spec.file + ")";
          return false;
        }
      }
    }
  }
  Identity identity;
  identity.code_signing = options.code_signing;
  if (identity.code_signing.signing_identifier.empty()) {
    identity.code_signing.signing_identifier = label;
  }
  if (options.domain == LaunchdDomain::kSystemDaemon) {
    // launchd.plist(5): UserName and GroupName apply to daemons only; a
    // daemon runs as root unless told otherwise, a group defaulting to the
    // user's primary group.
    gid_t primary = 0;
    identity.credentials.euid = spec.user_name ? UserId(*spec.user_name, &primary) : 0;
    identity.credentials.egid = spec.group_name ? GroupId(*spec.group_name) : primary;
  }
  ServiceDefinition definition;
  definition.name = label;
  definition.main = main;
  definition.arguments.assign(spec.arguments.begin() + 1, spec.arguments.end());
  definition.argv0 = spec.arguments.front();
  definition.identity = identity;
  definition.launchd_job = label;
  world_.services().Register(std::move(definition));
  Bootstrap& bootstrap = world_.bootstrap();
  // Launched by its MachServices, its events and its activities, never by its label.
  bootstrap.RemoveLauncher(label);
  for (const std::string& name : spec.mach_services) {
    bootstrap.DeclareForJob(name, label);
    bootstrap.SetLauncher(name,
                          [this, label](const std::string&) { return LaunchOnDemand(label); });
  }
  auto job = std::make_shared<Job>();
  job->spec = spec;
  job->main = main;
  {
    std::lock_guard lock(mutex_);
    jobs_[label] = job;
  }
  std::string services;
  for (const std::string& name : spec.mach_services) services += " " + name;
  world_.Record(TraceKind::kProcess, world_.host(),
                fmt::format("launchd: loaded {} from {} (MachServices:{}{}{}{})", label, spec.file,
                            services.empty() ? " none" : services,
                            spec.run_at_load ? ", RunAtLoad" : "",
                            spec.keep_alive.enabled() ? ", KeepAlive" : "",
                            spec.enable_transactions ? ", EnableTransactions" : ""));
  for (const LaunchEventSpec& event : spec.launch_events) {
    if (event.stream == kActivityLaunchEventStream) {
      world_.activities().Declare(label, event.name, event.descriptor.get());
    }
  }
  if (spec.run_at_load) Launch(label, spec.keep_alive.enabled() ? "KeepAlive" : "RunAtLoad");
  return true;
}

bool LaunchdJobs::LoadXpcServiceBundle(XpcServiceBundleSpec spec, ServiceMain main,
                                       XpcServiceBundleOptions options, std::string* error) {
  if (spec.service_type == "System" && !options.app_identifier.empty()) {
    *error = spec.file + ": key \"XPCService\" > \"ServiceType\": a System service must reside "
             "in a system framework and be owned by root, not in the app " +
             options.app_identifier + " (xpcservice.plist(5))";
    return false;
  }
  Identity identity;
  identity.code_signing = options.code_signing;
  if (identity.code_signing.signing_identifier.empty()) {
    identity.code_signing.signing_identifier = spec.name;
  }
  if (spec.join_existing_session) {
    identity.credentials.asid = options.app_asid;
  } else {
    static std::atomic<pid_t> next_session{kFirstServiceSession};
    identity.credentials.asid = next_session++;
  }
  ServiceDefinition definition;
  definition.name = spec.name;
  definition.main = main;
  definition.identity = identity;
  definition.argv0 = spec.executable;
  world_.services().Register(std::move(definition));
  if (!options.app_identifier.empty()) {
    world_.bootstrap().DeclareBundledService(spec.name, options.app_identifier);
  }
  world_.Record(TraceKind::kProcess, world_.host(),
                fmt::format("launchd: XPC service {} from {} (ServiceType {}, RunLoopType {}{}{})",
                            spec.name, spec.file, spec.service_type, spec.run_loop_type,
                            spec.join_existing_session ? ", JoinExistingSession" : "",
                            options.app_identifier.empty()
                                ? std::string()
                                : ", bundled in " + options.app_identifier));
  return true;
}

bool LaunchdJobs::Launch(const std::string& label, const char* why) {
  std::shared_ptr<runtime::Launch> started;
  bool running = Start(label, why, &started);
  if (started != nullptr) {
    started->WaitUntilSettled("launchd");
    // A launch settles as its process ends, maybe before the job's watcher
    // heard of it (on the threaded executor main ends on a thread of its
    // own): the job's KeepAlive policy has run when this returns.
    std::shared_ptr<Watcher> watcher;
    {
      std::lock_guard lock(mutex_);
      auto it = jobs_.find(label);
      if (it != jobs_.end()) watcher = it->second->watcher;
    }
    if (watcher != nullptr) watcher->FireIfEnded();
  }
  return running;
}

std::shared_ptr<runtime::Launch> LaunchdJobs::LaunchOnDemand(const std::string& label) {
  std::shared_ptr<runtime::Launch> started;
  Start(label, "on demand", &started);
  return started;
}

bool LaunchdJobs::Start(const std::string& label, const char* why,
                        std::shared_ptr<runtime::Launch>* started) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) return false;
    auto it = jobs_.find(label);
    if (it == jobs_.end() || it->second->unloaded) return false;
    job = it->second;
    if (job->process != nullptr && job->process->alive()) return true;
    job->process = nullptr;
  }
  world_.Record(TraceKind::kProcess, world_.host(),
                fmt::format("launchd: launching {} ({})", label, why));
  *started = world_.services().Start(label);
  if (*started == nullptr) return false;
  Process* process = world_.services().Latest(label);
  auto watcher = std::make_shared<Watcher>(*this, label, *process);
  {
    std::lock_guard lock(mutex_);
    job->process = process;
    job->watcher = watcher;
    job->launches++;
    job->last_launch_ns = world_.NowNs();
  }
  process->AddResident(watcher);
  // main may have returned (or crashed) before the watcher was added.
  watcher->FireIfEnded();
  return true;
}

Process* LaunchdJobs::Running(const std::string& label) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(label);
  if (it == jobs_.end() || it->second->process == nullptr) return nullptr;
  return it->second->process->alive() ? it->second->process : nullptr;
}

int LaunchdJobs::launches(const std::string& label) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(label);
  return it == jobs_.end() ? 0 : it->second->launches;
}

void LaunchdJobs::OnEnded(const std::string& label, Process& process, ProcessEnd how) {
  KeepAlivePolicy keep_alive;
  uint64_t last_launch_ns;
  int64_t throttle_seconds;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(label);
    if (shut_down_ || it == jobs_.end() || it->second->unloaded ||
        it->second->process != &process) {
      return;
    }
    it->second->process = nullptr;
    keep_alive = it->second->spec.keep_alive;
    last_launch_ns = it->second->last_launch_ns;
    throttle_seconds = it->second->spec.throttle_interval_seconds;
  }
  if (how == ProcessEnd::kUnload) return;
  bool crashed = how == ProcessEnd::kCrash;
  int status = process.exit_status();
  bool successful = !crashed && status == 0;
  // launchd.plist(5): the KeepAlive conditions are ORed.
  bool relaunch = keep_alive.always ||
                  (keep_alive.successful_exit && *keep_alive.successful_exit == successful) ||
                  (keep_alive.crashed && *keep_alive.crashed == crashed);
  std::string ended = crashed ? "crashed"
                      : status >= 0 ? fmt::format("exited with status {}", status)
                                    : std::string("was stopped (SIGTERM)");
  if (!relaunch) {
    world_.Record(TraceKind::kProcess, process,
                  fmt::format("launchd: job {} {}; {}", label, ended,
                              keep_alive.enabled() ? "KeepAlive does not relaunch it"
                                                   : "launched again on demand"));
    return;
  }
  // launchd.plist(5) ThrottleInterval: no two launches closer than this.
  uint64_t now = world_.NowNs();
  uint64_t earliest = last_launch_ns + static_cast<uint64_t>(throttle_seconds) * kNanosPerSecond;
  uint64_t delay = earliest > now ? earliest - now : 0;
  world_.Record(TraceKind::kProcess, process,
                fmt::format("launchd: job {} {}; KeepAlive relaunches it in {:.3f}s", label, ended,
                            static_cast<double>(delay) / kNanosPerSecond));
  Relaunch(label, delay);
}

void LaunchdJobs::Relaunch(const std::string& label, uint64_t delay_ns) {
  dispatch_queue_t timers;
  {
    std::lock_guard lock(mutex_);
    if (timers_ == nullptr) timers_ = NewSystemQueue(world_, "xpctest.launchd");
    timers = timers_;
  }
  RunLater(world_, timers, delay_ns, [this, label] { Launch(label, "KeepAlive"); });
}

bool LaunchdJobs::Stop(const std::string& label) {
  bool transactions;
  Process* process;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(label);
    if (it == jobs_.end() || it->second->process == nullptr || !it->second->process->alive()) {
      return false;
    }
    process = it->second->process;
    transactions = it->second->spec.enable_transactions;
  }
  world_.Record(TraceKind::kProcess, *process,
                fmt::format("launchd: stopping {} ({})", label,
                            transactions ? "EnableTransactions: exits when idle (S113)"
                                         : "SIGTERM"));
  if (transactions) {
    process->Terminate();
  } else {
    process->End(ProcessEnd::kExit);
  }
  return true;
}

bool LaunchdJobs::Unload(const std::string& label) {
  std::vector<std::string> names;
  Process* process = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(label);
    if (it == jobs_.end() || it->second->unloaded) return false;
    it->second->unloaded = true;
    names = it->second->spec.mach_services;
    process = it->second->process;
  }
  for (const std::string& name : names) world_.bootstrap().RemoveLauncher(name);
  world_.bootstrap().UndeclareJob(label);
  world_.activities().RemoveSpace(label);
  world_.Record(TraceKind::kProcess, world_.host(), "launchd: unloaded " + label);
  if (process != nullptr) process->End(ProcessEnd::kUnload);
  return true;
}

bool LaunchdJobs::PostEvent(const std::string& label, const std::string& stream,
                            const std::string& name, xpc_object_t payload, std::string* error) {
  bool declared = false;
  std::string file;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(label);
    if (it == jobs_.end() || it->second->unloaded) {
      *error = "no launchd job " + label + " is loaded";
      return false;
    }
    file = it->second->spec.file;
    for (const LaunchEventSpec& event : it->second->spec.launch_events) {
      declared = declared || (event.stream == stream && event.name == name);
    }
  }
  if (stream == kActivityLaunchEventStream) {
    *error = file + ": " + stream + " entries are activities; they run on their criteria";
    return false;
  }
  if (!declared) {
    *error = file + ": key \"LaunchEvents\" > \"" + stream + "\" > \"" + name +
             "\" is not declared, so launchd sends the job no such event";
    return false;
  }
  // LaunchEvents launch the job on demand (launchd.plist(5)).
  Process* running = Launch(label, "LaunchEvents") ? Running(label) : nullptr;
  if (running == nullptr) {
    *error = "the job " + label + " did not stay running to receive the event";
    return false;
  }
  xpc_object_t event = EventStreams::NewEvent(name, payload);
  world_.event_streams().Post(*running, stream, event);
  xpc_release(event);
  return true;
}

void LaunchdJobs::Shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
}

void LaunchdJobs::Clear() {
  dispatch_queue_t timers;
  {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    jobs_.clear();
    timers = std::exchange(timers_, nullptr);
  }
  if (timers != nullptr) dispatch_release(timers);
}

}  // namespace xpctest::fakes::runtime
