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

std::shared_ptr<Port> Bootstrap::LivePort(const Entry& entry) {
  std::shared_ptr<Port> port = entry.port.lock();
  // S62: a dead process serves nothing, though its listener may not have
  // been torn down yet (its process's residents are told one at a time).
  if (port != nullptr && !port->port_owner().alive()) return nullptr;
  return port;
}

ClaimResult Bootstrap::Claim(const std::string& name, std::weak_ptr<Port> port, bool privileged,
                             std::string* why) {
  std::shared_ptr<Port> claimant = port.lock();
  Process* process = claimant != nullptr ? &claimant->port_owner() : nullptr;
  const std::string claimer_job = process != nullptr ? process->launchd_job() : std::string();
  std::string refusal;
  ClaimResult result = ClaimResult::kClaimed;
  std::shared_ptr<Launch> launch;
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
      if (it != entries_.end() && LivePort(it->second) != nullptr) {
        result = ClaimResult::kTaken;
        refusal = "\"" + name + "\" is already served by a live listener";
      } else {
        entries_[name] = Entry{std::move(port), privileged};
        auto pending = launches_.find(name);
        if (pending != launches_.end()) {
          launch = std::move(pending->second);
          launches_.erase(pending);
        }
      }
    }
  }
  // The launched service checked in: lookups waiting on it go on.
  if (launch != nullptr) launch->CheckIn();
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

bool Bootstrap::Admits(const std::string& name, Process& caller, std::string* failure) {
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
    return false;
  }
  if (!bundled_by.empty() && bundled_by != identity.signing_identifier) {
    // xpcservice.plist(5): an app's XPC services are in its namespace only.
    caller.world().Record(TraceKind::kNote, caller,
                          "lookup failed: \"" + name + "\" is an XPC service of " + bundled_by +
                              ", not of this process's app");
    return false;
  }
  return true;
}

void Bootstrap::NoteUnclaimedJobName(const std::string& name, Process& caller) {
  std::string job;
  {
    std::lock_guard lock(mutex_);
    auto owner = job_of_name_.find(name);
    if (owner == job_of_name_.end()) return;
    job = owner->second;
  }
  // On macOS launchd holds the name and the request waits unanswered; here
  // the lookup fails, so the mistake shows at once (docs/launchd-and-sandbox.md).
  caller.world().Record(TraceKind::kNote, caller,
                        "lookup failed: the launchd job " + job + " was launched for \"" + name +
                            "\" but did not check in for it");
}

Bootstrap::Standing Bootstrap::StandingLocked(const std::string& name, LookupScope scope) {
  Standing standing;
  auto it = entries_.find(name);
  if (it != entries_.end()) {
    standing.port = LivePort(it->second);
    standing.in_scope = scope == LookupScope::kAny || it->second.privileged;
  }
  auto pending = launches_.find(name);
  if (pending != launches_.end()) {
    if (pending->second->settled()) {
      launches_.erase(pending);
    } else {
      standing.launch = pending->second;
    }
  }
  auto launcher = launchers_.find(name);
  if (launcher != launchers_.end()) standing.launcher = launcher->second;
  return standing;
}

std::shared_ptr<Launch> Bootstrap::LaunchOnce(const std::string& name) {
  std::lock_guard launching(launch_mutex_);
  Launcher launcher;
  {
    std::lock_guard lock(mutex_);
    Standing standing = StandingLocked(name, LookupScope::kAny);
    if (standing.port != nullptr) return nullptr;
    if (standing.launch != nullptr) return standing.launch;
    if (!standing.launcher) return nullptr;
    launcher = standing.launcher;
  }
  // The launcher runs the service's code, which claims the name: no lock here.
  return launcher(name);
}

std::shared_ptr<Port> Bootstrap::Lookup(const std::string& name, LookupScope scope,
                                        Process& caller, std::string* failure) {
  *failure = kNoSuchProcessLookupFailure;
  if (!Admits(name, caller, failure)) return nullptr;
  bool waited = false;
  for (;;) {
    std::shared_ptr<Launch> launch;
    {
      std::lock_guard lock(mutex_);
      Standing standing = StandingLocked(name, scope);
      if (standing.port != nullptr) return standing.in_scope ? standing.port : nullptr;
      // A launch we waited on settled without checking in: do not launch again.
      if (waited) break;
      launch = standing.launch;
      if (launch == nullptr && !standing.launcher) return nullptr;
    }
    if (launch == nullptr) launch = LaunchOnce(name);
    if (launch == nullptr) {
      std::lock_guard lock(mutex_);
      Standing standing = StandingLocked(name, scope);
      if (standing.port != nullptr) return standing.in_scope ? standing.port : nullptr;
      break;
    }
    launch->WaitUntilResolved("xpc_connection lookup");
    waited = true;
  }
  NoteUnclaimedJobName(name, caller);
  return nullptr;
}

bool Bootstrap::Resolve(const std::string& name, LookupScope scope, Process& caller,
                        std::string* failure, std::function<void()> unserved) {
  *failure = kNoSuchProcessLookupFailure;
  if (!Admits(name, caller, failure)) return false;
  std::shared_ptr<Launch> launch;
  {
    std::lock_guard lock(mutex_);
    Standing standing = StandingLocked(name, scope);
    if (standing.port != nullptr) return standing.in_scope;
    launch = standing.launch;
    if (launch == nullptr && !standing.launcher) return false;
  }
  if (launch == nullptr) launch = LaunchOnce(name);
  {
    std::lock_guard lock(mutex_);
    Standing standing = StandingLocked(name, scope);
    if (standing.port != nullptr) return standing.in_scope;
  }
  if (launch == nullptr || launch->settled()) {
    NoteUnclaimedJobName(name, caller);
    return false;
  }
  // Still starting (the threaded executor runs main on its own thread): the
  // client goes on, and hears of it if nobody ever checks in.
  // The trace says why, as a lookup that waited would (processes outlive
  // every launch: a world settles its launches before it frees them).
  launch->OnUnserved([this, name, caller = &caller, unserved = std::move(unserved)] {
    NoteUnclaimedJobName(name, *caller);
    unserved();
  });
  return true;
}

std::shared_ptr<Port> Bootstrap::Claimant(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(name);
  return it != entries_.end() ? LivePort(it->second) : nullptr;
}

void Bootstrap::SetLauncher(const std::string& name, Launcher launcher) {
  std::lock_guard lock(mutex_);
  launchers_[name] = std::move(launcher);
}

void Bootstrap::RemoveLauncher(const std::string& name) {
  std::lock_guard lock(mutex_);
  launchers_.erase(name);
}

void Bootstrap::AddLaunch(const std::string& name, std::shared_ptr<Launch> launch) {
  std::lock_guard lock(mutex_);
  launches_[name] = std::move(launch);
}

}  // namespace xpctest::fakes::runtime
