#include "dispatch/thread_frame.h"

#include <utility>

#include <algorithm>

#include "dispatch/queue_internal.h"

namespace xpctest::fakes::dispatch {
namespace {

thread_local ThreadFrame* t_innermost = nullptr;

}  // namespace

ThreadFrame::ThreadFrame(Queue* queue, const std::vector<Queue*>& chain, bool barrier)
    : queue_(queue), chain_(chain), barrier_(barrier), outer_(t_innermost) {
  t_innermost = this;
}

ThreadFrame::~ThreadFrame() { t_innermost = outer_; }

const ThreadFrame* ThreadFrame::Innermost() { return t_innermost; }

ThreadFrame* ThreadFrame::ExchangeForFiber(ThreadFrame* frames) {
  return std::exchange(t_innermost, frames);
}

bool ThreadFrame::Holds(const Queue* queue) {
  for (const ThreadFrame* frame = t_innermost; frame != nullptr; frame = frame->outer_) {
    if (std::find(frame->chain_.begin(), frame->chain_.end(), queue) != frame->chain_.end()) {
      return true;
    }
  }
  return false;
}

Queue* CurrentQueue() {
  const ThreadFrame* frame = ThreadFrame::Innermost();
  return frame != nullptr ? frame->queue() : nullptr;
}

}  // namespace xpctest::fakes::dispatch
