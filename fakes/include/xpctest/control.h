// xpctest/control.h — the control interface of the fakes.
//
// What a test (or the gtest framework) may do to the simulated world that the
// XPC API itself cannot: make a world with a chosen executor and seed, spawn
// simulated processes with identities, run code as one of them, drive the
// clock, end or hang processes, serve names on demand, and read the trace.
//
//   xpctest::control::World world({.executor = xpctest::control::ExecutorKind::kDeterministic,
//                                  .seed = 7});
//   xpctest::control::Process service = world.Spawn("com.example.calc");
//   {
//     xpctest::control::ScopedProcess as(service);
//     listener = xpc_connection_create(NULL, NULL);   // belongs to the service
//     ...
//   }
//   ... client code in the host process ...
//   world.RunUntilIdle();        // virtual time; or RunUntil(condition)
//   service.Crash();             // peers get what libxpc gives them (S62–S70)
//
// A World installs itself as the current world for its lifetime (worlds nest;
// destroy them in reverse order). Process handles are cheap values, valid while
// their world lives.
//
// Thread safety: World and Process methods may be called from any thread,
// except the drive functions (RunUntilIdle, RunUntil, RunFor), which must not
// be called from inside a work item.
#ifndef XPCTEST_CONTROL_H
#define XPCTEST_CONTROL_H

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xpc/xpc.h>
#include <xpctest/device.h>
#include <xpctest/identity.h>
#include <xpctest/launchd.h>
#include <xpctest/trace.h>

namespace xpctest::fakes::runtime {
class Process;
class World;
}

namespace xpctest::control {

enum class ExecutorKind { kThreaded, kDeterministic };

const char* ExecutorKindName(ExecutorKind kind);

struct WorldOptions {
  ExecutorKind executor = ExecutorKind::kDeterministic;
  // Deterministic executor: 0 runs work in FIFO order, any other value picks
  // the next runnable queue with a PRNG seeded with it.
  uint64_t seed = 0;
  // P1: listeners may only claim names declared with DeclareService.
  bool strict_namespace = false;
  // The trace (World::Trace) keeps the last this many entries; older ones are
  // dropped, and Trace() then starts with a note saying how many. 0 keeps none.
  size_t trace_capacity = 10000;
};

// Options for a plain program or a whole test run, from XPCTEST_EXECUTOR
// ("threaded" or "deterministic") and XPCTEST_SEED.
WorldOptions WorldOptionsFromEnvironment(WorldOptions defaults);

// A message fault: which messages in flight it selects, and what happens to
// them (docs/fault-injection.md). Every applied fault is a kFault trace entry.
struct MessageFault {
  enum class Direction {
    kAny,
    kRequest,  // client connection -> its peer (with or without a reply handler)
    kEvent,    // peer -> client connection, not a reply
    kReply,    // a reply, either way
    kConnect,  // a client connecting to the service's listener (no message)
  };
  enum class Action {
    kDelay,          // delivered `delay` later on the world's clock; FIFO kept
    kDrop,           // lost: a dropped request's reply handler keeps waiting
    kHold,           // held (holding back later messages) until ReleaseHeldMessages
    kCrashSender,    // the sender crashes at this message; it is not delivered
    kCrashReceiver,  // the receiver crashes at this message; it is not delivered
    kMutate,         // `mutate` changes the message in flight (the receiver's copy only)
    kCancelSender,   // the sending end is cancelled at this message (as by xpc_connection_cancel)
    kCancelReceiver, // the receiving end is cancelled at this message, which is not delivered
    // The receiver finds the sender fails its peer requirement (S115c) at this
    // message; for kConnect, the listener's requirement refuses the client.
    kFailCodeSigning,
    // kConnect only: the listener turns the client away, as a service that
    // cancels a new peer at once (S70: a named client gets INTERRUPTED).
    kRefuseConnection,
  };
  Direction direction = Direction::kAny;
  // The listener's name (a Mach-service name); empty: any service.
  std::string service;
  // The pid of the service side of the connection; 0: any.
  pid_t service_pid = 0;
  // Content predicate (the message is borrowed); empty: every message. Not
  // asked for kConnect.
  std::function<bool(xpc_object_t)> matches;
  // Only the nth selected message (1-based); 0: every one.
  int nth = 0;
  // At most this many applications; negative: no limit.
  int times = -1;
  // Each selected message is faulted with this probability, drawn from the
  // world's seed (the same seed faults the same messages).
  double probability = 1.0;
  Action action = Action::kDrop;
  std::chrono::nanoseconds delay{0};
  // kDelay: when above `delay`, each message's delay is drawn uniformly from
  // [delay, delay_max] with the world's seed (FIFO still kept).
  std::chrono::nanoseconds delay_max{0};
  // kMutate: changes the message (borrowed) before it is delivered.
  std::function<void(xpc_object_t)> mutate;
  // For the trace; empty: made from the fields above.
  std::string description;
};

using xpctest::LaunchdDomain;
using xpctest::LaunchdJobOptions;
using xpctest::XpcServiceBundleOptions;

// What loading a plist gave: the job's Label or the service's name, or an
// error naming the file and the key.
struct PlistLoad {
  std::string name;
  std::string error;
  bool ok() const { return error.empty(); }
  explicit operator bool() const { return ok(); }
};

// "CHECK_IN", "WAIT", "RUN", "DEFER", "CONTINUE", "DONE" for an
// XPC_ACTIVITY_STATE_*, "none" for -1 (World::ActivityState's "not registered").
const char* ActivityStateName(long state);

// Reads an app's .entitlements plist (XML or binary) into `identity`'s
// entitlements; returns an error naming the file and key, or "".
std::string LoadEntitlements(const std::string& path, CodeSigningIdentity* identity);

// A handle on a simulated process.
class Process {
 public:
  Process() = default;

