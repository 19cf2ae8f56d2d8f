// runtime/launch.h — one launch on demand of a service, until it checks in.
//
// When a lookup finds no listener for a name but a launcher (a registered
// service), the launcher starts a process and hands back its Launch. Until
// that process claims the name ("checks in") or its main parks in
// dispatch_main()/xpc_main(), returns, or the process ends ("settles"),
// other lookups of the name wait on the Launch instead of launching again —
// as launchd holds a job's port while the job starts.
//
//   std::shared_ptr<Launch> launch = launcher(name);
//   launch->WaitUntilResolved("xpc_connection_send_message");   // a client's first send
//   ...
//   launch->OnUnserved([weak] { ... invalidate the client ... });  // an activation, not waiting
//
// Waits park through the executor's Parker: on the threaded executor the
// waiting thread blocks (a launched main runs on a thread of its own); on the
// deterministic one the wait runs other work. A wait nested below the
// launched main itself (the deterministic executor's one stack) can never
// end and is reported as a deadlock naming the launch.
//
// Thread safety: every method may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_LAUNCH_H
#define XPCTEST_FAKES_RUNTIME_LAUNCH_H

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace xpctest::fakes::dispatch {
class Executor;
class Parker;
}  // namespace xpctest::fakes::dispatch

namespace xpctest::fakes::runtime {

class Launch {
 public:
  Launch(std::string name, pid_t pid, dispatch::Executor& executor);
  Launch(const Launch&) = delete;
  Launch& operator=(const Launch&) = delete;

  const std::string& name() const { return name_; }

  // The launched process claimed the name. Wakes every waiter.
  void CheckIn();
  // Main parked or returned, or the process ended. Wakes every waiter and,
  // if nobody checked in, runs every OnUnserved callback. Idempotent.
  void Settle();
  bool checked_in() const;
  bool settled() const;

  // Parks until the launch checked in or settled; `call` names the API that
  // waits (for deadlock reports). False when the wait was cut short (the
  // world ended, or a deadlock was reported).
  bool WaitUntilResolved(std::string_view call);
  // Parks until the launch settled (main parked, returned or died).
  bool WaitUntilSettled(std::string_view call);
  // `unserved` runs once if the launch settles without checking in; at once
  // (on this thread) if it already has.
  void OnUnserved(std::function<void()> unserved);

 private:
  bool Wait(bool (Launch::*done)() const, std::string_view call);
  bool resolved() const { return checked_in_ || settled_; }
  bool settled_locked() const { return settled_; }
  void WakeLocked();

  const std::string name_;
  const pid_t pid_;
  dispatch::Executor& executor_;
  mutable std::mutex mutex_;
  bool checked_in_ = false;
  bool settled_ = false;
  std::vector<dispatch::Parker*> waiters_;
  std::vector<std::function<void()>> unserved_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_LAUNCH_H
