#include "runtime/launchd_plist.h"

#include <xpc/activity.h>

#include <initializer_list>

#include "runtime/property_list.h"

namespace xpctest::fakes::runtime {
namespace {

// A dictionary, or false with the complaint.
bool Dictionary(const PlistValue& value, std::string* error) {
  if (value.IsDictionary()) return true;
  return value.Complain(error, "expected a dictionary, found " + value.TypeName());
}

// A plist file whose top level is a dictionary.
std::optional<PropertyList> ReadDictionaryFile(const std::string& path, std::string* error) {
  std::optional<PropertyList> plist = PropertyList::Read(path, error);
  if (plist && !Dictionary(plist->root(), error)) return std::nullopt;
  return plist;
}

bool OneOf(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* candidate : allowed) {
    if (value == candidate) return true;
  }
  return false;
}

std::string Listed(std::initializer_list<const char*> allowed) {
  std::string text;
  for (const char* candidate : allowed) {
    if (!text.empty()) text += ", ";
    text += candidate;
  }
  return text;
}

// Reads an optional typed key into `*out`; false (with the error) when it is
// present with the wrong type.
bool OptionalBool(const PlistValue& parent, const char* key, bool* out, std::string* error) {
  PlistValue value = parent.Get(key);
  if (!value.present()) return true;
  std::optional<bool> read = value.Bool(error);
  if (!read) return false;
  *out = *read;
  return true;
}

bool OptionalString(const PlistValue& parent, const char* key, std::optional<std::string>* out,
                    std::string* error) {
  PlistValue value = parent.Get(key);
  if (!value.present()) return true;
  *out = value.String(error);
  return out->has_value();
}

bool OptionalChoice(const PlistValue& parent, const char* key,
                    std::initializer_list<const char*> allowed, std::string* out,
                    std::string* error) {
  PlistValue value = parent.Get(key);
  if (!value.present()) return true;
  std::optional<std::string> text = value.String(error);
  if (!text) return false;
  if (!OneOf(*text, allowed)) {
    return value.Complain(error, "\"" + *text + "\" is not one of " + Listed(allowed));
  }
  *out = *text;
  return true;
}

bool ReadKeepAlive(const PlistValue& value, KeepAlivePolicy* policy, std::string* error) {
  if (!value.present()) return true;
  if (value.IsBool()) {
    policy->always = *value.Bool(error);
    return true;
  }
  if (!value.IsDictionary()) {
    return value.Complain(error, "expected a boolean or a dictionary, found " + value.TypeName());
  }
  for (const char* key : {"SuccessfulExit", "Crashed"}) {
    PlistValue condition = value.Get(key);
    if (!condition.present()) continue;
    std::optional<bool> flag = condition.Bool(error);
    if (!flag) return false;
    (std::string(key) == "SuccessfulExit" ? policy->successful_exit : policy->crashed) = *flag;
  }
  // PathState and OtherJobEnabled conditions are accepted and never hold
  // here: nothing in a world watches paths or other jobs.
  return true;
}

bool ReadMachServices(const PlistValue& value, std::vector<std::string>* names,
                      std::string* error) {
  if (!value.present()) return true;
  if (!Dictionary(value, error)) return false;
  for (const std::string& name : value.Keys()) {
    PlistValue entry = value.Get(name);
    if (entry.IsBool()) {
      // launchd.plist(5): advertised only when true (or a dictionary).
      if (*entry.Bool(error)) names->push_back(name);
    } else if (entry.IsDictionary()) {
      for (const char* option : {"ResetAtClose", "HideUntilCheckIn"}) {
        bool ignored = false;
        if (!OptionalBool(entry, option, &ignored, error)) return false;
      }
      names->push_back(name);
    } else {
      return entry.Complain(error, "expected true or a dictionary, found " + entry.TypeName());
    }
  }
  return true;
}

bool ReadProgram(const PlistValue& root, LaunchdJobSpec* job, std::string* error) {
  PlistValue arguments = root.Get("ProgramArguments");
  if (arguments.present()) {
    std::optional<std::vector<std::string>> words = arguments.StringArray(error);
    if (!words) return false;
    if (words->empty()) return arguments.Complain(error, "must not be empty");
    job->arguments = *words;
  }
  std::optional<std::string> program;
  if (!OptionalString(root, "Program", &program, error)) return false;
  if (program) {
    // launchd.plist(5): Program must be an absolute path.
    if (program->empty() || (*program)[0] != '/') {
      return root.Get("Program").Complain(error, "\"" + *program + "\" is not an absolute path");
    }
    job->program = *program;
    if (job->arguments.empty()) job->arguments = {*program};
    return true;
  }
  std::optional<std::string> bundle_program;
  if (!OptionalString(root, "BundleProgram", &bundle_program, error)) return false;
  if (!job->arguments.empty()) {
    job->program = job->arguments[0];
  } else if (bundle_program) {
    job->program = *bundle_program;
    job->arguments = {*bundle_program};
  } else {
    return root.Complain(error, "needs Program or ProgramArguments (launchd.plist(5))");
  }
  return true;
}

bool ReadLaunchEvents(const PlistValue& value, std::vector<LaunchEventSpec>* events,
                      std::string* error) {
  if (!value.present()) return true;
  if (!Dictionary(value, error)) return false;
  for (const std::string& stream : value.Keys()) {
    PlistValue descriptors = value.Get(stream);
    if (!Dictionary(descriptors, error)) return false;
    for (const std::string& name : descriptors.Keys()) {
      PlistValue descriptor = descriptors.Get(name);
      if (!Dictionary(descriptor, error)) return false;
      XpcRef criteria = XpcRef::Adopt(descriptor.ToXpc());
      if (stream == kActivityLaunchEventStream &&
          !CheckActivityCriteria(criteria.get(), descriptor.Where(), error)) {
        return false;
      }
      events->push_back(LaunchEventSpec{stream, name, std::move(criteria)});
    }
  }
  return true;
}

}  // namespace

