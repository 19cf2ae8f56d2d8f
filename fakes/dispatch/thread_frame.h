// dispatch/thread_frame.h — which queues the running code holds.
//
// Running a work item, or the block of a dispatch_sync, pushes a ThreadFrame
// for its queue and the target chain captured when it started. The frames
// answer dispatch_get_specific, dispatch_assert_queue,
// DISPATCH_CURRENT_QUEUE_LABEL, and dispatch_sync's deadlock check ("does the
// caller already hold a serial queue of the target's chain?").
//
//   ThreadFrame frame(queue, chain, ThreadFrame::Kind::kItem, IsBarrier(kind));
//   ClientCallout(work);   // frame popped at scope exit
//
// What "the caller holds": its frames down to the work item it runs in (an
// item frame starts a new logical thread: anything below it on the same stack
// belongs to code that is waiting, not to the caller), and — on its process's
// main thread, outside any work item — the process's main queue, which
// libdispatch binds to the main thread for good. The main thread of the host
// process is the process's initial thread on its own stack (the thread that
// runs main() or the test body); a simulated process's is the fiber its main
// runs on (Fiber::set_main_thread_of). A dispatch_sync block runs on the
// caller's thread, so it stays on the main thread.
//
// Thread safety: frames are per fiber (fiber.h switches them).
#ifndef XPCTEST_FAKES_DISPATCH_THREAD_FRAME_H
#define XPCTEST_FAKES_DISPATCH_THREAD_FRAME_H

#include <vector>

namespace xpctest::fakes::dispatch {

class Queue;

class ThreadFrame {
 public:
  // A work item run by an executor, or a dispatch_sync block run by its caller.
  enum class Kind { kItem, kSync };

  ThreadFrame(Queue* queue, const std::vector<Queue*>& chain, Kind kind, bool barrier);
  ~ThreadFrame();
  ThreadFrame(const ThreadFrame&) = delete;
  ThreadFrame& operator=(const ThreadFrame&) = delete;

  Queue* queue() const { return queue_; }
  const std::vector<Queue*>& chain() const { return chain_; }
  bool barrier() const { return barrier_; }

  // The innermost frame of the running code, or null.
  static const ThreadFrame* Innermost();
  // For fibers: installs `frames` as this thread's and returns what it replaced.
  static ThreadFrame* ExchangeForFiber(ThreadFrame* frames);
  // The frame of the caller holding `queue` (as itself or as an ancestor of
  // the frame's queue), down to the caller's work item; null if none.
  static const ThreadFrame* FrameHolding(const Queue* queue);
  // The main queue the caller holds by being its process's main thread
  // outside any work item, or null.
  static Queue* MainQueueHeld();
  // Whether the caller holds `queue`: by a frame, or as its main thread.
  static bool Holds(const Queue* queue);

 private:
  Queue* queue_;
  const std::vector<Queue*>& chain_;
  Kind kind_;
  bool barrier_;
  ThreadFrame* outer_;
};

// The queue the caller runs on: its innermost frame's, else the main queue
// on a main thread; null otherwise.
Queue* CurrentQueue();

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_THREAD_FRAME_H
