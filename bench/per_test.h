// bench/per_test.h — B7: what one test costs the framework.
//
// One "test" here is what xpctest::Test does around a test body that makes
// one service and one client and sends one request: a fresh control::World
// on the chosen executor with the fixture's diagnostic sink installed, an
// xpctest::Service, an xpctest::Client connected to its endpoint, one SendSync
// (so the peer exists, S91), then the fixture's teardown: the client and the
// service go, the world runs until idle, the unfinished list is read, the
// world ends and the live-object count is compared. Only gtest's own
// bookkeeping is left out (it is not ours to speed up).
//
//   for (auto _ : state) RunOneTest(control::ExecutorKind::kDeterministic);
//
// Threading: call from one thread, outside any world.
#ifndef XPCTEST_BENCH_PER_TEST_H
#define XPCTEST_BENCH_PER_TEST_H

#include <xpctest/control.h>

namespace xpctest::bench {

// One test's worth of framework work; false when the echo did not come back
// or an object made during the "test" outlived its world.
bool RunOneTest(control::ExecutorKind executor);

}  // namespace xpctest::bench

#endif  // XPCTEST_BENCH_PER_TEST_H
