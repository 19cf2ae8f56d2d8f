// dispatch/once.h — run a block exactly once per predicate (drop-in for Apple's).
//
//   static dispatch_once_t once;
//   dispatch_once(&once, ^{ shared = make_shared(); });
//
// Every caller returns only after the block has completed. The predicate must
// have static or global storage (zero-initialised). Calling dispatch_once on
// the predicate whose block is running on the same thread is a deadlock and is
// reported as one; the nested call then returns without waiting.
#ifndef XPCTEST_DISPATCH_ONCE_H
#define XPCTEST_DISPATCH_ONCE_H

#include <stdint.h>

#include <dispatch/object.h>

typedef intptr_t dispatch_once_t;

#ifdef __cplusplus
extern "C" {
#endif

void dispatch_once(dispatch_once_t* predicate, dispatch_block_t block)
    XPCTEST_LINK_NAME(dispatch_once);
void dispatch_once_f(dispatch_once_t* predicate, void* context, dispatch_function_t function)
    XPCTEST_LINK_NAME(dispatch_once_f);

#ifdef __cplusplus
}
#endif

#endif  // XPCTEST_DISPATCH_ONCE_H
