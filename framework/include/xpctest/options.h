// xpctest/options.h — how a test run is configured.
//
// Defaults: the deterministic executor with seed 0 (FIFO). Overridden by the
// environment (XPCTEST_EXECUTOR=threaded|deterministic, XPCTEST_SEED=n,
// XPCTEST_TRACE=FILE) and then by flags that xpctest::gtest_main parses:
//   --xpctest_executor=threaded   --xpctest_seed=42   --xpctest_trace=trace.txt
//   --xpctest_timeout_ms=10000    (how long a client waits on real threads)
//   --xpctest_explore=50          (XPCTEST_EXPLORE=50: run every test under
//                                  50 seeds, see InstallSeedExplorer)
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
  // Explore: run every test under this many seeds, seed+1 ... seed+explore,
  // on the deterministic executor; 0: one run with `seed`.
  int explore = 0;
  // The test program as it was started (argv[0], kept by ParseFlags), for
  // the replay command a failure prints.
  std::string program;

  // The limit for a wait on `executor`.
  std::chrono::nanoseconds WaitLimit(control::ExecutorKind executor) const {
    return executor == control::ExecutorKind::kDeterministic ? virtual_timeout : timeout;
  }
};

// The options of this run (environment applied on first use).
RunOptions& Options();

// Removes the --xpctest_* flags it understands from argv and applies them;
// keeps argv[0] as Options().program.
void ParseFlags(int* argc, char** argv);

// InstallSeedExplorer()
//
// When Options().explore is N > 0: makes gtest repeat the run N times, with
// the deterministic executor and, in iteration i, the seed Options().seed + 1
// + i (fixtures read it when they make their world). The first failing test
// prints one line,
//   xpctest: Suite.Test failed with seed S; replay with XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=S
// that iteration finishes (the other tests run with S too), its results are
// printed and written (--gtest_output keeps that iteration), and the program
// then exits with status 1: no later seed runs or prints anything.
// Call after InitGoogleTest and before RUN_ALL_TESTS; xpctest::gtest_main
// does. Does nothing when explore is 0.
void InstallSeedExplorer();

}  // namespace xpctest

#endif  // XPCTEST_OPTIONS_H