bool CheckActivityCriteria(xpc_object_t criteria, const std::string& where, std::string* error) {
  struct Key {
    const char* name;
    xpc_type_t type;
  };
  const Key keys[] = {
      {XPC_ACTIVITY_INTERVAL, XPC_TYPE_INT64},       {XPC_ACTIVITY_DELAY, XPC_TYPE_INT64},
      {XPC_ACTIVITY_GRACE_PERIOD, XPC_TYPE_INT64},   {XPC_ACTIVITY_REPEATING, XPC_TYPE_BOOL},
      {XPC_ACTIVITY_ALLOW_BATTERY, XPC_TYPE_BOOL},   {XPC_ACTIVITY_REQUIRE_SCREEN_SLEEP, XPC_TYPE_BOOL},
      {XPC_ACTIVITY_PREVENT_DEVICE_SLEEP, XPC_TYPE_BOOL},
      {XPC_ACTIVITY_PRIORITY, XPC_TYPE_STRING},
  };
  for (const Key& key : keys) {
    xpc_object_t value = xpc_dictionary_get_value(criteria, key.name);
    if (value == nullptr) continue;
    if (xpc_get_type(value) != key.type) {
      *error = where + " > \"" + key.name + "\": expected " + xpc_type_get_name(key.type) +
               ", found " + xpc_type_get_name(xpc_get_type(value));
      return false;
    }
    if (key.type == XPC_TYPE_INT64 && xpc_int64_get_value(value) < 0) {
      *error = where + " > \"" + key.name + "\": a number of seconds must not be negative";
      return false;
    }
  }
  const char* priority = xpc_dictionary_get_string(criteria, XPC_ACTIVITY_PRIORITY);
  if (priority != nullptr && std::string(priority) != XPC_ACTIVITY_PRIORITY_MAINTENANCE &&
      std::string(priority) != XPC_ACTIVITY_PRIORITY_UTILITY) {
    *error = where + " > \"" + XPC_ACTIVITY_PRIORITY + "\": \"" + priority + "\" is not " +
             XPC_ACTIVITY_PRIORITY_MAINTENANCE + " or " + XPC_ACTIVITY_PRIORITY_UTILITY;
    return false;
  }
  return true;
}

std::optional<LaunchdJobSpec> ReadLaunchdJob(const std::string& path, std::string* error) {
  std::optional<PropertyList> plist = ReadDictionaryFile(path, error);
  if (!plist) return std::nullopt;
  PlistValue root = plist->root();
  LaunchdJobSpec job;
  job.file = path;
  PlistValue label = root.Get("Label");
  if (!label.present()) {
    label.Complain(error, "is required (launchd.plist(5))");
    return std::nullopt;
  }
  std::optional<std::string> label_text = label.String(error);
  if (!label_text) return std::nullopt;
  if (label_text->empty()) {
    label.Complain(error, "must not be empty");
    return std::nullopt;
  }
  job.label = *label_text;
  bool disabled = false;
  if (!OptionalBool(root, "Disabled", &disabled, error)) return std::nullopt;
  if (disabled) {
    root.Get("Disabled").Complain(error, "is true: launchd does not load a disabled job");
    return std::nullopt;
  }
  bool pressured_exit = false;
  std::optional<int64_t> throttle;
  if (!ReadMachServices(root.Get("MachServices"), &job.mach_services, error) ||
      !ReadProgram(root, &job, error) ||
      !OptionalBool(root, "RunAtLoad", &job.run_at_load, error) ||
      !ReadKeepAlive(root.Get("KeepAlive"), &job.keep_alive, error) ||
      !OptionalBool(root, "EnableTransactions", &job.enable_transactions, error) ||
      !OptionalBool(root, "EnablePressuredExit", &pressured_exit, error) ||
      !OptionalChoice(root, "ProcessType", {"Background", "Standard", "Adaptive", "Interactive"},
                      &job.process_type, error) ||
      !OptionalString(root, "UserName", &job.user_name, error) ||
      !OptionalString(root, "GroupName", &job.group_name, error) ||
      !ReadLaunchEvents(root.Get("LaunchEvents"), &job.launch_events, error)) {
    return std::nullopt;
  }
  PlistValue throttle_value = root.Get("ThrottleInterval");
  if (throttle_value.present()) {
    throttle = throttle_value.Integer(error);
    if (!throttle) return std::nullopt;
    if (*throttle < 0) {
      throttle_value.Complain(error, "must not be negative");
      return std::nullopt;
    }
    job.throttle_interval_seconds = *throttle;
  }
  // launchd.plist(5): EnablePressuredExit implies EnableTransactions;
  // KeepAlive implies RunAtLoad.
  job.enable_transactions = job.enable_transactions || pressured_exit;
  job.run_at_load = job.run_at_load || job.keep_alive.enabled();
  return job;
}

