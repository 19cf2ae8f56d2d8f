// dispatch/environment.h — which executor and host domain dispatch calls use.
//
// An Environment pairs an Executor with the host domain (the test body's
// simulated process). Dispatch calls made outside any work item use the
// current environment's host domain. Tests install a fresh one per test; the
// runtime installs its own World's executor and host process the same way.
//
//   // A fresh deterministic environment for this scope:
//   ScopedEnvironment env(EnvironmentOptions{ExecutorKind::kDeterministic, /*seed=*/7});
//   dispatch_async(dispatch_get_main_queue(), ^{ ... });
//   env.executor().RunUntilIdle();
//
//   // Or one whose executor and host the caller owns:
//   auto executor = MakeThreadedExecutor();
//   Domain host("host", *executor);
//   ScopedEnvironment env(*executor, host);
//
// Outside any installation, a default environment is created lazily on first
// use from the process environment: XPCTEST_EXECUTOR=deterministic selects the
// deterministic executor (default: threaded), XPCTEST_SEED=n its seed. The
// default lives until the process exits.
//
// Isolation: destroying an owning environment shuts its executor down (kills
// every domain, releases pending work, joins threads), so two environments in
// a row see nothing of each other.
//
// Threading: install and uninstall from one thread while no work of the
// environment runs elsewhere; CurrentEnvironment() may be called from any thread.
#ifndef XPCTEST_FAKES_DISPATCH_ENVIRONMENT_H
#define XPCTEST_FAKES_DISPATCH_ENVIRONMENT_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "dispatch/domain.h"
#include "dispatch/executor.h"

namespace xpctest::fakes::dispatch {

struct EnvironmentOptions {
  ExecutorKind kind = ExecutorKind::kThreaded;
  uint64_t seed = 0;
  std::string host_label = "host";

  // From XPCTEST_EXECUTOR and XPCTEST_SEED.
  static EnvironmentOptions FromProcessEnvironment();
};

class Environment {
 public:
  // Owns a new executor and host domain.
  explicit Environment(EnvironmentOptions options);
  // Borrows them; the caller keeps both alive longer than this object.
  Environment(Executor& executor, Domain& host);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  Executor& executor() const { return *executor_; }
  Domain& host() const { return *host_; }

 private:
  std::unique_ptr<Executor> owned_executor_;
  std::unique_ptr<Domain> owned_host_;
  Executor* executor_;
  Domain* host_;
};

// Installs an environment for its scope. Nests; the innermost wins.
class ScopedEnvironment {
 public:
  explicit ScopedEnvironment(EnvironmentOptions options);
  ScopedEnvironment(Executor& executor, Domain& host);
  ~ScopedEnvironment();
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  Environment& environment() { return environment_; }
  Executor& executor() { return environment_.executor(); }
  Domain& host() { return environment_.host(); }

 private:
  Environment environment_;
};

// The innermost installed environment, else the lazily created default.
Environment& CurrentEnvironment();
Executor& CurrentExecutor();

// Shorthands for the current environment's executor (see executor.h).
TimePoint Now();
void RunUntilIdle();
void RunFor(Duration duration);
void AdvanceBy(Duration duration);
bool RunUntil(const std::function<bool()>& done, Duration timeout);

// dispatch_main's hook for the runtime: when set, dispatch_main() calls it
// instead of serving the main queue (a simulated process parks its fiber
// there). It must not return. Process-wide; returns the previous hook.
using DispatchMainHook = void (*)();
DispatchMainHook SetDispatchMainHookForRuntime(DispatchMainHook hook);
// The installed hook, or null.
DispatchMainHook DispatchMainHookForRuntime();

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_ENVIRONMENT_H
