// runtime/services.h — unmodified service mains, launched on demand.
//
// A service registered here is started when a client looks its name up and
// no live listener serves it (launch on demand): a new simulated process runs
// the service's `main(argc, argv)` on its own fiber until main parks in
// dispatch_main() or xpc_main() (P11), or returns (the process exits). After a
// crash, the next lookup launches it again, with a new pid (S62).
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_SERVICES_H
#define XPCTEST_FAKES_RUNTIME_SERVICES_H

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dispatch/fiber.h"
#include "runtime/identity.h"

namespace xpctest::fakes::runtime {

class Process;
class World;

using ServiceMain = int (*)(int argc, char** argv);

struct ServiceDefinition {
  std::string name;                    // the Mach-service or XPC-service name
  ServiceMain main = nullptr;
  std::vector<std::string> arguments;  // argv[1..]; argv[0] is the name
  Identity identity;
  // argv[0] when not empty (a launchd job's Program); otherwise the name.
  std::string argv0;
  // Set on the process before its main runs (launchd_jobs.h).
  std::string launchd_job;
};

class Services {
 public:
  explicit Services(World& world) : world_(world) {}
  ~Services();

  void Register(ServiceDefinition definition);
  // Starts the service now; false when it is unknown.
  bool Launch(const std::string& name);
  // The process of the service's most recent launch, or null.
  Process* Latest(const std::string& name);
  int launches(const std::string& name);

 private:
  World& world_;
  std::mutex mutex_;
  std::map<std::string, ServiceDefinition> definitions_;
  std::map<std::string, Process*> latest_;
  std::map<std::string, int> launches_;
  struct LaunchRecord {
    std::vector<std::string> words;
    std::vector<char*> argv;
    std::unique_ptr<dispatch::Fiber> fiber;
  };
  std::vector<std::unique_ptr<LaunchRecord>> records_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_SERVICES_H