std::optional<XpcServiceBundleSpec> ReadXpcServiceBundle(const std::string& path,
                                                         std::string* error) {
  std::optional<PropertyList> plist = ReadDictionaryFile(path, error);
  if (!plist) return std::nullopt;
  PlistValue root = plist->root();
  XpcServiceBundleSpec bundle;
  bundle.file = path;
  // xpcservice.plist(5): CFBundleIdentifier, CFBundlePackageType and
  // XPCService are required.
  for (const char* key : {"CFBundleIdentifier", "CFBundlePackageType", "XPCService"}) {
    if (!root.Get(key).present()) {
      root.Get(key).Complain(error, "is required in an XPC service's Info.plist "
                                    "(xpcservice.plist(5))");
      return std::nullopt;
    }
  }
  std::optional<std::string> identifier = root.Get("CFBundleIdentifier").String(error);
  if (!identifier) return std::nullopt;
  if (identifier->empty()) {
    root.Get("CFBundleIdentifier").Complain(error, "must not be empty");
    return std::nullopt;
  }
  bundle.name = *identifier;
  std::optional<std::string> package_type = root.Get("CFBundlePackageType").String(error);
  if (!package_type) return std::nullopt;
  if (*package_type != "XPC!") {
    root.Get("CFBundlePackageType")
        .Complain(error, "is \"" + *package_type + "\"; an XPC service bundle's is \"XPC!\"");
    return std::nullopt;
  }
  std::optional<std::string> executable;
  if (!OptionalString(root, "CFBundleExecutable", &executable, error)) return std::nullopt;
  bundle.executable = executable.value_or(bundle.name);
  PlistValue service = root.Get("XPCService");
  if (!Dictionary(service, error)) return std::nullopt;
  bundle.service_type = "Application";
  bundle.run_loop_type = "dispatch_main";
  if (!OptionalChoice(service, "ServiceType", {"Application", "User", "System"},
                      &bundle.service_type, error) ||
      !OptionalChoice(service, "RunLoopType", {"dispatch_main", "NSRunLoop"},
                      &bundle.run_loop_type, error) ||
      !OptionalBool(service, "JoinExistingSession", &bundle.join_existing_session, error)) {
    return std::nullopt;
  }
  PlistValue environment = service.Get("EnvironmentVariables");
  if (environment.present()) {
    if (!Dictionary(environment, error)) return std::nullopt;
    for (const std::string& name : environment.Keys()) {
      std::optional<std::string> value = environment.Get(name).String(error);
      if (!value) return std::nullopt;
      bundle.environment[name] = *value;
    }
  }
  return bundle;
}

bool ReadEntitlements(const std::string& path, CodeSigningIdentity* identity, std::string* error) {
  std::optional<PropertyList> plist = ReadDictionaryFile(path, error);
  if (!plist) return false;
  PlistValue root = plist->root();
  for (const std::string& key : root.Keys()) {
    PlistValue value = root.Get(key);
    if (value.IsArray()) {
      std::optional<std::vector<std::string>> strings = value.StringArray(error);
      if (!strings) return false;
      identity->entitlement_lists[key] = *strings;
    } else if (value.IsBool()) {
      identity->entitlements[key] = *value.Bool(error) ? "true" : "false";
    } else if (value.IsString()) {
      identity->entitlements[key] = *value.String(error);
    } else if (std::optional<int64_t> number = value.Integer(nullptr)) {
      identity->entitlements[key] = std::to_string(*number);
    } else {
      return value.Complain(error, "expected a boolean, a string, an integer or an array of "
                                   "strings, found " + value.TypeName());
    }
  }
  return true;
}

}  // namespace xpctest::fakes::runtime
