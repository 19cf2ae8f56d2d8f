// The C entry points of <xpctest/control_c.h>: check each argument, call the
// C++ control interface (<xpctest/control.h>), convert the result.
#include <xpctest/control_c.h>
#include <xpctest/control.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/report.h"

using xpctest::control::MessageFault;
using xpctest::control::Process;
using xpctest::control::ScopedProcess;
using xpctest::control::World;

struct xpctest_world_s {
  explicit xpctest_world_s(xpctest::control::WorldOptions options) : world(options) {}
  World world;
  // xpctest_process_enter's scopes, innermost last.
  std::vector<std::unique_ptr<ScopedProcess>> entered;
};

namespace {

bool Usable(xpctest_world_t world, const char* call) {
  if (world != nullptr) return true;
  xpctest::fakes::ReportWarning(call, "the world is NULL");
  return false;
}

// The process `pid` of `world`, or an empty handle after a warning.
Process Find(xpctest_world_t world, pid_t pid, const char* call) {
  if (!Usable(world, call)) return Process();
  Process process = world->world.Find(pid);
  if (!process) {
    xpctest::fakes::ReportWarning(call, "no process with pid " + std::to_string(pid) +
                                            " in this world");
  }
  return process;
}

// Does `action` to process `pid`; false when there is none.
bool Act(xpctest_world_t world, pid_t pid, const char* call, void (Process::*action)()) {
  Process process = Find(world, pid, call);
  if (process) (process.*action)();
  return static_cast<bool>(process);
}

bool Named(const char* name, const char* call) {
  if (name != nullptr) return true;
  xpctest::fakes::ReportWarning(call, "the service name is NULL");
  return false;
}

}  // namespace

