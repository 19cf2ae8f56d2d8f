// dispatch/time_internal.h — the executors' notion of time, and dispatch_time_t.
//
// TimePoint is a point on the executor's monotonic clock in nanoseconds:
// CLOCK_MONOTONIC on the threaded executor, a virtual clock starting at
// kVirtualEpoch on the deterministic one. WallTime is nanoseconds since the
// Unix epoch (virtual too on the deterministic executor: kVirtualWallEpoch plus
// the virtual time elapsed).
//
// dispatch_time_t encodes a TimePoint as itself (never 0, never the top bit
// set) and a WallTime as its negation (top bit set), as Apple's does.
//
//   TimePoint deadline = DeadlineFromDispatchTime(executor, timeout);
//   if (deadline == kForever) ...
#ifndef XPCTEST_FAKES_DISPATCH_TIME_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_TIME_INTERNAL_H

#include <dispatch/time.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace xpctest::fakes::dispatch {

using Duration = std::chrono::nanoseconds;

struct TimePoint {
  int64_t nanos = 0;
  friend auto operator<=>(TimePoint, TimePoint) = default;
  TimePoint operator+(Duration d) const;  // saturates at kForever (and INT64_MIN)
  Duration operator-(TimePoint other) const { return Duration(nanos - other.nanos); }
};

// A deadline that never comes.
inline constexpr TimePoint kForever{INT64_MAX};
// Where the deterministic executor's clock starts: 1,000 s, so that
// dispatch_time values are never 0 (DISPATCH_TIME_NOW) and small offsets from
// "now" never underflow.
inline constexpr TimePoint kVirtualEpoch{1'000'000'000'000};
// The deterministic wall clock at kVirtualEpoch: 2024-01-01T00:00:00Z.
inline constexpr int64_t kVirtualWallEpochNanos = 1'704'067'200'000'000'000;

class Executor;

// DeadlineFromDispatchTime
//
// Converts a dispatch_time_t to a deadline on `executor`'s monotonic clock.
TimePoint DeadlineFromDispatchTime(const Executor& executor, dispatch_time_t when);

// "+1.250000000s": a time relative to the executor's start, for traces and reports.
std::string FormatTime(const Executor& executor, TimePoint time);

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_TIME_INTERNAL_H
