// dispatch/once_internal.h — dispatch_once's machinery.
//
//   RunOnce(&predicate, Closure::FromBlock(block), "dispatch_once");
//
// Thread safety: any thread. Callers that find the block running elsewhere
// wait in a Park of the current executor (so on the deterministic executor
// the block they wait for, itself perhaps waiting, can go on).
#ifndef XPCTEST_FAKES_DISPATCH_ONCE_INTERNAL_H
#define XPCTEST_FAKES_DISPATCH_ONCE_INTERNAL_H

#include <dispatch/once.h>

#include <string_view>

#include "dispatch/closure.h"

namespace xpctest::fakes::dispatch {

// Runs `work` once per predicate. A call on a predicate whose block is running
// below it (on the same thread, or fiber) is reported as a deadlock and
// returns at once.
void RunOnce(dispatch_once_t* predicate, const Closure& work, std::string_view call);

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_ONCE_INTERNAL_H
