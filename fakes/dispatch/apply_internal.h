// dispatch/apply_internal.h — dispatch_apply's machinery.
//
//   Apply(n, queue, [&](size_t i) { ... }, "dispatch_apply");
//
// Runs body(0..n-1) and returns when all have finished. On a serial queue the
// iterations run in order inside one dispatch_sync; on a concurrent queue up
// to three helper items share them with the caller.
#ifndef XPCTEST_FAKES_DISPATCH_APPLY_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_APPLY_INTERNAL_H

#include <cstddef>
#include <functional>
#include <string_view>

namespace xpctest::fakes::dispatch {

class Queue;

void Apply(size_t iterations, Queue& queue, std::function<void(size_t)> body,
           std::string_view call);

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_APPLY_INTERNAL_H
