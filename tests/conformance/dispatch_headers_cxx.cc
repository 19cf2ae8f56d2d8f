// <dispatch/dispatch.h> used from C++, as dispatch_headers_c.c uses it from
// C: nothing else is included, so every C name below comes through it, and
// the type-generic calls resolve as overloads. Each function returns 1 on
// success; dispatch_headers_test.cc calls them.
#include <dispatch/dispatch.h>

extern "C" int xpctest_cxx_dispatch_header_brings_in_libc() {
  size_t length = strlen("abc");                         // <string.h>
  ssize_t signed_length = static_cast<ssize_t>(length);  // <sys/types.h>
  pid_t pid = getpid();                                  // <unistd.h>
  int flags = O_RDONLY | O_CLOEXEC;                      // <fcntl.h>
  va_list* no_arguments = nullptr;                       // <stdarg.h>
  return DISPATCH_API_VERSION >= 20181008 && length == 3 && signed_length == 3 && pid > 0 &&
         flags != 0 && no_arguments == nullptr;
}

extern "C" int xpctest_cxx_dispatch_generic_calls_pick_by_type() {
  bool ok = true;
  dispatch_time_t soon = dispatch_time(DISPATCH_TIME_NOW, 10 * static_cast<int64_t>(NSEC_PER_SEC));
  dispatch_queue_t queue = dispatch_queue_create("com.example.generic", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t semaphore = dispatch_semaphore_create(1);
  dispatch_group_t group = dispatch_group_create();

  ok &= dispatch_wait(semaphore, DISPATCH_TIME_NOW) == 0;  // dispatch_semaphore_wait
  ok &= dispatch_wait(semaphore, DISPATCH_TIME_NOW) != 0;
  ok &= dispatch_wait(group, DISPATCH_TIME_NOW) == 0;  // dispatch_group_wait
  dispatch_group_enter(group);
  ok &= dispatch_wait(group, DISPATCH_TIME_NOW) != 0;
  __block bool notified = false;
  dispatch_notify(group, queue, ^{  // dispatch_group_notify
    notified = true;
    dispatch_semaphore_signal(semaphore);
  });
  dispatch_group_leave(group);
  ok &= dispatch_wait(semaphore, soon) == 0 && notified;

  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, queue);
  dispatch_source_set_cancel_handler(timer, ^{ dispatch_semaphore_signal(semaphore); });
  dispatch_activate(timer);
  ok &= dispatch_testcancel(timer) == 0;  // dispatch_source_testcancel
  dispatch_cancel(timer);                 // dispatch_source_cancel
  ok &= dispatch_testcancel(timer) != 0;
  ok &= dispatch_wait(semaphore, soon) == 0;

  dispatch_semaphore_signal(semaphore);  // back to its initial value
  dispatch_release(timer);
  dispatch_release(group);
  dispatch_release(semaphore);
  dispatch_release(queue);
  return ok ? 1 : 0;
}
