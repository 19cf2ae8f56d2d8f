// base/block_release.h — Block_release that ThreadSanitizer can follow.
//
// BlocksRuntime counts a block's references with atomics TSan does not see,
// so a handler that ran on one thread and is released for the last time on
// another looks like a data race on the block. Each release through here is a
// release-then-acquire point on the block, as a shared_ptr's count is: the
// thread that frees it has seen everything the others did with it.
#ifndef XPCTEST_FAKES_BASE_BLOCK_RELEASE_H
#define XPCTEST_FAKES_BASE_BLOCK_RELEASE_H

#include <Block.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#include <sanitizer/tsan_interface.h>
#define XPCTEST_TSAN 1
#endif
#endif

namespace xpctest::fakes {

inline void ReleaseBlock(const void* block) {
#ifdef XPCTEST_TSAN
  __tsan_release(const_cast<void*>(block));
  __tsan_acquire(const_cast<void*>(block));
#endif
  _Block_release(block);
}

}  // namespace xpctest::fakes

#endif  // XPCTEST_FAKES_BASE_BLOCK_RELEASE_H