extern "C" {

xpctest_world_t xpctest_world_create(xpctest_executor_t executor, uint64_t seed) {
  xpctest::control::WorldOptions options;
  options.executor = executor == XPCTEST_EXECUTOR_THREADED
                         ? xpctest::control::ExecutorKind::kThreaded
                         : xpctest::control::ExecutorKind::kDeterministic;
  options.seed = seed;
  return new xpctest_world_s(options);
}

void xpctest_world_destroy(xpctest_world_t world) {
  if (world == nullptr) return;
  // Scopes left entered end before their world (innermost first).
  while (!world->entered.empty()) world->entered.pop_back();
  delete world;
}

pid_t xpctest_world_host(xpctest_world_t world) {
  return Usable(world, "xpctest_world_host") ? world->world.host().pid() : 0;
}

pid_t xpctest_process_spawn(xpctest_world_t world, const char* name) {
  if (!Usable(world, "xpctest_process_spawn")) return 0;
  return world->world.Spawn(name != nullptr ? name : "process").pid();
}

bool xpctest_process_crash(xpctest_world_t world, pid_t pid) {
  return Act(world, pid, "xpctest_process_crash", &Process::Crash);
}

bool xpctest_process_exit(xpctest_world_t world, pid_t pid) {
  return Act(world, pid, "xpctest_process_exit", &Process::Exit);
}

bool xpctest_process_hang(xpctest_world_t world, pid_t pid) {
  return Act(world, pid, "xpctest_process_hang", &Process::Hang);
}

bool xpctest_process_resume(xpctest_world_t world, pid_t pid) {
  return Act(world, pid, "xpctest_process_resume", &Process::Resume);
}

const char* xpctest_process_state(xpctest_world_t world, pid_t pid) {
  Process process = Find(world, pid, "xpctest_process_state");
  if (!process) return nullptr;
  // The C caller gets a literal, never a pointer into a temporary.
  static const char* const kStates[] = {"running", "hung", "crashed", "exited"};
  std::string state = process.state();
  for (const char* known : kStates) {
    if (state == known) return known;
  }
  return "unknown";
}

bool xpctest_process_enter(xpctest_world_t world, pid_t pid) {
  Process process = Find(world, pid, "xpctest_process_enter");
  if (!process) return false;
  world->entered.push_back(std::make_unique<ScopedProcess>(process));
  return true;
}

void xpctest_process_leave(xpctest_world_t world) {
  if (!Usable(world, "xpctest_process_leave")) return;
  if (world->entered.empty()) {
    xpctest::fakes::ReportWarning("xpctest_process_leave", "no xpctest_process_enter to end");
    return;
  }
  world->entered.pop_back();
}

void xpctest_world_register_service(xpctest_world_t world, const char* name,
                                    int (*service_main)(int argc, char** argv)) {
  if (!Usable(world, "xpctest_world_register_service") ||
      !Named(name, "xpctest_world_register_service")) {
    return;
  }
  if (service_main == nullptr) {
    xpctest::fakes::ReportWarning("xpctest_world_register_service", "the service main is NULL");
    return;
  }
  world->world.RegisterService(name, service_main);
}

bool xpctest_world_launch_service(xpctest_world_t world, const char* name) {
  if (!Usable(world, "xpctest_world_launch_service") ||
      !Named(name, "xpctest_world_launch_service")) {
    return false;
  }
  return world->world.LaunchService(name);
}

pid_t xpctest_world_service_pid(xpctest_world_t world, const char* name) {
  if (!Usable(world, "xpctest_world_service_pid") || !Named(name, "xpctest_world_service_pid")) {
    return 0;
  }
  Process process = world->world.ServiceProcess(name);
  return process ? process.pid() : 0;
}

int xpctest_world_add_fault(xpctest_world_t world, const xpctest_fault_t* fault) {
  if (!Usable(world, "xpctest_world_add_fault")) return -1;
  if (fault == nullptr) {
    xpctest::fakes::ReportWarning("xpctest_world_add_fault", "the fault is NULL");
    return -1;
  }
  MessageFault rule;
  switch (fault->direction) {
    case XPCTEST_FAULT_ANY_MESSAGE: rule.direction = MessageFault::Direction::kAny; break;
    case XPCTEST_FAULT_REQUESTS: rule.direction = MessageFault::Direction::kRequest; break;
    case XPCTEST_FAULT_EVENTS: rule.direction = MessageFault::Direction::kEvent; break;
    case XPCTEST_FAULT_REPLIES: rule.direction = MessageFault::Direction::kReply; break;
  }
  switch (fault->action) {
    case XPCTEST_FAULT_DROP: rule.action = MessageFault::Action::kDrop; break;
    case XPCTEST_FAULT_DELAY: rule.action = MessageFault::Action::kDelay; break;
    case XPCTEST_FAULT_CRASH_RECEIVER: rule.action = MessageFault::Action::kCrashReceiver; break;
    case XPCTEST_FAULT_CRASH_SENDER: rule.action = MessageFault::Action::kCrashSender; break;
  }
  if (fault->service != nullptr) rule.service = fault->service;
  rule.nth = fault->nth;
  rule.times = fault->times > 0 ? fault->times : -1;  // C's zero: no limit
  rule.delay = std::chrono::nanoseconds(fault->delay_ns);
  return world->world.AddFault(std::move(rule));
}

void xpctest_world_remove_fault(xpctest_world_t world, int id) {
  if (Usable(world, "xpctest_world_remove_fault")) world->world.RemoveFault(id);
}

int xpctest_world_faults_applied(xpctest_world_t world, int id) {
  return Usable(world, "xpctest_world_faults_applied") ? world->world.FaultsApplied(id) : 0;
}

void xpctest_world_run_until_idle(xpctest_world_t world) {
  if (Usable(world, "xpctest_world_run_until_idle")) world->world.RunUntilIdle();
}

void xpctest_world_run_for(xpctest_world_t world, uint64_t nanoseconds) {
  if (Usable(world, "xpctest_world_run_for")) {
    world->world.RunFor(std::chrono::nanoseconds(nanoseconds));
  }
}

uint64_t xpctest_world_now(xpctest_world_t world) {
  if (!Usable(world, "xpctest_world_now")) return 0;
  return static_cast<uint64_t>(world->world.Now().count());
}

char* xpctest_world_copy_trace_tail(xpctest_world_t world, size_t count) {
  if (!Usable(world, "xpctest_world_copy_trace_tail")) return nullptr;
  return strdup(world->world.TraceTail(count).c_str());
}

}  // extern "C"
