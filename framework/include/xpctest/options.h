// xpctest/options.h — how a test run is configured.
//
// Defaults: the deterministic executor with seed 0 (FIFO). Overridden by the
// environment (XPCTEST_EXECUTOR=threaded|deterministic, XPCTEST_SEED=n,
// XPCTEST_TRACE=FILE) and then by flags that xpctest::gtest_main parses:
//   --xpctest_executor=threaded   --xpctest_seed=42   --xpctest_trace=trace.txt
//   --xpctest_timeout_ms=10000    (how long a client waits on real threads)
#ifndef XPCTEST_OPTIONS_H
#define XPCTEST_OPTIONS_H

#include <xpctest/control.h>

#include <chrono>
#include <string>

namespace xpctest {

struct RunOptions {
  control::ExecutorKind executor = control::ExecutorKind::kDeterministic;
  uint64_t seed = 0;
  // Where to write every test's full trace and Mermaid diagram; empty: nowhere.
  std::string trace_file;
  // How long a wait may take before the test fails with the trace, on real
  // threads; and in virtual time on the deterministic executor, where waiting
  // is free and a wait ends early anyway once nothing can run.
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds virtual_timeout{std::chrono::hours(24)};

  // The limit for a wait on `executor`.
  std::chrono::nanoseconds WaitLimit(control::ExecutorKind executor) const {
    return executor == control::ExecutorKind::kDeterministic ? virtual_timeout : timeout;
  }
};

// The options of this run (environment applied on first use).
RunOptions& Options();

// Removes the --xpctest_* flags it understands from argv and applies them.
void ParseFlags(int* argc, char** argv);

}  // namespace xpctest

#endif  // XPCTEST_OPTIONS_H
