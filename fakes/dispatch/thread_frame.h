// dispatch/thread_frame.h — which queues the calling thread is running on.
//
// Running an item, or the block of a dispatch_sync, pushes a ThreadFrame for
// its queue and the target chain captured when it started. The frames answer
// dispatch_get_specific, dispatch_assert_queue, DISPATCH_CURRENT_QUEUE_LABEL,
// and dispatch_sync's deadlock check ("is a serial queue of the target's chain
// already held by this thread?").
//
//   ThreadFrame frame(queue, chain, /*barrier=*/IsBarrier(kind));
//   ClientCallout(work);   // frame popped at scope exit
//
// Thread safety: thread-local.
#ifndef XPCTEST_FAKES_DISPATCH_THREAD_FRAME_H
#define XPCTEST_FAKES_DISPATCH_THREAD_FRAME_H

#include <vector>

namespace xpctest::fakes::dispatch {

class Queue;

class ThreadFrame {
 public:
  ThreadFrame(Queue* queue, const std::vector<Queue*>& chain, bool barrier);
  ~ThreadFrame();
  ThreadFrame(const ThreadFrame&) = delete;
  ThreadFrame& operator=(const ThreadFrame&) = delete;

  Queue* queue() const { return queue_; }
  const std::vector<Queue*>& chain() const { return chain_; }
  bool barrier() const { return barrier_; }
  const ThreadFrame* outer() const { return outer_; }

  // The innermost frame of this thread, or null.
  static const ThreadFrame* Innermost();
  // For fibers (a simulated process's main): a new stack starts with no
  // frames. Installs `frames` as this thread's and returns what it replaced.
  static ThreadFrame* ExchangeForFiber(ThreadFrame* frames);
  // Whether `queue` is held by any frame of this thread (as itself or as an
  // ancestor of the frame's queue).
  static bool Holds(const Queue* queue);

 private:
  Queue* queue_;
  const std::vector<Queue*>& chain_;
  bool barrier_;
  ThreadFrame* outer_;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_THREAD_FRAME_H