  pid_t pid() const;
  const std::string& name() const;
  Identity identity() const;
  void SetCodeSigning(CodeSigningIdentity code_signing);
  // "running", "hung", "crashed" or "exited".
  std::string state() const;
  bool alive() const;

  // Ends the process as a crash: its pending work never runs, none of its
  // handlers runs again, and its peers get the errors libxpc gives (S62, S93, P3).
  void Crash();
  // Ends the process as a clean exit (peers see the same errors).
  void Exit();
  // Stops running the process's work; its peers see nothing until Resume.
  void Hang();
  void Resume();

  // Open transactions (S113): messages in a peer's handler, replies made and
  // not yet sent, xpc_transaction_begin without its end.
  int64_t transactions() const;
  // The system wants the process gone (launchd's idle exit, S113, or a
  // shutdown): idle, it exits now; otherwise its service-side peers get
  // XPC_ERROR_TERMINATION_IMMINENT and no more messages (S66), and it exits
  // when its last transaction ends.
  void Terminate();

  explicit operator bool() const { return impl_ != nullptr; }
  friend bool operator==(const Process& a, const Process& b) { return a.impl_ == b.impl_; }

  // For the fakes' own layers.
  explicit Process(fakes::runtime::Process* impl) : impl_(impl) {}
  fakes::runtime::Process* impl() const { return impl_; }

 private:
  fakes::runtime::Process* impl_ = nullptr;
};

// Runs the code in its scope as code of `process` on this thread: queues and
// connections created meanwhile belong to it. Nests. (Prefer this to a lambda:
// a block created inside a by-reference lambda captures the lambda's locals by
// reference.)
class ScopedProcess {
 public:
  explicit ScopedProcess(const Process& process);
  ~ScopedProcess();
  ScopedProcess(const ScopedProcess&) = delete;
  ScopedProcess& operator=(const ScopedProcess&) = delete;

