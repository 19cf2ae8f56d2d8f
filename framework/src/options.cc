#include "xpctest/options.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace xpctest {

RunOptions& Options() {
  static RunOptions options = [] {
    RunOptions defaults;
    control::WorldOptions world = control::WorldOptionsFromEnvironment({});
    defaults.executor = world.executor;
    defaults.seed = world.seed;
    if (const char* trace = std::getenv("XPCTEST_TRACE")) defaults.trace_file = trace;
    if (const char* explore = std::getenv("XPCTEST_EXPLORE")) {
      defaults.explore = static_cast<int>(std::strtol(explore, nullptr, 10));
    }
    return defaults;
  }();
  return options;
}

void ParseFlags(int* argc, char** argv) {
  RunOptions& options = Options();
  if (*argc > 0) options.program = argv[0];
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    auto value_of = [&](std::string_view flag) -> const char* {
      if (arg.substr(0, flag.size()) == flag && arg.size() > flag.size() &&
          arg[flag.size()] == '=') {
        return argv[i] + flag.size() + 1;
      }
      return nullptr;
    };
    if (const char* v = value_of("--xpctest_executor")) {
      options.executor = std::string_view(v) == "threaded" ? control::ExecutorKind::kThreaded
                                                           : control::ExecutorKind::kDeterministic;
    } else if (const char* v = value_of("--xpctest_seed")) {
      options.seed = std::strtoull(v, nullptr, 10);
    } else if (const char* v = value_of("--xpctest_trace")) {
      options.trace_file = v;
    } else if (const char* v = value_of("--xpctest_timeout_ms")) {
      options.timeout = std::chrono::milliseconds(std::strtoll(v, nullptr, 10));
    } else if (const char* v = value_of("--xpctest_explore")) {
      options.explore = static_cast<int>(std::strtol(v, nullptr, 10));
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
  argv[kept] = nullptr;
}

namespace {

// Gives each gtest iteration its seed, names the first failure, and ends the
// program once the iteration with the failing seed has ended and its results
// are printed and written (--gtest_output): gtest has no way to stop its
// --gtest_repeat loop early, and every later iteration would print a block of
// its own (and rewrite the output file). The explorer stands between gtest
// and its printers so that they see the program end before it exits.
class SeedExplorer : public ::testing::TestEventListener {
 public:
  // Takes over `printers` (gtest's default result printer and XML/JSON writer,
  // released from its listener list; null entries are skipped).
  SeedExplorer(uint64_t base, int count, std::vector<::testing::TestEventListener*> printers)
      : base_(base), count_(count) {
    for (::testing::TestEventListener* printer : printers) {
      if (printer != nullptr) printers_.emplace_back(printer);
    }
  }

  void OnTestProgramStart(const ::testing::UnitTest& unit) override {
    Forward(&TestEventListener::OnTestProgramStart, unit);
  }
  // Before the iteration's environments and fixtures: a fixture reads the
  // seed when it makes its world.
  void OnTestIterationStart(const ::testing::UnitTest& unit, int iteration) override {
    Options().seed = base_ + 1 + static_cast<uint64_t>(iteration);
    Forward(&TestEventListener::OnTestIterationStart, unit, iteration);
  }
  void OnEnvironmentsSetUpStart(const ::testing::UnitTest& unit) override {
    Forward(&TestEventListener::OnEnvironmentsSetUpStart, unit);
  }
  void OnEnvironmentsSetUpEnd(const ::testing::UnitTest& unit) override {
    Forward(&TestEventListener::OnEnvironmentsSetUpEnd, unit);
  }
  void OnTestSuiteStart(const ::testing::TestSuite& suite) override {
    Forward(&TestEventListener::OnTestSuiteStart, suite);
  }
  void OnTestStart(const ::testing::TestInfo& info) override {
    Forward(&TestEventListener::OnTestStart, info);
  }
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    Forward(&TestEventListener::OnTestPartResult, result);
  }
  void OnTestEnd(const ::testing::TestInfo& info) override {
    Forward(&TestEventListener::OnTestEnd, info);
    if (failed_ || !info.result()->Failed()) return;
    failed_ = true;
    failed_seed_ = Options().seed;
    std::cout << "xpctest: " << info.test_suite_name() << "." << info.name()
              << " failed with seed " << failed_seed_
              << "; replay with XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=" << failed_seed_
              << std::endl;
  }
  void OnTestSuiteEnd(const ::testing::TestSuite& suite) override {
    Forward(&TestEventListener::OnTestSuiteEnd, suite);
  }
  void OnEnvironmentsTearDownStart(const ::testing::UnitTest& unit) override {
    Forward(&TestEventListener::OnEnvironmentsTearDownStart, unit);
  }
  void OnEnvironmentsTearDownEnd(const ::testing::UnitTest& unit) override {
    Forward(&TestEventListener::OnEnvironmentsTearDownEnd, unit);
  }
  void OnTestIterationEnd(const ::testing::UnitTest& unit, int iteration) override {
    Forward(&TestEventListener::OnTestIterationEnd, unit, iteration);
    if (!failed_) return;
    // The iteration with the failing seed is the last one run.
    Forward(&TestEventListener::OnTestProgramEnd, unit);
    std::cout << "xpctest: explored seeds " << base_ + 1 << ".." << failed_seed_
              << "; stopped after seed " << failed_seed_ << " failed" << std::endl;
    std::exit(1);
  }
  void OnTestProgramEnd(const ::testing::UnitTest& unit) override {
    Forward(&TestEventListener::OnTestProgramEnd, unit);
    std::cout << "xpctest: explored seeds " << base_ + 1 << ".." << base_ + count_
              << "; every test passed with every seed" << std::endl;
  }

 private:
  template <typename Event, typename... Args>
  void Forward(Event event, const Args&... args) {
    for (auto& printer : printers_) (printer.get()->*event)(args...);
  }

  const uint64_t base_;
  const int count_;
  std::vector<std::unique_ptr<::testing::TestEventListener>> printers_;
  bool failed_ = false;
  uint64_t failed_seed_ = 0;
};

}  // namespace

void InstallSeedExplorer() {
  RunOptions& options = Options();
  if (options.explore <= 0) return;
  // Seeds only choose interleavings on the deterministic executor.
  options.executor = control::ExecutorKind::kDeterministic;
  GTEST_FLAG_SET(repeat, options.explore);
  ::testing::TestEventListeners& listeners = ::testing::UnitTest::GetInstance()->listeners();
  // The explorer decides what the printers see; Release hands them over.
  std::vector<::testing::TestEventListener*> printers = {
      listeners.Release(listeners.default_result_printer()),
      listeners.Release(listeners.default_xml_generator())};
  auto* explorer = new SeedExplorer(options.seed, options.explore, std::move(printers));
  listeners.Append(explorer);  // gtest deletes it
}

}  // namespace xpctest
