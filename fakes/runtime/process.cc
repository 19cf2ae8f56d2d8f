#include "runtime/process.h"

#include <algorithm>

#include <fmt/format.h>

#include "dispatch/domain.h"
#include "runtime/world.h"

namespace xpctest::fakes::runtime {

const char* ProcessStateName(ProcessState state) {
  switch (state) {
    case ProcessState::kRunning: return "running";
    case ProcessState::kHung: return "hung";
    case ProcessState::kCrashed: return "crashed";
    case ProcessState::kExited: return "exited";
  }
  return "?";
}

Process::Process(World& world, std::string name, Identity identity, dispatch::Domain& domain)
    : world_(world),
      name_(std::move(name)),
      identity_(std::move(identity)),
      domain_(domain),
      anchor_(std::make_shared<Anchor>()) {
  anchor_->process = this;
}

Process::~Process() {
  std::lock_guard lock(anchor_->mutex);
  anchor_->process = nullptr;
}

Transaction::Transaction(Process& process) : anchor_(process.anchor()) {
  process.BeginTransaction();
}

Transaction::~Transaction() {
  std::lock_guard lock(anchor_->mutex);
  if (anchor_->process != nullptr) anchor_->process->EndTransaction();
}

CodeSigningIdentity Process::code_signing() const {
  std::lock_guard lock(mutex_);
  return identity_.code_signing;
}

void Process::set_code_signing(CodeSigningIdentity code_signing) {
  std::lock_guard lock(mutex_);
  identity_.code_signing = std::move(code_signing);
}

bool Process::alive() const {
  ProcessState state = state_.load();
  return state == ProcessState::kRunning || state == ProcessState::kHung;
}

void Process::AddResident(std::weak_ptr<Resident> resident) {
  std::lock_guard lock(mutex_);
  // Forget residents that are gone, so long-lived processes stay small; only
  // when the list has doubled since the last sweep, so that adding stays
  // O(1) amortised (a sweep on every add made 100,000 connections quadratic).
  if (residents_.size() >= sweep_at_) {
    std::erase_if(residents_, [](const std::weak_ptr<Resident>& r) { return r.expired(); });
    sweep_at_ = std::max(kFirstSweep, 2 * residents_.size());
  }
  residents_.push_back(std::move(resident));
}

void Process::DescribeUnfinished(std::vector<std::string>& out) const {
  std::vector<std::shared_ptr<Resident>> residents;
  {
    std::lock_guard lock(mutex_);
    for (auto& weak : residents_) {
      if (auto resident = weak.lock()) residents.push_back(std::move(resident));
    }
  }
  for (auto& resident : residents) resident->DescribeUnfinished(out);
}

void Process::End(ProcessEnd how) {
  ProcessState expected = state_.load();
  ProcessState next = how == ProcessEnd::kCrash ? ProcessState::kCrashed : ProcessState::kExited;
  do {
    if (expected == ProcessState::kCrashed || expected == ProcessState::kExited) return;
  } while (!state_.compare_exchange_weak(expected, next));
  // First stop every queue of the process, so none of its handlers runs again.
  domain_.Kill();
  if (how != ProcessEnd::kExit) World::NoteProcessMemoryAbandoned();
  world_.Record(TraceKind::kProcess, *this,
                TraceText::Literal(how == ProcessEnd::kCrash    ? "crashed"
                                   : how == ProcessEnd::kUnload ? "unloaded"
                                                                : "exited"));
  std::vector<std::weak_ptr<Resident>> residents;
  {
    std::lock_guard lock(mutex_);
    residents.swap(residents_);
  }
  for (auto& weak : residents) {
    if (auto resident = weak.lock()) resident->OnProcessEnded(how);
  }
}

void Process::EndTransaction() {
  if (transactions_.fetch_sub(1) == 1 && terminating_.load()) {
    world_.Record(TraceKind::kProcess, *this, "last transaction ended");
    End(ProcessEnd::kExit);
  }
}

void Process::Terminate() {
  if (!alive() || terminating_.exchange(true)) return;
  if (transactions_.load() == 0) {
    world_.Record(TraceKind::kProcess, *this, "terminated while idle");
    End(ProcessEnd::kExit);
    return;
  }
  world_.Record(TraceKind::kProcess, *this,
                fmt::format("termination imminent ({} transactions open)", transactions_.load()));
  std::vector<std::shared_ptr<Resident>> residents;
  {
    std::lock_guard lock(mutex_);
    for (auto& weak : residents_) {
      if (auto resident = weak.lock()) residents.push_back(std::move(resident));
    }
  }
  for (auto& resident : residents) resident->OnTerminationImminent();
}

void Process::Hang() {
  ProcessState expected = ProcessState::kRunning;
  if (!state_.compare_exchange_strong(expected, ProcessState::kHung)) return;
  domain_.Pause();
  world_.Record(TraceKind::kProcess, *this, "hung");
}

void Process::Resume() {
  ProcessState expected = ProcessState::kHung;
  if (!state_.compare_exchange_strong(expected, ProcessState::kRunning)) return;
  domain_.Resume();
  world_.Record(TraceKind::kProcess, *this, "resumed");
}

}  // namespace xpctest::fakes::runtime
