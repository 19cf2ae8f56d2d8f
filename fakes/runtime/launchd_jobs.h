// runtime/launchd_jobs.h — launchd, as far as a service's deployment shows.
//
// A test loads the user's real job plist (launchd_plist.h) with the service's
// main; the world then does what launchd does with it:
//
//   - the job's MachServices belong to it: only its process checks in for
//     them, and it checks in for nothing else (P1 from the file, S89);
//   - a lookup of one of them launches the job on demand, with the plist's
//     ProgramArguments as argv, as the plist's UserName/GroupName for a daemon
//     (root by default) or as the user for an agent;
//   - RunAtLoad (implied by KeepAlive) launches it at load;
//   - KeepAlive relaunches it after it ends (always, or on SuccessfulExit /
//     Crashed), no sooner than ThrottleInterval after its last launch (10 s);
//   - Stop is launchd stopping the job (idle exit, shutdown): with
//     EnableTransactions the S113 rules apply (idle: exits now; busy: its
//     peers get TERMINATION_IMMINENT and it exits with its last transaction),
//     without it the job is sent SIGTERM and ends at once;
//   - LaunchEvents are the event streams it may be sent events on (S114),
//     which launch it on demand; com.apple.xpc.activity entries are activities
//     (activity_scheduler.h);
//   - Unload is launchctl unload (S65).
//
// XPC service bundles (an Info.plist, xpcservice.plist(5)) are loaded here
// too: CFBundleIdentifier is the service's name, launched on demand; bundled
// in an app, it is in that app's namespace only.
//
//   std::string error;
//   std::optional<LaunchdJobSpec> spec = ReadLaunchdJob("com.example.helper.plist", &error);
//   world.launchd().Load(*spec, helper_main, {}, &error);
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_LAUNCHD_JOBS_H
#define XPCTEST_FAKES_RUNTIME_LAUNCHD_JOBS_H

#include <dispatch/dispatch.h>
#include <xpc/xpc.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <xpctest/launchd.h>

#include "runtime/launchd_plist.h"
#include "runtime/process.h"
#include "runtime/services.h"

namespace xpctest::fakes::runtime {

class World;

using xpctest::LaunchdDomain;
using xpctest::LaunchdJobOptions;
using xpctest::XpcServiceBundleOptions;

class LaunchdJobs {
 public:
  explicit LaunchdJobs(World& world);
  ~LaunchdJobs();

  // Loads a job: false with `*error` when its label is already loaded or one
  // of its MachServices is advertised by another loaded job.
  bool Load(LaunchdJobSpec spec, ServiceMain main, LaunchdJobOptions options,
            std::string* error);
  bool LoadXpcServiceBundle(XpcServiceBundleSpec spec, ServiceMain main,
                            XpcServiceBundleOptions options, std::string* error);

  // Launches the job now unless it runs already, and returns once its main
  // parked or returned; false when it is not loaded.
  bool Launch(const std::string& label, const char* why);
  // A lookup of one of the job's MachServices launches it: the launch in
  // progress (on the threaded executor its main may still run), or null when
  // none started (the job runs already, or is not loaded).
  std::shared_ptr<runtime::Launch> LaunchOnDemand(const std::string& label);
  // The job's process while it runs, or null.
  Process* Running(const std::string& label);
  int launches(const std::string& label);
  // launchd stops the job (see above); false when it does not run.
  bool Stop(const std::string& label);
  // launchctl unload: the job's process ends (S65) and nothing launches it again.
  bool Unload(const std::string& label);
  // Sends the job an event on a stream its LaunchEvents declare (launching
  // it when it does not run); false with `*error` when the plist does not
  // declare LaunchEvents > stream > name.
  bool PostEvent(const std::string& label, const std::string& stream, const std::string& name,
                 xpc_object_t payload, std::string* error);

  // The world is ending: nothing is relaunched from now on; Clear lets go of
  // the timers' queue.
  void Shutdown();
  void Clear();

 private:
  struct Job;
  class Watcher;

  // Launch without the wait: true when the job runs now, `*started` the
  // launch when this call started it.
  bool Start(const std::string& label, const char* why,
             std::shared_ptr<runtime::Launch>* started);
  void OnEnded(const std::string& label, Process& process, ProcessEnd how);
  void Relaunch(const std::string& label, uint64_t delay_ns);
  // A simulated uid or gid for a user or group name (launchd_jobs.cc).
  uid_t UserId(const std::string& name, gid_t* primary_group);
  gid_t GroupId(const std::string& name);

  World& world_;
  std::mutex mutex_;
  bool shut_down_ = false;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::map<std::string, uid_t> simulated_ids_;
  dispatch_queue_t timers_ = nullptr;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_LAUNCHD_JOBS_H
