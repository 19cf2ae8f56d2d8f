// dispatch/fiber.h — stacks of their own on one thread, switched by hand.
//
// A Fiber is a stack and a place to resume on it. Every thread already runs
// one, its own stack (Fiber::Current() before any switch); more are made with
// a body to run. SwitchTo() suspends the running fiber and resumes another
// where it was suspended, or starts its body. Two users, one implementation:
//
//  - the deterministic executor: every blocking wait suspends the fiber it is
//    made on, so waiting work items can be resumed in any order (M:1
//    contexts, see deterministic_executor.cc);
//  - the runtime: an unmodified service main runs on a fiber until it parks in
//    dispatch_main() or xpc_main() (P11), and control returns to its starter.
//
//   Fiber main_fiber([&] { service_main(argc, argv); });
//   main_fiber.Start();   // returns when the body returns or leaves for good
//   ...
//   // on the fiber, in dispatch_main():
//   Fiber::Current().ReturnToStarter();   // never returns
//
// What belongs to "the code that runs" switches with the fiber: the queues it
// holds (ThreadFrame) and its current domain. A new fiber starts with neither.
// A fiber may also play its process's main thread (set_main_thread_of); the
// thread's own stack plays it on the process's initial thread (see
// thread_frame.h).
//
// Sanitizers are told about every switch (ASan and TSan fiber annotations).
// swapcontext() costs one sigprocmask system call per switch.
//
// Threading: a fiber runs on the thread that started it, one at a time.
// Lifetime: destroying a suspended fiber discards its stack without unwinding
// it, as a crash discards a process's stack: nothing on it is freed. A fiber
// that left for good (its body returned, ReturnToStarter, ExitTo) may be
// destroyed freely. Never destroy the running fiber.
#ifndef XPCTEST_FAKES_DISPATCH_FIBER_H
#define XPCTEST_FAKES_DISPATCH_FIBER_H

#include <ucontext.h>

#include <cstddef>
#include <functional>
#include <memory>

namespace xpctest::fakes::dispatch {

class Domain;
class DomainState;
class ThreadFrame;

class Fiber {
 public:
  static constexpr size_t kDefaultStackSize = size_t{1} << 20;

  // A fiber that runs `body` when first switched to. When the body returns,
  // control goes to the fiber's starter (see Start), which must exist.
  explicit Fiber(std::function<void()> body, size_t stack_size = kDefaultStackSize);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // The fiber running on this thread: the thread's own stack until a switch.
  static Fiber& Current();
  // Suspends Current() and runs `to` (not running, not finished). Returns
  // when some fiber switches back to the caller's.
  static void SwitchTo(Fiber& to);
  // Leaves the current fiber for good and runs `to`; the fiber never resumes.
  [[noreturn]] static void ExitTo(Fiber& to);

  // Runs this fiber with the caller as its starter, until the body returns or
  // the fiber calls ReturnToStarter(). While it runs, allocations made on this
  // thread are not leak-checked: a fiber that leaves for good keeps what it
  // allocated referenced only from its discarded stack (P11).
  void Start();
  // On this fiber: switches to its starter for good; never returns.
  [[noreturn]] void ReturnToStarter();
  // The fiber that Start()ed this one, while it has not been returned to.
  Fiber* starter() const { return starter_; }

  bool finished() const { return finished_; }
  bool is_thread_stack() const { return thread_stack_; }

  // The process whose main thread this fiber is (a service's main), if any.
  void set_main_thread_of(std::shared_ptr<DomainState> domain) { main_thread_of_ = std::move(domain); }
  const std::shared_ptr<DomainState>& main_thread_of() const { return main_thread_of_; }

 private:
  struct ThreadStackTag {};
  explicit Fiber(ThreadStackTag);

  static void Entry(unsigned low, unsigned high);
  static void Switch(Fiber& from, Fiber& to, bool for_good);
  // On this fiber, right after a switch to it.
  void Arrived();

  std::function<void()> body_;
  const bool thread_stack_;
  bool started_ = false;
  bool finished_ = false;
  Fiber* starter_ = nullptr;
  std::shared_ptr<DomainState> main_thread_of_;
  // The mapping (guard page included) and the usable stack above the guard.
  void* mapping_ = nullptr;
  size_t mapping_size_ = 0;
  const void* stack_bottom_ = nullptr;
  size_t stack_size_ = 0;
  ucontext_t context_;
  // What switches with the fiber while it is suspended.
  ThreadFrame* frames_ = nullptr;
  Domain* domain_ = nullptr;
  // Sanitizer state (used only in sanitizer builds).
  [[maybe_unused]] void* fake_stack_ = nullptr;
  [[maybe_unused]] void* tsan_fiber_ = nullptr;   // created for it (none: thread stack)
  // The TSan context to resume it in: the one it left in, which may be one
  // it entered after it started (os/sleep.cc).
  [[maybe_unused]] void* tsan_resume_ = nullptr;
};

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_FIBER_H
