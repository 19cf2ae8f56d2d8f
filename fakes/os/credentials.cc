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

// The simulated process's answer, or the real one.
template <typename Id>
Id Answer(Id (*simulated)(const Process&), Id (*real)()) {
  if (Process* process = SimulatedProcessOnThisThread()) return simulated(*process);
  return real();
}

pid_t Pid(const Process& process) { return process.pid(); }
pid_t ParentPid(const Process&) { return kLaunchdPid; }
uid_t Uid(const Process& process) { return process.identity().credentials.euid; }
gid_t Gid(const Process& process) { return process.identity().credentials.egid; }

}  // namespace

extern "C" {

pid_t getpid() noexcept { return Answer(Pid, real::Getpid); }
pid_t getppid() noexcept { return Answer(ParentPid, real::Getppid); }
uid_t getuid() noexcept { return Answer(Uid, real::Getuid); }
uid_t geteuid() noexcept { return Answer(Uid, real::Geteuid); }
gid_t getgid() noexcept { return Answer(Gid, real::Getgid); }
gid_t getegid() noexcept { return Answer(Gid, real::Getegid); }

}  // extern "C"
