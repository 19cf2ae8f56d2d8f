#include "runtime/bootstrap.h"

namespace xpctest::fakes::runtime {

void Bootstrap::set_strict(bool strict) {
  std::lock_guard lock(mutex_);
  strict_ = strict;
}

void Bootstrap::Declare(const std::string& name) {
  std::lock_guard lock(mutex_);
  declared_.insert(name);
}

ClaimResult Bootstrap::Claim(const std::string& name, std::weak_ptr<Port> port,
                             bool privileged) {
  std::lock_guard lock(mutex_);
  if (strict_ && !declared_.count(name)) return ClaimResult::kUndeclared;
  auto it = entries_.find(name);
  if (it != entries_.end() && !it->second.port.expired()) return ClaimResult::kTaken;
  entries_[name] = Entry{std::move(port), privileged};
  return ClaimResult::kClaimed;
}

void Bootstrap::Unclaim(const std::string& name, const Port* port) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return;
  std::shared_ptr<Port> holder = it->second.port.lock();
  if (holder == nullptr || holder.get() == port) entries_.erase(it);
}

std::shared_ptr<Port> Bootstrap::Lookup(const std::string& name, LookupScope scope) {
  Launcher launcher;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    if (it != entries_.end()) {
      if (std::shared_ptr<Port> port = it->second.port.lock()) {
        if (scope == LookupScope::kAny || it->second.privileged) return port;
        return nullptr;
      }
    }
    auto launch = launchers_.find(name);
    if (launch == launchers_.end()) return nullptr;
    launcher = launch->second;
  }
  // The launcher runs the service's code, which claims the name: no lock here.
  if (!launcher(name)) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return nullptr;
  if (scope == LookupScope::kPrivilegedOnly && !it->second.privileged) return nullptr;
  return it->second.port.lock();
}

std::shared_ptr<Port> Bootstrap::Claimant(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(name);
  return it != entries_.end() ? it->second.port.lock() : nullptr;
}

void Bootstrap::SetLauncher(const std::string& name, Launcher launcher) {
  std::lock_guard lock(mutex_);
  launchers_[name] = std::move(launcher);
}

void Bootstrap::RemoveLauncher(const std::string& name) {
  std::lock_guard lock(mutex_);
  launchers_.erase(name);
}

}  // namespace xpctest::fakes::runtime
