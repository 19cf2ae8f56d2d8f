// runtime/bootstrap.h — the world's bootstrap namespace (launchd's name table).
//
// Maps Mach-service and XPC-service names to the listener that serves them.
// P1: a listener created in the world claims its name when no live listener
// holds it; a strict namespace accepts only names declared beforehand, as
// launchd accepts only the MachServices of a job's plist. Names served by a
// root (euid 0) process live in the privileged (system) domain; a PRIVILEGED
// lookup sees only those (S64).
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

  ClaimResult Claim(const std::string& name, std::weak_ptr<Port> port, bool privileged);
  // Releases `name` if `port` holds it.
  void Unclaim(const std::string& name, const Port* port);
  std::shared_ptr<Port> Lookup(const std::string& name, LookupScope scope);
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
  std::map<std::string, Entry> entries_;
  std::map<std::string, Launcher> launchers_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_BOOTSTRAP_H
