#include "xpctest/options.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace xpctest {

RunOptions& Options() {
  static RunOptions options = [] {
    RunOptions defaults;
    control::WorldOptions world = control::WorldOptionsFromEnvironment({});
    defaults.executor = world.executor;
    defaults.seed = world.seed;
    if (const char* trace = std::getenv("XPCTEST_TRACE")) defaults.trace_file = trace;
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
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
  argv[kept] = nullptr;
}

}  // namespace xpctest
