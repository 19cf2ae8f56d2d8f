// xpctest/launchd.h — how a job plist or an XPC service bundle is installed,
// for World::LoadLaunchdPlist and World::LoadXpcServiceBundle
// (<xpctest/control.h>; docs/launchd-and-sandbox.md).
//
//   world.LoadLaunchdPlist("com.example.helper.plist", helper_main,
//                          {.domain = xpctest::LaunchdDomain::kSystemDaemon});
#ifndef XPCTEST_LAUNCHD_H
#define XPCTEST_LAUNCHD_H

#include <sys/types.h>

#include <string>

#include <xpctest/identity.h>

namespace xpctest {

// Where a launchd job plist is installed.
enum class LaunchdDomain {
  kUserAgent,     // ~/Library/LaunchAgents: runs as the user; UserName is ignored
  kSystemDaemon,  // /Library/LaunchDaemons: runs as root, or as UserName/GroupName
};

struct LaunchdJobOptions {
  LaunchdDomain domain = LaunchdDomain::kUserAgent;
  // The job's code signature (its signing identifier defaults to the Label).
  CodeSigningIdentity code_signing;
};

struct XpcServiceBundleOptions {
  // The signing identifier of the app whose Contents/XPCServices holds the
  // service: only that app's processes find it, and a sandboxed app may look
  // it up. Empty: any process finds it.
  std::string app_identifier;
  // The app's audit session, which the service joins when its Info.plist
  // says JoinExistingSession; -1: the host's.
  pid_t app_asid = -1;
  // The service's code signature (its signing identifier defaults to its
  // CFBundleIdentifier).
  CodeSigningIdentity code_signing;
};

}  // namespace xpctest

#endif  // XPCTEST_LAUNCHD_H
