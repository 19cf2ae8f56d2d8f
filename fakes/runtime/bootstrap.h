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
  // `caller` looks `name` up (launching its service on demand). Null, with
  // `*failure` set to the invalidation reason libxpc gives (S111: error 3 for
  // an unknown name, error 159 for a lookup the App Sandbox refuses), when it
  // finds nothing.
  std::shared_ptr<Port> Lookup(const std::string& name, LookupScope scope, Process& caller,
                               std::string* failure);
  // The live claimant of `name`, without launching anything.
  std::shared_ptr<Port> Claimant(const std::string& name);

  // A launcher starts the service that will claim `name` (launch on demand).
  // It runs when a lookup finds no live listener; it returns false when it
  // cannot launch (then the lookup fails).
  using Launcher = std::function<bool(const std::string& name)>;
  void SetLauncher(const std::string& name, Launcher launcher);
  void RemoveLauncher(const std::string& name);

 private:
  struct Entry {
    std::weak_ptr<Port> port;
    bool privileged = false;
  };
  mutable std::mutex mutex_;
  bool strict_ = false;
  std::set<std::string> declared_;
  std::map<std::string, std::string> job_of_name_;
  std::map<std::string, std::string> app_of_bundled_service_;
  std::map<std::string, Entry> entries_;
  std::map<std::string, Launcher> launchers_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_BOOTSTRAP_H
