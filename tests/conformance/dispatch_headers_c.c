/* <dispatch/dispatch.h> used from plain C11 with blocks, as Apple's header is
 * used: it brings in what Apple's umbrella header brings in, and the
 * type-generic calls (dispatch_wait, dispatch_notify, dispatch_cancel,
 * dispatch_testcancel) pick the function for their argument's type.
 * dispatch_headers_test.cc calls these; each returns 1 on success.
 * dispatch_headers_cxx.cc is the same in C++. */
#include <dispatch/dispatch.h>

/* Nothing else is included: every name below comes through <dispatch/dispatch.h>. */
int xpctest_c_dispatch_header_brings_in_libc(void) {
  size_t length = strlen("abc");           /* <string.h> */
  ssize_t signed_length = (ssize_t)length; /* <sys/types.h> */
  pid_t pid = getpid();                    /* <unistd.h> */
  int flags = O_RDONLY | O_CLOEXEC;        /* <fcntl.h> */
  va_list* no_arguments = NULL;            /* <stdarg.h> */
  bool yes = true;                         /* <stdbool.h> */
  int64_t wide = INT64_MAX;                /* <stdint.h> */
  ptrdiff_t none = offsetof(struct { char a; int b; }, a); /* <stddef.h> */
  return DISPATCH_API_VERSION >= 20181008 && length == 3 && signed_length == 3 && pid > 0 &&
         flags != 0 && no_arguments == NULL && yes && wide > 0 && none == 0;
}

int xpctest_c_dispatch_generic_calls_pick_by_type(void) {
  int ok = 1;
  dispatch_time_t soon = dispatch_time(DISPATCH_TIME_NOW, 10 * (int64_t)NSEC_PER_SEC);
  dispatch_queue_t queue = dispatch_queue_create("com.example.generic", DISPATCH_QUEUE_SERIAL);
  dispatch_semaphore_t semaphore = dispatch_semaphore_create(1);
  dispatch_group_t group = dispatch_group_create();

  /* dispatch_semaphore_wait: the one unit, then none. */
  ok &= dispatch_wait(semaphore, DISPATCH_TIME_NOW) == 0;
  ok &= dispatch_wait(semaphore, DISPATCH_TIME_NOW) != 0;
  /* dispatch_group_wait and dispatch_group_notify. */
  ok &= dispatch_wait(group, DISPATCH_TIME_NOW) == 0;
  dispatch_group_enter(group);
  ok &= dispatch_wait(group, DISPATCH_TIME_NOW) != 0;
  __block int notified = 0;
  dispatch_notify(group, queue, ^{
    notified = 1;
    dispatch_semaphore_signal(semaphore);
  });
  dispatch_group_leave(group);
  ok &= dispatch_wait(semaphore, soon) == 0 && notified == 1;
  /* dispatch_source_cancel and dispatch_source_testcancel. */
  dispatch_source_t timer = dispatch_source_create(DISPATCH_SOURCE_TYPE_TIMER, 0, 0, queue);
  dispatch_source_set_cancel_handler(timer, ^{ dispatch_semaphore_signal(semaphore); });
  dispatch_activate(timer);
  ok &= dispatch_testcancel(timer) == 0;
  dispatch_cancel(timer);
  ok &= dispatch_testcancel(timer) != 0;
  ok &= dispatch_wait(semaphore, soon) == 0;

  dispatch_semaphore_signal(semaphore); /* back to its initial value */
  dispatch_release(timer);
  dispatch_release(group);
  dispatch_release(semaphore);
  dispatch_release(queue);
  return ok;
}
