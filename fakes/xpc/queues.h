// xpc/queues.h — how the xpc layer uses dispatch: private queues in a given
// process, work closures, and blocking until another queue answers.
//
// Keeping these few calls in one place keeps the connection code free of
// dispatch internals.
#ifndef XPCTEST_FAKES_XPC_QUEUES_H
#define XPCTEST_FAKES_XPC_QUEUES_H

#include <dispatch/dispatch.h>

#include <functional>
#include <memory>
#include <string>

namespace xpctest::fakes::runtime {
class Process;
}

namespace xpctest::fakes::xpc {

// A serial queue owned by `process`, targeting `target` (NULL: the process's
// default global queue). Returned +1.
dispatch_queue_t CreateSerialQueueIn(runtime::Process& process, const std::string& label,
                                     dispatch_queue_t target);

// True when `queue` is NULL or a live dispatch queue. Otherwise reports,
// naming `call`, that the object passed as the `role` ("target queue",
// "reply queue") is not a dispatch queue (or was released), and returns false.
bool AcceptableQueue(dispatch_queue_t queue, const char* role, const char* call);

// The process's default global queue (DISPATCH_TARGET_QUEUE_DEFAULT), borrowed.
dispatch_queue_t DefaultQueueOf(runtime::Process& process);

// Runs `work` on `queue`. If the queue's process ends first the closure is
// destroyed without running.
void Async(dispatch_queue_t queue, std::function<void()> work);

// True when this thread is running a block of `queue`, or of a queue that
// targets it.
bool IsRunningOn(dispatch_queue_t queue);

// One blocked caller waiting for one value, woken from any thread.
// On the deterministic executor Wait lets other work run and reports a
// deadlock when nothing can ever wake it (then it returns false).
class BlockingWait {
 public:
  BlockingWait();
  ~BlockingWait();
  void Wake();
  // `describe` says what is awaited, called only if a deadlock report needs it.
  bool Wait(std::function<std::string()> describe);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace xpctest::fakes::xpc

#endif  // XPCTEST_FAKES_XPC_QUEUES_H
