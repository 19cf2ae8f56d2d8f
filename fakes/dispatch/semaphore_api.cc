// C entry points of <dispatch/semaphore.h>.
#include <dispatch/dispatch.h>

#include "dispatch/api_util.h"
#include "dispatch/semaphore_internal.h"

namespace dispatch = xpctest::fakes::dispatch;
using dispatch::Semaphore;

dispatch_semaphore_t dispatch_semaphore_create(intptr_t value) {
  if (value < 0) return nullptr;
  return dispatch::ToHandle<dispatch_semaphore_t>(
      Semaphore::Create(dispatch::CurrentDomainState(), value));
}

intptr_t dispatch_semaphore_wait(dispatch_semaphore_t dsema, dispatch_time_t timeout) {
  Semaphore* s = dispatch::As<Semaphore>(dsema, "dispatch_semaphore_wait");
  return s != nullptr ? s->Wait(timeout) : dispatch::kWaitTimedOut;
}

intptr_t dispatch_semaphore_signal(dispatch_semaphore_t dsema) {
  Semaphore* s = dispatch::As<Semaphore>(dsema, "dispatch_semaphore_signal");
  return s != nullptr ? s->Signal() : 0;
}
