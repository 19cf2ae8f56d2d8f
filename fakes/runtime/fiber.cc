#include "runtime/fiber.h"

#include <sys/mman.h>

#include <cstdint>

#include "base/report.h"

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

namespace xpctest::fakes::runtime {
namespace {

thread_local Fiber* t_current = nullptr;

}  // namespace

Fiber::Fiber(Process& process, std::function<void()> body, size_t stack_size)
    : process_(&process), body_(std::move(body)), stack_size_(stack_size) {
  stack_ = mmap(nullptr, stack_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  XPCTEST_ASSERT(stack_ != MAP_FAILED, "cannot map a fiber stack");
}

Fiber::~Fiber() {
#if XPCTEST_TSAN
  if (tsan_fiber_ != nullptr) __tsan_destroy_fiber(tsan_fiber_);
#endif
  munmap(stack_, stack_size_);
}

Fiber* Fiber::Current() { return t_current; }

void Fiber::Start() {
  // A service's main may look up another service, whose main then starts
  // here, nested: each fiber returns to whoever started it.
  outer_ = t_current;
  getcontext(&fiber_context_);
  fiber_context_.uc_stack.ss_sp = stack_;
  fiber_context_.uc_stack.ss_size = stack_size_;
  fiber_context_.uc_link = nullptr;
  auto address = reinterpret_cast<uintptr_t>(this);
  makecontext(&fiber_context_, reinterpret_cast<void (*)()>(&Fiber::Entry), 2,
              static_cast<unsigned>(address & 0xffffffffu), static_cast<unsigned>(address >> 32));
  t_current = this;
#if XPCTEST_TSAN
  tsan_caller_ = __tsan_get_current_fiber();
  tsan_fiber_ = __tsan_create_fiber(0);
  __tsan_switch_to_fiber(tsan_fiber_, 0);
#endif
#if XPCTEST_ASAN
  // What main allocates before it parks may be referenced only from this
  // stack, which is discarded, not unwound (P11) — as a real process's memory
  // simply vanishes. LeakSanitizer must not call that a leak.
  __lsan_disable();
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, stack_, stack_size_);
#endif
  swapcontext(&caller_context_, &fiber_context_);
#if XPCTEST_ASAN
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
  __lsan_enable();
#endif
  t_current = outer_;
}

void Fiber::Entry(unsigned low, unsigned high) {
  auto* self = reinterpret_cast<Fiber*>(static_cast<uintptr_t>(low) |
                                        (static_cast<uintptr_t>(high) << 32));
#if XPCTEST_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &self->caller_stack_bottom_, &self->caller_stack_size_);
#endif
  self->body_();
  self->finished_ = true;
  self->SwitchOut();
}

void Fiber::Park() { SwitchOut(); }

void Fiber::SwitchOut() {
#if XPCTEST_ASAN
  // This fiber never resumes: its fake stack may go (nullptr save slot).
  __sanitizer_start_switch_fiber(nullptr, caller_stack_bottom_, caller_stack_size_);
#endif
#if XPCTEST_TSAN
  __tsan_switch_to_fiber(tsan_caller_, 0);
#endif
  setcontext(&caller_context_);
  InternalError("a parked fiber resumed");
}

}  // namespace xpctest::fakes::runtime
