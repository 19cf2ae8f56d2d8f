// LoadReport: percentiles, throughput, and the table a load run prints.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "xpctest/load.h"

namespace xpctest {

std::chrono::nanoseconds Percentile(const std::vector<std::chrono::nanoseconds>& sorted,
                                    double percent) {
  if (sorted.empty()) return std::chrono::nanoseconds(0);
  // Nearest rank: the ceil(p/100 * n)-th smallest sample, 1-based.
  double rank = std::ceil(percent / 100.0 * static_cast<double>(sorted.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

LatencySummary Summarize(std::vector<std::chrono::nanoseconds> samples) {
  LatencySummary summary;
  if (samples.empty()) return summary;
  std::sort(samples.begin(), samples.end());
  summary.count = static_cast<int64_t>(samples.size());
  summary.p50 = Percentile(samples, 50);
  summary.p90 = Percentile(samples, 90);
  summary.p99 = Percentile(samples, 99);
  summary.max = samples.back();
  std::chrono::nanoseconds total{0};
  for (std::chrono::nanoseconds sample : samples) total += sample;
  summary.mean = total / summary.count;
  return summary;
}

namespace {

std::optional<double> PerSecond(int count, std::chrono::nanoseconds time) {
  if (time.count() <= 0) return std::nullopt;
  return count / std::chrono::duration<double>(time).count();
}

std::string FormatRate(std::optional<double> rate) {
  if (!rate) return "n/a (no time passed)";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f req/s", *rate);
  return text;
}

void LatencyRow(std::ostream& os, const std::string& label, const LatencySummary& latency) {
  os << std::left << std::setw(12) << label << std::right << std::setw(7) << latency.count;
  for (std::chrono::nanoseconds value : {latency.p50, latency.p90, latency.p99, latency.max}) {
    os << std::setw(12) << FormatLatency(value);
  }
}

}  // namespace

std::string FormatLatency(std::chrono::nanoseconds latency) {
  char text[32];
  int64_t ns = latency.count();
  if (ns < 1000) {
    std::snprintf(text, sizeof text, "%lldns", static_cast<long long>(ns));
  } else if (ns < 1000000) {
    std::snprintf(text, sizeof text, "%.1fus", ns / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.3fms", ns / 1e6);
  }
  return text;
}

std::optional<double> LoadReport::WorldThroughput() const {
  return PerSecond(succeeded, world_time);
}

std::optional<double> LoadReport::WallThroughput() const {
  return PerSecond(succeeded, wall_time);
}

std::string LoadReport::Table() const {
  std::ostringstream os;
  os << "load: " << options.clients << " clients x " << options.requests_per_client
     << " requests, " << options.in_flight_per_client << " in flight each, over "
     << (options.sessions ? "sessions" : "connections")
     << (options.where == LoadClients::kInOwnProcesses ? " in their own processes" : "") << "; "
     << control::ExecutorKindName(executor) << " executor, seed " << seed << "\n";
  os << "requests:   " << requests << " (sent " << sent << ", succeeded " << succeeded
     << ", errors " << errors << (finished ? "" : ", run ended before every answer") << ")\n";
  os << "time:       world " << FormatLatency(world_time) << ", wall " << FormatLatency(wall_time)
     << (executor == control::ExecutorKind::kDeterministic ? " (world time is virtual)" : "")
     << "\n";
  os << "throughput: world " << FormatRate(WorldThroughput()) << ", wall "
     << FormatRate(WallThroughput()) << "\n";
  os << std::left << std::setw(12) << "latency" << std::right << std::setw(7) << "ok";
  for (const char* column : {"p50", "p90", "p99", "max"}) os << std::setw(12) << column;
  os << "\n";
  LatencyRow(os, "overall", overall);
  os << "\n";
  for (const ClientLoad& row : per_client) {
    LatencyRow(os, "client " + std::to_string(row.client), row.latency);
    os << "   pid " << row.pid << ", sent " << row.sent << ", errors " << row.errors << "\n";
  }
  if (!errors_by_kind.empty()) {
    os << "errors by kind:\n";
    for (const auto& [kind, count] : errors_by_kind) {
      os << "  " << std::setw(7) << count << "  " << kind << "\n";
    }
  }
  return os.str();
}

void PrintTo(const LoadReport& report, std::ostream* os) { *os << report.Table(); }

std::ostream& operator<<(std::ostream& os, const LoadReport& report) {
  return os << report.Table();
}

}  // namespace xpctest
