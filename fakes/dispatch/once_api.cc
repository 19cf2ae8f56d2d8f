// C entry points of <dispatch/once.h>.
#include <dispatch/once.h>

#include "dispatch/closure.h"
#include "dispatch/once_internal.h"

namespace dispatch = xpctest::fakes::dispatch;

void dispatch_once(dispatch_once_t* predicate, dispatch_block_t block) {
  if (__atomic_load_n(predicate, __ATOMIC_ACQUIRE) == ~intptr_t{0}) return;
  dispatch::RunOnce(predicate, dispatch::Closure([block] { block(); }), "dispatch_once");
}

void dispatch_once_f(dispatch_once_t* predicate, void* context, dispatch_function_t function) {
  if (__atomic_load_n(predicate, __ATOMIC_ACQUIRE) == ~intptr_t{0}) return;
  dispatch::RunOnce(predicate, dispatch::Closure::FromFunction(function, context),
                    "dispatch_once_f");
}
