// runtime/process.h — a simulated process.
//
// A Process owns a dispatch domain: every queue created by code running "in"
// the process belongs to it, so crashing the process stops all of its work at
// once (design.md, "Simulated processes"). Connections register as residents
// and are told when the process ends, so their remote ends get the errors
// libxpc would deliver (S62–S70, S93, P3).
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_PROCESS_H
#define XPCTEST_FAKES_RUNTIME_PROCESS_H

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/identity.h"

namespace xpctest::fakes::dispatch {
class Domain;
}

namespace xpctest::fakes::runtime {

class World;

enum class ProcessState { kRunning, kHung, kCrashed, kExited };
const char* ProcessStateName(ProcessState state);

// How a process ended, as its peers may tell it apart.
// kUnload: launchd unloaded the job (S65): an exit its named clients hear of
// as INTERRUPTED then INVALID.
enum class ProcessEnd { kCrash, kExit, kUnload };

// Something that lives in a process and must react when the process ends.
class Resident {
 public:
  virtual ~Resident() = default;
  // Called once, outside the dead process, after its queues stopped.
  virtual void OnProcessEnded(ProcessEnd how) = 0;
  // Appends a line for each thing a test should have finished (a connection
  // never cancelled, a request never answered).
  virtual void DescribeUnfinished(std::vector<std::string>& out) const {}
  // The process was told to wind down (S66).
  virtual void OnTerminationImminent() {}
};

class Process {
 public:
  Process(World& world, std::string name, Identity identity, dispatch::Domain& domain);
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  World& world() const { return world_; }
  pid_t pid() const { return identity_.credentials.pid; }
  const std::string& name() const { return name_; }
  // Credentials are fixed at spawn; read code signing through code_signing(),
  // which may change while the process runs.
  const Identity& identity() const { return identity_; }
  // A copy of the code-signing identity, safe against set_code_signing on
  // another thread; peer requirements are checked against it (S115c).
  CodeSigningIdentity code_signing() const;
  void set_code_signing(CodeSigningIdentity code_signing);
  dispatch::Domain& domain() const { return domain_; }
  ProcessState state() const { return state_.load(); }
  bool alive() const;

  void AddResident(std::weak_ptr<Resident> resident);
  // DescribeUnfinished of every live resident.
  void DescribeUnfinished(std::vector<std::string>& out) const;

  // Ends the process: its pending work never runs, no handler of it runs again,
  // and each resident is told. Idempotent.
  void End(ProcessEnd how);
  // Stops running the process's work without ending it; peers see nothing.
  void Hang();
  void Resume();

  // The service name a launched service process serves (xpc_main's name).
  // Set once, before the process runs any code.
  void set_service_name(std::string name) { service_name_ = std::move(name); }
  const std::string& service_name() const { return service_name_; }
  // The label of the launchd job this process runs (launchd_jobs.h), or
  // empty. Set once, before the process runs any code.
  void set_launchd_job(std::string label) { launchd_job_ = std::move(label); }
  const std::string& launchd_job() const { return launchd_job_; }
  // What a service main returned, once it has (launchd's KeepAlive
  // SuccessfulExit looks at it); -1 until then, and for a process that ended
  // any other way.
  void set_exit_status(int status) { exit_status_.store(status); }
  int exit_status() const { return exit_status_.load(); }

  // Outlives the process: `process` is null once it is destroyed.
  struct Anchor {
    std::mutex mutex;
    Process* process;
  };
  ~Process();
  const std::shared_ptr<Anchor>& anchor() const { return anchor_; }

  // S113 transaction accounting: messages being handled by a peer's handler,
  // replies made and not yet sent, and xpc_transaction_begin/end.
  void BeginTransaction() { transactions_.fetch_add(1); }
  // The last transaction of a process told to terminate ends it (S113).
  void EndTransaction();
  int64_t transactions() const { return transactions_.load(); }

  // The system wants the process gone (S66, S113): idle, it exits now;
  // otherwise its service-side peers get TERMINATION_IMMINENT, receive no
  // more messages, and the process exits when its last transaction ends.
  void Terminate();
  bool terminating() const { return terminating_.load(); }

 private:
  World& world_;
  const std::string name_;
  Identity identity_;
  dispatch::Domain& domain_;
  std::atomic<ProcessState> state_{ProcessState::kRunning};
  std::atomic<int64_t> transactions_{0};
  std::atomic<bool> terminating_{false};
  std::shared_ptr<Anchor> anchor_;
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<Resident>> residents_;
  // AddResident sweeps out expired residents when the list reaches this size.
  static constexpr size_t kFirstSweep = 16;
  size_t sweep_at_ = kFirstSweep;
  std::string service_name_;
  std::string launchd_job_;
  std::atomic<int> exit_status_{-1};
};

// One open transaction of a process (S113), ended when its owner lets go.
// A reply can outlive its world (a test keeps it): the transaction then ends
// with nobody to tell, through the process's anchor.
class Transaction {
 public:
  explicit Transaction(Process& process);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  std::shared_ptr<Process::Anchor> anchor_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_PROCESS_H
