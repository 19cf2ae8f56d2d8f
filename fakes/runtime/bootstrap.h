// runtime/bootstrap.h — the world's bootstrap namespace (launchd's name table).
//
// Maps Mach-service and XPC-service names to the listener that serves them.
// P1: a listener created in the world claims its name when no live listener
// holds it; a strict namespace accepts only names declared beforehand, as
// launchd accepts only the MachServices of a job's plist. Names served by a
// root (euid 0) process live in the privileged (system) domain; a PRIVILEGED
// lookup sees only those (S64).
//
// Deployment (docs/launchd-and-sandbox.md): a name a loaded launchd job
// advertises in MachServices belongs to that job: only the job's process may
// claim it, and the job's process may claim nothing else (P1, from the file).
// A name an app bundles as an XPC service is in that app's namespace only.
// Every lookup is made by a process, and the App Sandbox's rule
// (sandbox_policy.h) is applied to it.
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_BOOTSTRAP_H
#define XPCTEST_FAKES_RUNTIME_BOOTSTRAP_H

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "runtime/launch.h"

namespace xpctest::fakes::runtime {

// What a name resolves to; the xpc layer's listeners implement it.
class Process;

class Port {
 public:
  virtual ~Port() = default;
  // The process serving the port.
  virtual Process& port_owner() const = 0;
};

enum class LookupScope { kAny, kPrivilegedOnly };

// The invalidation reason of a lookup that finds nobody to serve the name (S111).
inline constexpr const char* kNoSuchProcessLookupFailure =
    "Connection init failed at lookup with error 3 - No such process";

enum class ClaimResult { kClaimed, kTaken, kUndeclared };

class Bootstrap {
 public:
  // Strict mode (P1): only declared names may be claimed.
  void set_strict(bool strict);
  void Declare(const std::string& name);
  // `name` is advertised by the launchd job `label` (its plist's MachServices).
  void DeclareForJob(const std::string& name, const std::string& label);
  // The job is unloaded: its names are no longer its.
  void UndeclareJob(const std::string& label);
  // `name` is an XPC service bundled in the app signed as `app_identifier`:
  // only processes of that app find it.
  void DeclareBundledService(const std::string& name, const std::string& app_identifier);

  // P1 check-in by the port's process; on refusal `*why` (when not null) says
  // which rule refused it, and the trace has a line saying so.
  ClaimResult Claim(const std::string& name, std::weak_ptr<Port> port, bool privileged,
                    std::string* why = nullptr);
  // Releases `name` if `port` holds it.
  void Unclaim(const std::string& name, const Port* port);
  // `caller` looks `name` up: the listener serving it in `scope`, launching
  // its service on demand and waiting for a launch in progress to check in.
  // Null, with `*failure` set to the invalidation reason libxpc gives (S111:
  // error 3 for an unknown name, error 159 for a lookup the App Sandbox
  // refuses), when it finds nothing.
  std::shared_ptr<Port> Lookup(const std::string& name, LookupScope scope, Process& caller,
                               std::string* failure);
  // Whether `name` is served, or being launched, in `scope` for `caller`,
  // without waiting for a launch (S53: a client's activation); `*failure`
  // as for Lookup when not. A launch in progress that settles without
  // checking in calls `unserved` later.
  bool Resolve(const std::string& name, LookupScope scope, Process& caller, std::string* failure,
               std::function<void()> unserved);
  // The live claimant of `name`, without launching anything.
  std::shared_ptr<Port> Claimant(const std::string& name);

  // A launcher starts the service that will claim `name` (launch on demand)
  // and returns its launch, after AddLaunch; null when it cannot launch (the
  // lookup then fails). On the deterministic executor the launched main has
  // parked or returned by then.
  using Launcher = std::function<std::shared_ptr<Launch>(const std::string& name)>;
  void SetLauncher(const std::string& name, Launcher launcher);
  void RemoveLauncher(const std::string& name);
  // A launch of `name` in progress, registered before its main runs.
  void AddLaunch(const std::string& name, std::shared_ptr<Launch> launch);

 private:
  struct Entry {
    std::weak_ptr<Port> port;
    bool privileged = false;
  };
  // Where a lookup stands, read under mutex_.
  struct Standing {
    std::shared_ptr<Port> port;  // a live claimant, in or out of scope
    bool in_scope = false;
    std::shared_ptr<Launch> launch;  // a launch in progress, not settled
    Launcher launcher;
  };
  Standing StandingLocked(const std::string& name, LookupScope scope);
  // The entry's port, unless it is gone or its process died.
  static std::shared_ptr<Port> LivePort(const Entry& entry);
  // Runs the launcher of `name` unless a launch is already in progress:
  // one launch decision at a time (recursive: a main launched on the
  // deterministic executor may look names up before it parks).
  std::shared_ptr<Launch> LaunchOnce(const std::string& name);
  // The sandbox's and the app namespace's rules for `caller` (false, with
  // `*failure` set and a trace line, when they refuse the lookup).
  bool Admits(const std::string& name, Process& caller, std::string* failure);
  // A failed lookup of a launchd job's name: the trace says the job was
  // launched but did not check in for it.
  void NoteUnclaimedJobName(const std::string& name, Process& caller);

  std::recursive_mutex launch_mutex_;
  mutable std::mutex mutex_;
  bool strict_ = false;
  std::set<std::string> declared_;
  std::map<std::string, std::string> job_of_name_;
  std::map<std::string, std::string> app_of_bundled_service_;
  std::map<std::string, Entry> entries_;
  std::map<std::string, Launcher> launchers_;
  std::map<std::string, std::shared_ptr<Launch>> launches_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_BOOTSTRAP_H
