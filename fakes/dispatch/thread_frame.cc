#include "dispatch/thread_frame.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "dispatch/domain_internal.h"
#include "dispatch/environment.h"
#include "dispatch/fiber.h"
#include "dispatch/queue_internal.h"

namespace xpctest::fakes::dispatch {
namespace {

thread_local ThreadFrame* t_innermost = nullptr;

// The process's initial thread: the one that runs main() (and gtest's tests).
bool OnInitialThread() {
  thread_local const bool initial = gettid() == getpid();
  return initial;
}

}  // namespace

ThreadFrame::ThreadFrame(Queue* queue, const std::vector<Queue*>& chain, Kind kind, bool barrier)
    : queue_(queue), chain_(chain), kind_(kind), barrier_(barrier), outer_(t_innermost) {
  t_innermost = this;
}

ThreadFrame::~ThreadFrame() { t_innermost = outer_; }

const ThreadFrame* ThreadFrame::Innermost() { return t_innermost; }

ThreadFrame* ThreadFrame::ExchangeForFiber(ThreadFrame* frames) {
  return std::exchange(t_innermost, frames);
}

const ThreadFrame* ThreadFrame::FrameHolding(const Queue* queue) {
  for (const ThreadFrame* frame = t_innermost; frame != nullptr; frame = frame->outer_) {
    if (std::find(frame->chain_.begin(), frame->chain_.end(), queue) != frame->chain_.end()) {
      return frame;
    }
    if (frame->kind_ == Kind::kItem) break;
  }
  return nullptr;
}

Queue* ThreadFrame::MainQueueHeld() {
  for (const ThreadFrame* frame = t_innermost; frame != nullptr; frame = frame->outer_) {
    if (frame->kind_ == Kind::kItem) return nullptr;
  }
  Fiber& fiber = Fiber::Current();
  if (const auto& process = fiber.main_thread_of()) return &process->main_queue();
  if (fiber.is_thread_stack() && OnInitialThread()) {
    return &CurrentEnvironment().host().state().main_queue();
  }
  return nullptr;
}

bool ThreadFrame::Holds(const Queue* queue) {
  return FrameHolding(queue) != nullptr || (queue->role() == QueueRole::kMain && MainQueueHeld() == queue);
}

Queue* CurrentQueue() {
  if (const ThreadFrame* frame = ThreadFrame::Innermost()) return frame->queue();
  return ThreadFrame::MainQueueHeld();
}

}  // namespace xpctest::fakes::dispatch
