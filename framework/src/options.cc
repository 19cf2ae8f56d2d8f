#include "xpctest/options.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

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

// Gives each gtest iteration its seed and names the first failure.
class SeedExplorer : public ::testing::EmptyTestEventListener {
 public:
  SeedExplorer(uint64_t base, int count) : base_(base), count_(count) {}

  bool failed() const { return failed_; }
  uint64_t failed_seed() const { return failed_seed_; }

  // Before the iteration's environments and fixtures: a fixture reads the
  // seed when it makes its world.
  void OnTestIterationStart(const ::testing::UnitTest&, int iteration) override {
    Options().seed = base_ + 1 + static_cast<uint64_t>(iteration);
  }

  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (failed_ || !info.result()->Failed()) return;
    failed_ = true;
    failed_seed_ = Options().seed;
    std::cout << "xpctest: " << info.test_suite_name() << "." << info.name()
              << " failed with seed " << failed_seed_
              << "; replay with XPCTEST_EXECUTOR=deterministic XPCTEST_SEED=" << failed_seed_
              << std::endl;
  }

  void OnTestProgramEnd(const ::testing::UnitTest&) override {
    if (failed_) {
      std::cout << "xpctest: explored seeds " << base_ + 1 << ".." << failed_seed_
                << "; stopped after seed " << failed_seed_ << " failed" << std::endl;
    } else {
      std::cout << "xpctest: explored seeds " << base_ + 1 << ".." << base_ + count_
                << "; every test passed with every seed" << std::endl;
    }
  }

 private:
  const uint64_t base_;
  const int count_;
  bool failed_ = false;
  uint64_t failed_seed_ = 0;
};

// Skips every iteration after the one that failed: a skip in a global
// environment's SetUp skips that iteration's tests.
class SkipAfterFailure : public ::testing::Environment {
 public:
  explicit SkipAfterFailure(const SeedExplorer* explorer) : explorer_(explorer) {}

  // gtest keeps a skip from global set-up for the rest of the program, so
  // one skip covers every later iteration.
  void SetUp() override {
    if (explorer_->failed() && !skipped_) {
      skipped_ = true;
      GTEST_SKIP() << "xpctest: seeds after " << explorer_->failed_seed() << " not run: seed "
                   << explorer_->failed_seed() << " failed";
    }
  }

 private:
  const SeedExplorer* explorer_;  // owned by gtest's listener list, which outlives this
  bool skipped_ = false;
};

}  // namespace

void InstallSeedExplorer() {
  RunOptions& options = Options();
  if (options.explore <= 0) return;
  // Seeds only choose interleavings on the deterministic executor.
  options.executor = control::ExecutorKind::kDeterministic;
  GTEST_FLAG_SET(repeat, options.explore);
  // Environments are set up once by default; the skip needs every iteration.
  GTEST_FLAG_SET(recreate_environments_when_repeating, true);
  auto* explorer = new SeedExplorer(options.seed, options.explore);
  ::testing::UnitTest::GetInstance()->listeners().Append(explorer);  // gtest deletes it
  ::testing::AddGlobalTestEnvironment(new SkipAfterFailure(explorer));
}

}  // namespace xpctest
