#include "xpctest/call_site.h"

#include <gtest/gtest.h>

#include <mutex>

namespace xpctest::internal {
namespace {

// One test body drives the world at a time, so one active site suffices; it
// is read from worker threads whose reports belong to the call in progress.
std::mutex g_mutex;
CallSite g_active;

}  // namespace

ScopedCallSite::ScopedCallSite(CallSite site) {
  std::lock_guard lock(g_mutex);
  installed_ = !g_active && site;
  if (installed_) g_active = site;
}

ScopedCallSite::~ScopedCallSite() {
  if (!installed_) return;
  std::lock_guard lock(g_mutex);
  g_active = CallSite{};
}

CallSite ActiveCallSite() {
  std::lock_guard lock(g_mutex);
  return g_active;
}

void FailAt(CallSite site, const std::string& message) {
  if (!site) {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    if (test != nullptr) site = CallSite{test->file(), test->line()};
  }
  if (!site) {
    ADD_FAILURE() << message;  // outside any test: gtest's own location
    return;
  }
  // gtest's failure recording is thread-safe on POSIX.
  ADD_FAILURE_AT(site.file, site.line) << message;
}

}  // namespace xpctest::internal
