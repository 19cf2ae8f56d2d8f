// The deployment part of the control interface (<xpctest/control.h>):
// launchd plists, XPC service bundles, entitlements and activities.
#include <xpctest/control.h>

#include "runtime/launchd_plist.h"
#include "runtime/world.h"

namespace xpctest::control {

namespace runtime = fakes::runtime;

const char* ActivityStateName(long state) { return runtime::ActivityStateName(state); }

std::string LoadEntitlements(const std::string& path, CodeSigningIdentity* identity) {
  std::string error;
  runtime::ReadEntitlements(path, identity, &error);
  return error;
}

PlistLoad World::LoadLaunchdPlist(const std::string& path, ServiceMain main,
                                  LaunchdJobOptions options) {
  PlistLoad load;
  std::optional<runtime::LaunchdJobSpec> spec = runtime::ReadLaunchdJob(path, &load.error);
  if (!spec) return load;
  load.name = spec->label;
  impl_->launchd().Load(std::move(*spec), main, std::move(options), &load.error);
  return load;
}

PlistLoad World::LoadXpcServiceBundle(const std::string& info_plist, ServiceMain main,
                                      XpcServiceBundleOptions options) {
  PlistLoad load;
  std::optional<runtime::XpcServiceBundleSpec> spec =
      runtime::ReadXpcServiceBundle(info_plist, &load.error);
  if (!spec) return load;
  load.name = spec->name;
  if (options.app_asid == -1) options.app_asid = impl_->host().identity().credentials.asid;
  impl_->launchd().LoadXpcServiceBundle(std::move(*spec), main, std::move(options), &load.error);
  return load;
}

Process World::JobProcess(const std::string& label) {
  return Process(impl_->launchd().Running(label));
}

int World::JobLaunches(const std::string& label) { return impl_->launchd().launches(label); }

bool World::StopJob(const std::string& label) { return impl_->launchd().Stop(label); }

bool World::UnloadJob(const std::string& label) { return impl_->launchd().Unload(label); }

std::string World::PostLaunchEvent(const std::string& label, const std::string& stream,
                                   const std::string& name, xpc_object_t payload) {
  std::string error;
  impl_->launchd().PostEvent(label, stream, name, payload, &error);
  return error;
}

void World::SetDeviceConditions(DeviceConditions conditions) {
  impl_->activities().SetDeviceConditions(conditions);
}

bool World::AskActivityToDefer(const std::string& process_name, const std::string& identifier) {
  return impl_->activities().AskToDefer(process_name, identifier);
}

long World::ActivityState(const std::string& process_name, const std::string& identifier) const {
  return impl_->activities().StateOf(process_name, identifier);
}

}  // namespace xpctest::control
