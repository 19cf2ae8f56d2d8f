#include "dispatch/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <utility>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/thread_frame.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XPCTEST_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define XPCTEST_TSAN 1
#endif
#endif

#if XPCTEST_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#endif
#if XPCTEST_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace xpctest::fakes::dispatch {
namespace {

thread_local Fiber* t_current = nullptr;
// The fiber the last switch on this thread left, for ASan to learn the
// bounds of a thread's own stack (known only once something left it).
thread_local Fiber* t_switched_from = nullptr;

}  // namespace

Fiber::Fiber(std::function<void()> body, size_t stack_size)
    : body_(std::move(body)), thread_stack_(false) {
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  mapping_size_ = stack_size + page;
  mapping_ = mmap(nullptr, mapping_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                  -1, 0);
  XPCTEST_ASSERT(mapping_ != MAP_FAILED, "cannot map a fiber stack");
  // A guard page below the stack turns an overflow into a fault, not corruption.
  mprotect(mapping_, page, PROT_NONE);
  stack_bottom_ = static_cast<char*>(mapping_) + page;
  stack_size_ = stack_size;
#if XPCTEST_TSAN
  tsan_fiber_ = __tsan_create_fiber(0);
  tsan_resume_ = tsan_fiber_;
#endif
}

Fiber::Fiber(ThreadStackTag) : thread_stack_(true), started_(true) {
#if XPCTEST_TSAN
  tsan_resume_ = __tsan_get_current_fiber();
#endif
}

Fiber::~Fiber() {
  if (thread_stack_) return;
  XPCTEST_ASSERT(t_current != this, "the running fiber was destroyed");
#if XPCTEST_TSAN
  __tsan_destroy_fiber(tsan_fiber_);
#endif
  munmap(mapping_, mapping_size_);
}

Fiber& Fiber::Current() {
  if (t_current == nullptr) {
    thread_local Fiber thread_stack{ThreadStackTag{}};
    t_current = &thread_stack;
  }
  return *t_current;
}

void Fiber::SwitchTo(Fiber& to) { Switch(Current(), to, /*for_good=*/false); }

void Fiber::ExitTo(Fiber& to) {
  Switch(Current(), to, /*for_good=*/true);
  InternalError("a fiber that left for good was resumed");
}

void Fiber::Start() {
  XPCTEST_ASSERT(!started_, "a fiber was started twice");
  starter_ = &Current();
#if XPCTEST_ASAN
  __lsan_disable();
#endif
  SwitchTo(*this);
#if XPCTEST_ASAN
  __lsan_enable();
#endif
}

void Fiber::ReturnToStarter() {
  XPCTEST_ASSERT(t_current == this && starter_ != nullptr, "ReturnToStarter off its fiber");
  Fiber* starter = std::exchange(starter_, nullptr);
  ExitTo(*starter);
}

void Fiber::Switch(Fiber& from, Fiber& to, bool for_good) {
  XPCTEST_ASSERT(&from != &to && !to.finished_, "a fiber switched to itself or to a finished one");
  from.frames_ = ThreadFrame::ExchangeForFiber(to.frames_);
  from.domain_ = ExchangeCurrentDomain(to.domain_);
  to.frames_ = nullptr;
  to.domain_ = nullptr;
  if (for_good) from.finished_ = true;
  t_current = &to;
  t_switched_from = &from;
  if (!to.started_) {
    to.started_ = true;
    getcontext(&to.context_);
    to.context_.uc_stack.ss_sp = const_cast<void*>(to.stack_bottom_);
    to.context_.uc_stack.ss_size = to.stack_size_;
    to.context_.uc_link = nullptr;
    auto address = reinterpret_cast<uintptr_t>(&to);
    makecontext(&to.context_, reinterpret_cast<void (*)()>(&Fiber::Entry), 2,
                static_cast<unsigned>(address & 0xffffffffu), static_cast<unsigned>(address >> 32));
  }
#if XPCTEST_ASAN
  // Leaving for good: the fake stack of `from` may go (nullptr save slot).
  __sanitizer_start_switch_fiber(for_good ? nullptr : &from.fake_stack_, to.stack_bottom_,
                                 to.stack_size_);
#endif
#if XPCTEST_TSAN
  from.tsan_resume_ = __tsan_get_current_fiber();
  __tsan_switch_to_fiber(to.tsan_resume_, 0);
#endif
  if (for_good) {
    setcontext(&to.context_);
    InternalError("setcontext returned");
  }
  swapcontext(&from.context_, &to.context_);
  from.Arrived();
}

void Fiber::Arrived() {
#if XPCTEST_ASAN
  const void* bottom = nullptr;
  size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack_, &bottom, &size);
  fake_stack_ = nullptr;
  Fiber* from = t_switched_from;
  if (from != nullptr && from->thread_stack_) {
    from->stack_bottom_ = bottom;
    from->stack_size_ = size;
  }
#endif
}

void Fiber::Entry(unsigned low, unsigned high) {
  auto* self = reinterpret_cast<Fiber*>(static_cast<uintptr_t>(low) |
                                        (static_cast<uintptr_t>(high) << 32));
  self->Arrived();
  self->body_();
  XPCTEST_ASSERT(self->starter_ != nullptr, "a fiber's body returned with nowhere to go");
  Fiber* starter = std::exchange(self->starter_, nullptr);
  ExitTo(*starter);
}

}  // namespace xpctest::fakes::dispatch
