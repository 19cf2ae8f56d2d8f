// getpid, getppid, getuid, geteuid, getgid, getegid, interposed: code
// running as a simulated process gets its credentials (xpctest::Credentials);
// everyone else the real ones. A launched process's parent is launchd (pid 1),
// and it has not changed identity: its real uid and gid are its effective ones.
#include <unistd.h>

#include "base/real_os.h"
#include "runtime/process.h"
#include "runtime/process_domain.h"

using xpctest::fakes::runtime::Process;
using xpctest::fakes::runtime::SimulatedProcessOnThisThread;
namespace real = xpctest::fakes::real;

namespace {

// launchd's pid: the parent of every process launchd starts.
constexpr pid_t kLaunchdPid = 1;

}  // namespace

extern "C" {

pid_t getpid() noexcept {
  if (Process* process = SimulatedProcessOnThisThread()) return process->pid();
  return real::Getpid();
}

pid_t getppid() noexcept {
  if (SimulatedProcessOnThisThread() != nullptr) return kLaunchdPid;
  return real::Getppid();
}

uid_t getuid() noexcept {
  if (Process* process = SimulatedProcessOnThisThread()) {
    return process->identity().credentials.euid;
  }
  return real::Getuid();
}

uid_t geteuid() noexcept {
  if (Process* process = SimulatedProcessOnThisThread()) {
    return process->identity().credentials.euid;
  }
  return real::Geteuid();
}

gid_t getgid() noexcept {
  if (Process* process = SimulatedProcessOnThisThread()) {
    return process->identity().credentials.egid;
  }
  return real::Getgid();
}

gid_t getegid() noexcept {
  if (Process* process = SimulatedProcessOnThisThread()) {
    return process->identity().credentials.egid;
  }
  return real::Getegid();
}

}  // extern "C"
