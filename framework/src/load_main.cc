// RunLoadMain: a load tool's main — flags, a world, a service, one load run.
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "xpctest/load.h"

namespace xpctest {

namespace {

constexpr const char* kUsage =
    "usage: [--clients=N] [--requests=M] [--in_flight=K] "
    "[--executor=threaded|deterministic] [--seed=S] [--sessions] [--own_processes]";

// The Mach-service name the tool serves its handler under (sessions need one).
constexpr const char* kServiceName = "com.xpctest.load";

// Parses a whole decimal number of at least `minimum` from `text`.
bool ParseNumber(std::string_view text, long long minimum, long long* out) {
  if (text.empty()) return false;
  std::string copy(text);
  char* end = nullptr;
  long long value = std::strtoll(copy.c_str(), &end, 10);
  if (*end != '\0' || value < minimum) return false;
  *out = value;
  return true;
}

}  // namespace

std::optional<LoadCommandLine> ParseLoadCommandLine(int argc, const char* const* argv,
                                                    std::string* error) {
  LoadCommandLine line;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    size_t equals = arg.find('=');
    std::string_view flag = arg.substr(0, equals);
    std::string_view value = equals == std::string_view::npos ? "" : arg.substr(equals + 1);
    long long number = 0;
    auto bad = [&](const char* why) {
      *error = std::string(arg) + ": " + why + "\n" + kUsage;
      return std::nullopt;
    };
    if (flag == "--clients" || flag == "--requests" || flag == "--in_flight") {
      if (!ParseNumber(value, 1, &number)) return bad("expected a whole number of at least 1");
      int& field = flag == "--clients"    ? line.clients
                   : flag == "--requests" ? line.requests
                                          : line.in_flight;
      field = static_cast<int>(number);
    } else if (flag == "--seed") {
      if (!ParseNumber(value, 0, &number)) return bad("expected a whole number");
      line.seed = static_cast<uint64_t>(number);
    } else if (flag == "--executor") {
      if (value == "threaded") {
        line.executor = control::ExecutorKind::kThreaded;
      } else if (value == "deterministic") {
        line.executor = control::ExecutorKind::kDeterministic;
      } else {
        return bad("expected threaded or deterministic");
      }
    } else if (arg == "--sessions") {
      line.sessions = true;
    } else if (arg == "--own_processes") {
      line.where = LoadClients::kInOwnProcesses;
    } else {
      return bad("unknown flag");
    }
  }
  return line;
}

int RunLoadMain(int argc, char** argv, PeerHandler handler,
                std::function<Object(int client, int request)> make_request, std::ostream& out) {
  std::string error;
  std::optional<LoadCommandLine> line = ParseLoadCommandLine(argc, argv, &error);
  if (!line) {
    std::cerr << error << "\n";
    return 2;
  }
  control::World world({.executor = line->executor, .seed = line->seed});
  LoadReport report;
  {
    Service service(world, "load service", std::move(handler), {.mach_service = kServiceName});
    LoadOptions options{.clients = line->clients,
                        .requests_per_client = line->requests,
                        .in_flight_per_client = line->in_flight,
                        .sessions = line->sessions,
                        .where = line->where,
                        .make_request = std::move(make_request)};
    report = line->sessions ? RunLoad(world, kServiceName, std::move(options))
                            : RunLoad(world, service, std::move(options));
  }
  // Let the listener's cancellation finish before the world ends.
  world.RunUntilIdle();
  out << report.Table();
  return report.errors == 0 ? 0 : 1;
}

int RunLoadMain(int argc, char** argv, PeerHandler handler,
                std::function<Object(int client, int request)> make_request) {
  return RunLoadMain(argc, argv, std::move(handler), std::move(make_request), std::cout);
}

}  // namespace xpctest
