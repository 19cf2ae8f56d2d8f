#include "runtime/bootstrap.h"

#include "runtime/process.h"
#include "runtime/sandbox_policy.h"
#include "runtime/world.h"

namespace xpctest::fakes::runtime {

void Bootstrap::set_strict(bool strict) {
  std::lock_guard lock(mutex_);
  strict_ = strict;
}

void Bootstrap::Declare(const std::string& name) {
  std::lock_guard lock(mutex_);
  declared_.insert(name);
}

void Bootstrap::DeclareForJob(const std::string& name, const std::string& label) {
  std::lock_guard lock(mutex_);
  job_of_name_[name] = label;
}

void Bootstrap::UndeclareJob(const std::string& label) {
  std::lock_guard lock(mutex_);
  std::erase_if(job_of_name_, [&](const auto& entry) { return entry.second == label; });
}

void Bootstrap::DeclareBundledService(const std::string& name, const std::string& app_identifier) {
  std::lock_guard lock(mutex_);
  app_of_bundled_service_[name] = app_identifier;
}

ClaimResult Bootstrap::Claim(const std::string& name, std::weak_ptr<Port> port, bool privileged,
                             std::string* why) {
  std::shared_ptr<Port> claimant = port.lock();
  Process* process = claimant != nullptr ? &claimant->port_owner() : nullptr;
  const std::string claimer_job = process != nullptr ? process->launchd_job() : std::string();
  std::string refusal;
  ClaimResult result = ClaimResult::kClaimed;
  {
    std::lock_guard lock(mutex_);
    auto owner = job_of_name_.find(name);
    if (owner != job_of_name_.end() && owner->second != claimer_job) {
      result = ClaimResult::kUndeclared;
      refusal = "\"" + name + "\" is advertised by the launchd job " + owner->second +
                ", not by this process";
    } else if (!claimer_job.empty() && owner == job_of_name_.end()) {
      // P1 from the file: a job checks in only for its own MachServices (S89).
      result = ClaimResult::kUndeclared;
      refusal = "\"" + name + "\" is not in the MachServices of the launchd job " + claimer_job;
    } else if (strict_ && owner == job_of_name_.end() && !declared_.count(name)) {
      result = ClaimResult::kUndeclared;
      refusal = "\"" + name + "\" is not declared (strict namespace, P1)";
    } else {
      auto it = entries_.find(name);
      if (it != entries_.end() && !it->second.port.expired()) {
        result = ClaimResult::kTaken;
        refusal = "\"" + name + "\" is already served by a live listener";
      } else {
        entries_[name] = Entry{std::move(port), privileged};
      }
    }
  }
  if (result != ClaimResult::kClaimed) {
    if (process != nullptr) {
      process->world().Record(TraceKind::kNote, *process, "check-in refused: " + refusal);
    }
    if (why != nullptr) *why = std::move(refusal);
  }
  return result;
}

void Bootstrap::Unclaim(const std::string& name, const Port* port) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return;
  std::shared_ptr<Port> holder = it->second.port.lock();
  if (holder == nullptr || holder.get() == port) entries_.erase(it);
}

std::shared_ptr<Port> Bootstrap::Lookup(const std::string& name, LookupScope scope,
                                        Process& caller, std::string* failure) {
  *failure = "Connection init failed at lookup with error 3 - No such process";
  Launcher launcher;
  std::string bundled_by;
  {
    std::lock_guard lock(mutex_);
    auto bundled = app_of_bundled_service_.find(name);
    if (bundled != app_of_bundled_service_.end()) bundled_by = bundled->second;
  }
  CodeSigningIdentity identity = caller.code_signing();
  if (std::optional<std::string> refusal = SandboxRefusal(identity, name, bundled_by)) {
    caller.world().Record(TraceKind::kNote, caller, "lookup refused: " + *refusal);
    *failure = kSandboxLookupFailure;
    return nullptr;
  }
  if (!bundled_by.empty() && bundled_by != identity.signing_identifier) {
    // xpcservice.plist(5): an app's XPC services are in its namespace only.
    caller.world().Record(TraceKind::kNote, caller,
                          "lookup failed: \"" + name + "\" is an XPC service of " + bundled_by +
                              ", not of this process's app");
    return nullptr;
  }
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
  std::shared_ptr<Port> port;
  std::string job;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    if (it != entries_.end()) port = it->second.port.lock();
    if (port != nullptr && scope == LookupScope::kPrivilegedOnly && !it->second.privileged) {
      return nullptr;
    }
    auto owner = job_of_name_.find(name);
    if (owner != job_of_name_.end()) job = owner->second;
  }
  if (port == nullptr && !job.empty()) {
    // On macOS launchd holds the name and the request waits unanswered; here
    // the lookup fails, so the mistake shows at once (docs/launchd-and-sandbox.md).
    caller.world().Record(TraceKind::kNote, caller,
                          "lookup failed: the launchd job " + job + " was launched for \"" +
                              name + "\" but did not check in for it");
  }
  return port;
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
