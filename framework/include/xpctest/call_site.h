// xpctest/call_site.h — the line of the test a failure belongs to.
//
// A framework call that can fail the test later (Serve, Connect, Send,
// SendSync, NextEvent, a wait, RunUntilIdle) takes a trailing CallSite that
// defaults to its caller's file and line. Failures are then reported there
// (gtest's ADD_FAILURE_AT), so the IDE, the CI annotation and the failure
// header all name the test's own line, never xpctest's source:
//
//   xpctest::Client vault = Connect(service, "vault-1");    // my_test.cc:41
//   vault.Send(Dict{{"op", "wipe"}});                       // my_test.cc:42
//   // misuse reported while line 42 runs:       my_test.cc:42: Failure
//   // vault-1 still active at the end of the test: my_test.cc:41: Failure
//
// Which line, for each failure:
//   - misuse, a deadlock or a warning reported while a framework call runs
//     (on any thread: a service's handler on a worker while the test waits in
//     SendSync counts): that call's line;
//   - a wait that never completes: the line of the wait;
//   - what a client leaves unfinished, or an invariant broken on its
//     connection: the line that made the client;
//   - anything else (raw XPC calls in the test body, teardown leaks): the
//     test's own TEST/TEST_F line.
//
// (CallSite uses __builtin_FILE/__builtin_LINE rather than
// std::source_location, which clang 14 with libstdc++ 12 does not offer.)
//
// Thread safety: ScopedCallSite and ActiveCallSite may be used from any
// thread; one call site is active at a time, the outermost.
#ifndef XPCTEST_CALL_SITE_H
#define XPCTEST_CALL_SITE_H

#include <string>

namespace xpctest {

struct CallSite {
  const char* file = nullptr;
  int line = 0;

  // The caller's location, when used as a default argument.
  static CallSite Here(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return CallSite{file, line};
  }
  explicit operator bool() const { return file != nullptr; }
};

namespace internal {

// Marks `site` as the framework call in progress for its scope, unless an
// outer call already is (SendSync is made of SendAsync and Wait: the outer
// call is the test's line).
class ScopedCallSite {
 public:
  explicit ScopedCallSite(CallSite site);
  ~ScopedCallSite();
  ScopedCallSite(const ScopedCallSite&) = delete;
  ScopedCallSite& operator=(const ScopedCallSite&) = delete;

 private:
  bool installed_;
};

// The framework call in progress, or an empty site.
CallSite ActiveCallSite();

// Fails the current test with `message` at `site`; at the test's TEST/TEST_F
// line when `site` is empty.
void FailAt(CallSite site, const std::string& message);

}  // namespace internal
}  // namespace xpctest

#endif  // XPCTEST_CALL_SITE_H
