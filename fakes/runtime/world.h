// runtime/world.h — everything one test touches.
//
// A World owns the dispatch environment (executor, clock), the simulated
// processes, the bootstrap namespace and the trace. Destroying it ends every
// process, so nothing of one world leaks into the next (design.md, "A World
// per test"). A plain program that never creates a World gets an implicit one
// on first use, built over the default dispatch environment
// (XPCTEST_EXECUTOR / XPCTEST_SEED).
//
//   runtime::World world({.executor = ExecutorKind::kDeterministic, .seed = 7});
//   runtime::ScopedWorld installed(world);
//   runtime::Process& service = world.Spawn("com.example.calc", {});
//   {
//     runtime::ScopedProcess as(service);
//     /* code that creates the listener */
//   }
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_WORLD_H
#define XPCTEST_FAKES_RUNTIME_WORLD_H

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/activity_scheduler.h"
#include "runtime/bootstrap.h"
#include "runtime/event_streams.h"
#include "runtime/faults.h"
#include "runtime/identity.h"
#include "runtime/launchd_jobs.h"
#include "runtime/process.h"
#include "runtime/services.h"
#include "runtime/trace.h"

namespace xpctest::fakes::dispatch {
class Environment;
class Domain;
}

namespace xpctest::fakes::runtime {

enum class ExecutorKind { kThreaded, kDeterministic };

struct WorldOptions {
  ExecutorKind executor = ExecutorKind::kDeterministic;
  uint64_t seed = 0;
  // P1: only declared names may be claimed by listeners.
  bool strict_namespace = false;
  // The trace keeps the last this many entries and counts the older ones it
  // drops (runtime/trace.h); 0 keeps none.
  size_t trace_capacity = kDefaultTraceCapacity;
};

class World {
 public:
  explicit World(WorldOptions options);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // The installed world, or the implicit world of a plain program.
  static World& Current();

  const WorldOptions& options() const { return options_; }
  dispatch::Environment& environment() { return *environment_; }

  // The process the test body (or a plain program's main) runs in; it carries
  // the real pid, euid and egid (P9).
  Process& host() { return *host_; }
  // A new simulated process with a fresh pid; unset credentials get defaults
  // (euid/egid of the host, asid of the host).
  Process& Spawn(std::string name, Identity identity);
  Process* FindProcess(pid_t pid);
  // The process whose code is running on this thread.
  Process& CurrentProcess();

  Bootstrap& bootstrap() { return bootstrap_; }
  Services& services() { return services_; }
  Faults& faults() { return faults_; }
  EventStreams& event_streams() { return event_streams_; }
  // launchd's jobs and XPC service bundles, loaded from plists.
  LaunchdJobs& launchd() { return launchd_; }
  // The system's side of xpc_activity, and the device's conditions.
  ActivityScheduler& activities() { return activities_; }
  Trace& trace() { return trace_; }
  uint64_t NowNs() const;
  // Process::DescribeUnfinished of every process, each line prefixed with it.
  std::vector<std::string> Unfinished();
  // A trace entry about `process` (or, with a subject, one of its
  // connections), stamped with NowNs(); see runtime/trace.h.
  void Record(TraceKind kind, const Process& process, TraceText text, TraceSubject subject = {});

  // Counts, program-wide, the times a process's memory was abandoned rather
  // than freed — it crashed or was unloaded, was hung when its world ended,
  // ran a service main parked on a fiber (P11), or had work or handlers left
  // when it ended (dispatch::Bury) — so the objects it held stay alive, as a
  // dead process's memory just vanishes.
  static void NoteProcessMemoryAbandoned();
  static uint64_t MemoryAbandonments();

 private:
  friend class ScopedWorld;
  struct Adopt {};
  // The implicit world: adopts the default dispatch environment.
  explicit World(Adopt);
  Process& AddProcess(std::string name, Identity identity, dispatch::Domain& domain);
  void ConnectLaunchdToActivities();

  WorldOptions options_;
  std::unique_ptr<dispatch::Environment> owned_environment_;
  dispatch::Environment* environment_;
  Bootstrap bootstrap_;
  Trace trace_{options_.trace_capacity};
  Faults faults_{options_.seed};
  EventStreams event_streams_;
  // Destroyed after the processes (members go in reverse): parked fibers'
  // stacks are discarded last, unwound never (P11). Closed (launch threads
  // joined) before the processes are freed.
  Services services_{*this};
  LaunchdJobs launchd_{*this};
  ActivityScheduler activities_{*this};
  std::mutex mutex_;
  pid_t next_pid_;
  std::map<const dispatch::Domain*, std::unique_ptr<Process>> processes_;
  std::vector<std::unique_ptr<dispatch::Domain>> owned_domains_;
  Process* host_ = nullptr;
};

// Runs the code in its scope as code of `process` (on this thread): queues and
// connections created meanwhile belong to it. Nests. (A scope, not a lambda:
// a block created inside a by-reference lambda keeps references to the
// lambda's variables.)
class ScopedProcess {
 public:
  explicit ScopedProcess(Process& process);
  ~ScopedProcess();
  ScopedProcess(const ScopedProcess&) = delete;
  ScopedProcess& operator=(const ScopedProcess&) = delete;

 private:
  struct Installation;
  std::unique_ptr<Installation> installation_;
};

// Installs a world as current for its lifetime (and its dispatch environment).
class ScopedWorld {
 public:
  explicit ScopedWorld(World& world);
  ~ScopedWorld();
  ScopedWorld(const ScopedWorld&) = delete;
  ScopedWorld& operator=(const ScopedWorld&) = delete;

 private:
  World* previous_;
  struct EnvironmentInstallation;
  std::unique_ptr<EnvironmentInstallation> installation_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_WORLD_H
