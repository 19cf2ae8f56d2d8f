// A fresh world per test, run on each executor, with small helpers to stand up
// a service process and record what handlers see.
#ifndef XPCTEST_TESTS_CONFORMANCE_CONNECTION_FIXTURE_H
#define XPCTEST_TESTS_CONFORMANCE_CONNECTION_FIXTURE_H

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xpc/xpc.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "dispatch/environment.h"
#include "runtime/world.h"
#include "xpctest/diagnostics.h"

namespace xpctest::testing {

// What handlers saw, in order; objects are retained (S19) until the log dies.
class EventLog {
 public:
  ~EventLog();
  void Add(const std::string& who, xpc_object_t object);
  size_t size() const;
  // The n-th recorded object (borrowed).
  xpc_object_t at(size_t index) const;
  std::string who(size_t index) const;
  // Objects recorded for `who`, in order (borrowed).
  std::vector<xpc_object_t> For(const std::string& who) const;
  size_t CountFor(const std::string& who) const;
  // Forgets everything, releasing the recorded objects.
  void Clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, xpc_object_t>> entries_;
};

class ConnectionTest : public ::testing::TestWithParam<fakes::runtime::ExecutorKind> {
 protected:
  ConnectionTest();
  ~ConnectionTest() override;

  fakes::runtime::World& world() { return world_; }
  // Runs the world until `done` holds; false after 10 s of executor time.
  bool RunUntil(const std::function<bool()>& done);
  void RunUntilIdle();

  fakes::runtime::Process& Spawn(const std::string& name);
  // In `process`: an anonymous listener that accepts every peer, records its
  // messages as "peer", and answers each request with {reply: <op>} unless
  // `answer` is false. Returns the listener (owned by the fixture).
  xpc_connection_t StartEchoListener(fakes::runtime::Process& process, bool answer = true,
                                     const char* mach_name = nullptr);
  // In the host: a client of `listener`'s endpoint recording events as "client".
  xpc_connection_t ConnectClient(xpc_connection_t listener);
  // Peers the echo listener accepted (borrowed; retained by the fixture).
  std::vector<xpc_connection_t> peers() const;

  EventLog log_;
  MisuseRecorder misuse_;

 private:
  fakes::runtime::World world_;
  fakes::runtime::ScopedWorld installed_;
  mutable std::mutex mutex_;
  std::vector<xpc_connection_t> owned_;
  std::vector<xpc_connection_t> peers_;
};

// A value that a block sets and the test reads. Blocks cannot share a
// __block variable with a lambda, so they capture a pointer to a Cell.
template <class T>
struct Cell {
  std::atomic<T> value{};
  T get() const { return value.load(); }
  void set(T v) { value.store(v); }
};

// Dictionary helpers.
xpc_object_t Message(const char* op);
std::string OpOf(xpc_object_t message);

std::string ExecutorName(const ::testing::TestParamInfo<fakes::runtime::ExecutorKind>& info);

#define XPCTEST_ON_BOTH_EXECUTORS(suite)                                            \
  INSTANTIATE_TEST_SUITE_P(Executors, suite,                                        \
                           ::testing::Values(fakes::runtime::ExecutorKind::kDeterministic, \
                                             fakes::runtime::ExecutorKind::kThreaded),     \
                           ::xpctest::testing::ExecutorName)

}  // namespace xpctest::testing

#endif  // XPCTEST_TESTS_CONFORMANCE_CONNECTION_FIXTURE_H
