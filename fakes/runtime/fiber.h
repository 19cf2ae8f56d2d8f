// runtime/fiber.h — a stack of its own for a simulated process's main().
//
// An unmodified service `main` runs on a Fiber until it parks in
// dispatch_main() or xpc_main() (P11): Park() switches back to whoever
// started the fiber and never returns, exactly as those calls never return on
// macOS. The fiber's stack is kept until the Fiber is destroyed (the world's
// end), and is then discarded without unwinding, as a crash discards a real
// process's stack.
//
// Sanitizers are told about every switch (ASan and TSan fiber annotations).
//
// Threading: Start() runs the fiber on the calling thread until it parks or
// its body returns; Park() must be called on the fiber.
#ifndef XPCTEST_FAKES_RUNTIME_FIBER_H
#define XPCTEST_FAKES_RUNTIME_FIBER_H

#include <ucontext.h>

#include <cstddef>
#include <functional>
#include <memory>

namespace xpctest::fakes::runtime {

class Process;

class Fiber {
 public:
  // `body` runs main as `process` (which outlives the fiber).
  Fiber(Process& process, std::function<void()> body, size_t stack_size = 1 << 20);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Runs the body on the fiber until it parks or returns.
  void Start();
  // On the fiber: switches back to Start's caller, for good.
  [[noreturn]] void Park();
  bool finished() const { return finished_; }
  // The process whose main runs on this fiber.
  Process* process() const { return process_; }

  // The fiber running on this thread, or null.
  static Fiber* Current();

 private:
  static void Entry(unsigned low, unsigned high);
  [[noreturn]] void SwitchOut();

  Process* process_;
  std::function<void()> body_;
  size_t stack_size_;
  void* stack_ = nullptr;
  ucontext_t fiber_context_;
  ucontext_t caller_context_;
  Fiber* outer_ = nullptr;  // the fiber that started this one (nesting)
  bool finished_ = false;
  void* tsan_fiber_ = nullptr;
  void* tsan_caller_ = nullptr;
  const void* caller_stack_bottom_ = nullptr;
  size_t caller_stack_size_ = 0;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_FIBER_H