 private:
  struct Installation;
  std::unique_ptr<Installation> installation_;
};

class World {
 public:
  explicit World(WorldOptions options = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // The innermost live World, or null.
  static World* Current();

  const WorldOptions& options() const { return options_; }

  // The process the test body runs in: the real pid, euid and egid (P9).
  Process host();
  Process Spawn(std::string name, Identity identity = {});
  // The process whose code runs on this thread.
  Process current();
  Process Find(pid_t pid);

  // P1, strict worlds: allows a listener to claim `name`.
  void DeclareService(const std::string& name);
  // Launch on demand: when a client looks `name` up and no live listener
  // serves it, `launch` runs (it should start a process whose code claims the
  // name) and the lookup is tried once more. Returns false when it cannot.
  void SetLauncher(const std::string& name, std::function<bool()> launch);
  void RemoveLauncher(const std::string& name);

  // An unmodified service: `main(argc, argv)` runs in a new simulated process
  // when a client first looks `name` up (and again after it crashed), on its
  // own fiber until it parks in dispatch_main() or xpc_main() (P11). Code in
  // main that calls xpc_main() serves `name` as an XPC service. On the
  // threaded executor main runs on a thread of its own, so a main that
  // blocks before it parks does not block the client that launched it.
  //
  // A main linked into the test program shares the program's globals with
  // every launch, every process and every test: a static counter in the
  // service keeps counting across a crash and relaunch. For a fresh start
  // each time, build the service as a module (RegisterServiceModule).
  using ServiceMain = int (*)(int argc, char** argv);
  void RegisterService(const std::string& name, ServiceMain main,
                       std::vector<std::string> arguments = {}, Identity identity = {});
  // An unmodified service built as a module (a shared object; CMake:
  // xpctest_add_service_module): each launch loads a private copy of
  // `module_path` and runs its `main`, so every process of it starts with
  // fresh globals, as on macOS — a relaunch after a crash starts from zero,
  // and two processes of it share nothing (docs/processes-and-the-os.md).
  // A path that cannot be read is reported at once (a warning); a copy that
  // cannot be loaded crashes its process at launch, with the reason in the
  // trace and a warning.
  void RegisterServiceModule(const std::string& name, const std::string& module_path,
                             std::vector<std::string> arguments = {}, Identity identity = {});
  // Starts a registered service now, without waiting for a client, and
  // returns once its main parked or returned (false: not registered).
  bool LaunchService(const std::string& name);
  // The process of the service's most recent launch (empty before the first).
  Process ServiceProcess(const std::string& name);
  // launchd unloads the job serving `name` (S65): its process exits, its named
  // clients get INTERRUPTED then INVALID, and the name is not launched again.
  // False when no live process serves `name`.
  bool UnloadService(const std::string& name);
  int ServiceLaunches(const std::string& name);

  // Posts a launchd event to `process`'s handler for `stream` (S114): a
  // dictionary with XPC_EVENT_KEY_NAME set to `name` plus `payload`'s entries
  // (payload may be NULL). Kept until the process sets its handler.
  void PostEvent(const Process& process, const std::string& stream, const std::string& name,
                 xpc_object_t payload);

  // --- Deployment: launchd, XPC service bundles, activities -----------------
  // (docs/launchd-and-sandbox.md)

  // Loads the job described by a real launchd plist (XML or binary) with the
  // code of its program: its MachServices become its own (P1 from the file),
  // a lookup launches it with the plist's ProgramArguments, RunAtLoad and
  // KeepAlive apply, its LaunchEvents may be posted, its activities scheduled.
  // A bad plist is refused with an error naming the file and the key.
  PlistLoad LoadLaunchdPlist(const std::string& path, ServiceMain main,
                             LaunchdJobOptions options = {});
  // Loads an XPC service bundle's Info.plist (xpcservice.plist(5)): the
  // service is named by its CFBundleIdentifier and launched on demand; its
  // main calls xpc_main.
  PlistLoad LoadXpcServiceBundle(const std::string& info_plist, ServiceMain main,
                                 XpcServiceBundleOptions options = {});
  // The job's running process (empty when it does not run) and how many
  // times it was launched.
  Process JobProcess(const std::string& label);
  int JobLaunches(const std::string& label);
  // launchd stops the job (idle exit): with EnableTransactions an idle job
  // exits now and a busy one after its transactions (S113), its peers told
  // TERMINATION_IMMINENT (S66); otherwise it ends at once (SIGTERM). KeepAlive
  // may relaunch it. False when it does not run.
  bool StopJob(const std::string& label);
  // launchctl unload (S65): nothing launches the job again.
  bool UnloadJob(const std::string& label);
  // Sends the job an event on a stream its plist's LaunchEvents declare,
  // launching it if needed (S114). Returns "" or why it could not (an event
  // the plist does not declare is never sent by launchd).
  std::string PostLaunchEvent(const std::string& label, const std::string& stream,
                              const std::string& name, xpc_object_t payload);

  // The device's conditions for background activities (activity.h).
  void SetDeviceConditions(DeviceConditions conditions);
  // The system asks the running activity `identifier` of the process (or
  // job) named `process_name` to defer: xpc_activity_should_defer says true.
  // False when it is not running.
  bool AskActivityToDefer(const std::string& process_name, const std::string& identifier);
  // The XPC_ACTIVITY_STATE_* of a registered activity, or -1 when none is
  // registered under that process name and identifier.
  long ActivityState(const std::string& process_name, const std::string& identifier) const;

  // The executor's clock since the world started (virtual on the deterministic one).
  std::chrono::nanoseconds Now() const;
  // Deterministic: runs everything runnable, advancing virtual time through
  // timers, until nothing is left. Threaded: waits until all queues are idle.
  void RunUntilIdle();
  // Runs until `done()` holds or `timeout` of executor time passes; returns done().
  bool RunUntil(const std::function<bool()>& done, std::chrono::nanoseconds timeout);
  // Deterministic: runs until the clock has advanced by `duration`.
  void RunFor(std::chrono::nanoseconds duration);

  // Message faults: returns the rule's id.
  int AddFault(MessageFault fault);
  void RemoveFault(int id);
  // How many times rule `id` was applied (0 once removed).
  int FaultsApplied(int id) const;
  // Delivers every held message (in order, behind nothing else).
  void ReleaseHeldMessages();

  std::vector<TraceEntry> Trace() const;
  // The last `count` trace entries, one formatted line each.
  std::string TraceTail(size_t count) const;
  // Connections still active and requests still unanswered, one line each:
  // what a test should have finished before it ends.
  std::vector<std::string> Unfinished() const;

  // XPC objects alive in this program, in every world: compare two counts to
  // find objects never released.
  static int64_t LiveObjects();
  // How many times so far, in every world, a process's memory was abandoned
  // (as a dead process's memory vanishes) instead of released: it crashed or
  // was unloaded, was hung when its world ended, ran a service main parked on
  // a fiber, or had work or handlers left when it ended. While this count
  // moves, a LiveObjects count cannot be exact.
  static uint64_t MemoryAbandonments();

  fakes::runtime::World& impl() { return *impl_; }

 private:
  struct Installation;
  WorldOptions options_;
  std::unique_ptr<fakes::runtime::World> impl_;
  std::unique_ptr<Installation> installation_;
  World* previous_;
};

// LabelConnection()
//
// Names `connection` in the trace as a test knows it: "client vault-1
// (com.example.calc): ..." instead of "client com.example.calc: ...", with
// TraceEntry::label set (the Mermaid diagram shows it); the peer a listener
// makes for it carries the label too. Call before activating it. False, and
// no change, when `connection` is not a connection or was already activated,
// used or cancelled.
bool LabelConnection(xpc_connection_t connection, std::string label);

}  // namespace xpctest::control

#endif  // XPCTEST_CONTROL_H
