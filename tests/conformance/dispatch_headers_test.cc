// The drop-in <dispatch/dispatch.h> as Apple's is used: compiled as C11
// (dispatch_headers_c.c) and as C++ (here). It includes what Apple's umbrella
// header includes, defines DISPATCH_API_VERSION, and offers the type-generic
// dispatch_wait / dispatch_notify / dispatch_cancel / dispatch_testcancel
// (C11 _Generic in C, overloads in C++).
#include <dispatch/dispatch.h>
#include <gtest/gtest.h>

extern "C" {
int xpctest_c_dispatch_header_brings_in_libc(void);
int xpctest_c_dispatch_generic_calls_pick_by_type(void);
}

namespace xpctest::testing {
namespace {

TEST(DispatchHeaders, UmbrellaHeaderBringsInWhatApplesDoesInC) {
  EXPECT_EQ(xpctest_c_dispatch_header_brings_in_libc(), 1);
}

TEST(DispatchHeaders, GenericCallsPickTheFunctionForTheTypeInC) {
  EXPECT_EQ(xpctest_c_dispatch_generic_calls_pick_by_type(), 1);
}

// Only <dispatch/dispatch.h> and gtest are included above.
TEST(DispatchHeaders, UmbrellaHeaderBringsInWhatApplesDoesInCxx) {
  size_t length = strlen("abc");  // <string.h>
  ssize_t signed_length = static_cast<ssize_t>(length);
  EXPECT_EQ(signed_length, 3);
  EXPECT_GT(getpid(), 0);                 // <unistd.h>
  EXPECT_NE(O_RDONLY | O_CLOEXEC, 0);     // <fcntl.h>
  va_list* no_arguments = nullptr;        // <stdarg.h>
  EXPECT_EQ(no_arguments, nullptr);
  EXPECT_GE(DISPATCH_API_VERSION, 20181008);
}

TEST(DispatchHeaders, GenericCallsPickTheFunctionForTheTypeInCxx) {
  dispatch_time_t soon = dispatch_time(DISPATCH_TIME_NOW, 10 * static_cast<int64_t>(NSEC_PER_SEC));
  dispatch_queue_t queue = dispatch_queue_create("com.example.generic", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t semaphore = dispatch_semaphore_create(1);
  dispatch_group_t group = dispatch_group_create();

  EXPECT_EQ(dispatch_wait(semaphore, DISPATCH_TIME_NOW), 0);
  EXPECT_NE(dispatch_wait(semaphore, DISPATCH_TIME_NOW), 0);
  EXPECT_EQ(dispatch_wait(group, DISPATCH_TIME_NOW), 0);
  dispatch_group_enter(group);
  EXPECT_NE(dispatch_wait(group, DISPATCH_TIME_NOW), 0);
  __block bool notified = false;
  dispatch_notify(group, queue, ^{
    notified = true;
    dispatch_semaphore_signal(semaphore);
  });
  dispatch_group_leave(group);
  EXPECT_EQ(dispatch_wait(semaphore, soon), 0);
  EXPECT_TRUE(notified);

  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, queue);
  dispatch_activate(timer);
  EXPECT_EQ(dispatch_testcancel(timer), 0);
  dispatch_cancel(timer);
  EXPECT_NE(dispatch_testcancel(timer), 0);

  dispatch_semaphore_signal(semaphore);  // back to its initial value
  dispatch_release(timer);
  dispatch_release(group);
  dispatch_release(semaphore);
  dispatch_release(queue);
}

}  // namespace
}  // namespace xpctest::testing
