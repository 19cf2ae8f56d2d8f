// <os/log.h>: each message becomes a "log" entry in the world's trace, with
// the process that wrote it.
#include <os/log.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "os/log_format.h"
#include "runtime/process.h"
#include "runtime/process_domain.h"
#include "runtime/world.h"

// A log object: its subsystem and category, "" for OS_LOG_DEFAULT's.
struct os_log_s {
  const char* subsystem;
  const char* category;
};

// The header's declaration gives it xpctest's link name. Constant-initialized:
// usable before any static constructor runs.
struct os_log_s _os_log_default = {"", ""};

namespace xpctest::fakes::os {
namespace {

const char* TypeName(os_log_type_t type) {
  switch (type) {
    case OS_LOG_TYPE_INFO: return "info";
    case OS_LOG_TYPE_DEBUG: return "debug";
    case OS_LOG_TYPE_ERROR: return "error";
    case OS_LOG_TYPE_FAULT: return "fault";
    default: return "default";
  }
}

// Xcode sets OS_ACTIVITY_DT_MODE to mirror the log on stderr; so do we.
bool MirrorToStderr() {
  static const bool mirror = [] {
    const char* mode = std::getenv("OS_ACTIVITY_DT_MODE");
    if (mode == nullptr) return false;
    std::string_view value(mode);
    return !value.empty() && value != "0" && value != "NO" && value != "no";
  }();
  return mirror;
}

}  // namespace

// os_log_create's objects, one per (subsystem, category), never freed: macOS
// keeps them for the life of the process too.
os_log_t InternLog(const char* subsystem, const char* category) {
  static std::mutex mutex;
  static auto* logs = new std::map<std::pair<std::string, std::string>, os_log_s*>();
  std::lock_guard lock(mutex);
  auto key = std::make_pair(std::string(subsystem), std::string(category));
  auto it = logs->find(key);
  if (it != logs->end()) return it->second;
  auto inserted = logs->emplace(std::move(key), nullptr).first;
  inserted->second = new os_log_s{inserted->first.first.c_str(), inserted->first.second.c_str()};
  return inserted->second;
}

}  // namespace xpctest::fakes::os

extern "C" {

os_log_t os_log_create(const char* subsystem, const char* category) {
  return xpctest::fakes::os::InternLog(subsystem != nullptr ? subsystem : "",
                                       category != nullptr ? category : "");
}

bool os_log_type_enabled(os_log_t log, os_log_type_t type) { return log != OS_LOG_DISABLED; }

void xpctest_os_log_emit(os_log_t log, os_log_type_t type, const char* format, ...) {
  using namespace xpctest::fakes;
  if (log == OS_LOG_DISABLED) return;
  va_list args;
  va_start(args, format);
  std::string message = os::FormatLogMessage(format, args);
  va_end(args);

  std::string text = os::TypeName(type);
  if (*log->subsystem != '\0' || *log->category != '\0') {
    text += " [";
    text += log->subsystem;
    text += ':';
    text += log->category;
    text += ']';
  }
  text += ": ";
  text += message;
  // The writer's world: its own, or the installed one for the host.
  runtime::Process* simulated = runtime::SimulatedProcessOnThisThread();
  runtime::World& world = simulated != nullptr ? simulated->world() : runtime::World::Current();
  runtime::Process& process = simulated != nullptr ? *simulated : world.CurrentProcess();
  if (os::MirrorToStderr()) {
    std::fprintf(stderr, "%s[%d] %s\n", process.name().c_str(), process.pid(), text.c_str());
  }
  world.Record(xpctest::TraceKind::kLog, process, std::move(text));
}

}  // extern "C"
