#include <fmt/format.h>

#include "dispatch/executor.h"
#include "dispatch/time_internal.h"

namespace xpctest::fakes::dispatch {

TimePoint TimePoint::operator+(Duration d) const {
  int64_t delta = d.count();
  if (nanos == kForever.nanos) return kForever;
  if (delta > 0 && nanos > INT64_MAX - delta) return kForever;
  if (delta < 0 && nanos < INT64_MIN - delta) return TimePoint{INT64_MIN};
  return TimePoint{nanos + delta};
}

TimePoint DeadlineFromDispatchTime(const Executor& executor, dispatch_time_t when) {
  if (when == DISPATCH_TIME_FOREVER) return kForever;
  if (when == DISPATCH_TIME_NOW) return executor.Now();
  if (static_cast<int64_t>(when) < 0) {
    // Wall clock, stored negated: convert through "now" on both clocks.
    int64_t wall = -static_cast<int64_t>(when);
    return executor.Now() + Duration(wall - executor.WallNow());
  }
  return TimePoint{static_cast<int64_t>(when)};
}

std::string FormatTime(const Executor& executor, TimePoint time) {
  if (time == kForever) return "forever";
  int64_t relative = time.nanos - executor.start_time().nanos;
  const char* sign = relative < 0 ? "-" : "+";
  uint64_t magnitude = relative < 0 ? -static_cast<uint64_t>(relative) : relative;
  return fmt::format("{}{}.{:09}s", sign, magnitude / 1'000'000'000, magnitude % 1'000'000'000);
}

}  // namespace xpctest::fakes::dispatch
