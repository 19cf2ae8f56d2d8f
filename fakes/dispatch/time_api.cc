// C entry points of <dispatch/time.h>.
#include <dispatch/time.h>

#include "dispatch/environment.h"
#include "dispatch/time_internal.h"

namespace dispatch = xpctest::fakes::dispatch;

namespace {

// Saturating `base + delta` within the positive (monotonic) range.
uint64_t AddSaturating(int64_t base, int64_t delta) {
  if (delta > 0 && base > INT64_MAX - delta) return DISPATCH_TIME_FOREVER;
  int64_t sum = base + delta;
  return sum <= 0 ? 1 : static_cast<uint64_t>(sum);
}

dispatch_time_t EncodeWall(int64_t wall) {
  if (wall <= 0) wall = 1;
  return static_cast<dispatch_time_t>(-wall);
}

}  // namespace

dispatch_time_t dispatch_time(dispatch_time_t when, int64_t delta) {
  if (when == DISPATCH_TIME_FOREVER) return DISPATCH_TIME_FOREVER;
  dispatch::Executor& executor = dispatch::CurrentExecutor();
  if (when == DISPATCH_WALLTIME_NOW) {
    int64_t wall = executor.WallNow();
    if (delta > 0 && wall > INT64_MAX - delta) return DISPATCH_TIME_FOREVER;
    return EncodeWall(wall + delta);
  }
  if (static_cast<int64_t>(when) < 0) {
    int64_t wall = -static_cast<int64_t>(when);
    if (delta > 0 && wall > INT64_MAX - delta) return DISPATCH_TIME_FOREVER;
    return EncodeWall(wall + delta);
  }
  int64_t base = when == DISPATCH_TIME_NOW ? executor.Now().nanos : static_cast<int64_t>(when);
  return AddSaturating(base, delta);
}

dispatch_time_t dispatch_walltime(const struct timespec* when, int64_t delta) {
  int64_t wall = when == nullptr
                     ? dispatch::CurrentExecutor().WallNow()
                     : static_cast<int64_t>(when->tv_sec) * 1'000'000'000 + when->tv_nsec;
  if (delta > 0 && wall > INT64_MAX - delta) return DISPATCH_TIME_FOREVER;
  return EncodeWall(wall + delta);
}
