// runtime/services.h — unmodified service mains, launched on demand.
//
// A service registered here is started when a client looks its name up and
// no live listener serves it (launch on demand): a new simulated process runs
// the service's `main(argc, argv)` on its own fiber until main parks in
// dispatch_main() or xpc_main() (P11), or returns (the process exits). After a
// crash, the next lookup launches it again, with a new pid (S62).
//
// Where main runs: on the deterministic executor, on the thread of the lookup
// that launched it (the executor's one thread), before the lookup returns; a
// sleep() or a wait in main runs the world meanwhile. On the threaded
// executor, on a launch thread of its own, so a main that blocks before it
// parks never blocks the client whose lookup launched it; lookups that need
// the listener wait for it to check in (runtime/launch.h).
//
// Two kinds of main:
//  - linked into the program (ServiceDefinition::main): every launch shares
//    the program's globals, so a static in the service keeps its value across
//    launches, processes and tests;
//  - a service module (ServiceDefinition::module_path, built with
//    xpctest_add_service_module): every launch loads a private copy
//    (runtime/service_module.h), so its globals start from zero each time, as
//    a real process's do.
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_SERVICES_H
#define XPCTEST_FAKES_RUNTIME_SERVICES_H

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dispatch/fiber.h"
#include "runtime/identity.h"
#include "runtime/launch.h"

namespace xpctest::fakes::runtime {

class Process;
class World;

using ServiceMain = int (*)(int argc, char** argv);

struct ServiceDefinition {
  std::string name;                    // the Mach-service or XPC-service name
  ServiceMain main = nullptr;          // linked in; or else:
  std::string module_path;             // a service module, one copy per launch
  std::vector<std::string> arguments;  // argv[1..]; argv[0] is the name
  Identity identity;
  // argv[0] when not empty (a launchd job's Program); otherwise the name.
  std::string argv0;
  // Set on the process before its main runs (launchd_jobs.h).
  std::string launchd_job;
};

class Services {
 public:
  explicit Services(World& world);
  ~Services();

  void Register(ServiceDefinition definition);
  // Starts the service now; null when it is unknown or the world is ending.
  std::shared_ptr<Launch> Start(const std::string& name);
  // The process of the service's most recent launch, or null.
  Process* Latest(const std::string& name);
  int launches(const std::string& name);
  // The world is ending, its executor shut down (every wait woken): launch
  // nothing more, and wait for every launch thread to finish.
  void Close();

 private:
  struct LaunchRecord;
  // Runs the launch's main on its fiber, on this thread, until it parks or
  // returns; then settles the launch.
  static void RunMain(LaunchRecord& record);

  World& world_;
  std::mutex mutex_;
  bool closed_ = false;
  std::map<std::string, ServiceDefinition> definitions_;
  std::map<std::string, Process*> latest_;
  std::map<std::string, int> launches_;
  std::vector<std::unique_ptr<LaunchRecord>> records_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_SERVICES_H
