// runtime/launchd_plist.h — what a job's files say, read from the real files.
//
// Three kinds of property list decide how a service is deployed on macOS, and
// each is read here (XML or binary, by libplist; see property_list.h) into a
// plain description the runtime acts on:
//
//   - a launchd job plist (launchd.plist(5)): ReadLaunchdJob
//       Label, MachServices, Program/ProgramArguments, RunAtLoad, KeepAlive
//       (incl. SuccessfulExit, Crashed), EnableTransactions/EnablePressuredExit,
//       ProcessType, ThrottleInterval, UserName/GroupName, Disabled,
//       LaunchEvents (incl. com.apple.xpc.activity criteria);
//   - an XPC service bundle's Info.plist (xpcservice.plist(5)): ReadXpcServiceBundle
//       CFBundleIdentifier (the service's name), CFBundlePackageType "XPC!",
//       XPCService { ServiceType, RunLoopType, JoinExistingSession,
//       EnvironmentVariables };
//   - an app's entitlements (.entitlements): ReadEntitlements.
//
//   std::string error;
//   std::optional<LaunchdJobSpec> job = ReadLaunchdJob("com.example.helper.plist", &error);
//   if (!job) ... error is "com.example.helper.plist: key \"MachServices\": expected a
//                 dictionary, found an array"
//
// A key launchd knows with a value of the wrong type, or a required key that
// is missing, is an error naming the file and the key. Keys launchd knows but
// xpctest does not simulate (WatchPaths, Sockets, ...) and unknown keys are
// accepted and ignored, as launchd ignores keys it does not know.
//
// Thread safety: plain values.
#ifndef XPCTEST_FAKES_RUNTIME_LAUNCHD_PLIST_H
#define XPCTEST_FAKES_RUNTIME_LAUNCHD_PLIST_H

#include <xpc/xpc.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/identity.h"
#include "runtime/xpc_ref.h"

namespace xpctest::fakes::runtime {

// launchd.plist(5) KeepAlive: a boolean, or conditions launchd ORs.
struct KeepAlivePolicy {
  bool always = false;
  // SuccessfulExit: true relaunches after an exit with status 0, false after
  // any other end (a non-zero status, a signal, a crash).
  std::optional<bool> successful_exit;
  // Crashed: true relaunches after a crash, false after any end but a crash.
  std::optional<bool> crashed;

  bool enabled() const { return always || successful_exit.has_value() || crashed.has_value(); }
};

// One event a job subscribes to in LaunchEvents: stream > name > descriptor.
struct LaunchEventSpec {
  std::string stream;  // "com.apple.notifyd.matching", "com.apple.xpc.activity", ...
  std::string name;    // the key under the stream: the event's XPC_EVENT_KEY_NAME
  XpcRef descriptor;   // the dictionary under that key
};

// The stream under LaunchEvents whose entries are XPC activities (activity.h).
inline constexpr const char* kActivityLaunchEventStream = "com.apple.xpc.activity";

struct LaunchdJobSpec {
  std::string file;
  std::string label;
  // The advertised names, in the file's order (a name set to false is not).
  std::vector<std::string> mach_services;
  // Program, or else ProgramArguments[0] (or BundleProgram).
  std::string program;
  // The job's argv: ProgramArguments, or just {Program} without them.
  std::vector<std::string> arguments;
  bool run_at_load = false;  // KeepAlive implies it
  KeepAlivePolicy keep_alive;
  // EnableTransactions (or EnablePressuredExit, which implies it): launchd
  // stops an idle job at once and a busy one after its transactions (S113).
  bool enable_transactions = false;
  std::string process_type;  // "" (Standard), Background, Standard, Adaptive, Interactive
  int64_t throttle_interval_seconds = 10;
  std::optional<std::string> user_name;
  std::optional<std::string> group_name;
  std::vector<LaunchEventSpec> launch_events;
};

// xpcservice.plist(5).
struct XpcServiceBundleSpec {
  std::string file;
  std::string name;             // CFBundleIdentifier
  std::string executable;       // CFBundleExecutable, or the name
  std::string service_type;     // Application (default), User, System
  std::string run_loop_type;    // dispatch_main (default), NSRunLoop
  bool join_existing_session = false;
  std::map<std::string, std::string> environment;
};

std::optional<LaunchdJobSpec> ReadLaunchdJob(const std::string& path, std::string* error);
std::optional<XpcServiceBundleSpec> ReadXpcServiceBundle(const std::string& path,
                                                         std::string* error);
// Adds the entitlements in `path` to `identity` (booleans as "true"/"false",
// integers as decimal text, strings as they are, arrays of strings to
// entitlement_lists).
bool ReadEntitlements(const std::string& path, CodeSigningIdentity* identity, std::string* error);

// Checks one activity criteria dictionary (activity.h's keys); on error says
// which key of `where` is wrong.
bool CheckActivityCriteria(xpc_object_t criteria, const std::string& where, std::string* error);

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_LAUNCHD_PLIST_H
