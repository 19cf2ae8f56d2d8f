// dispatch/closure.h — the one representation of "work to run later".
//
// A Closure holds a block (copied with Block_copy), a C function with its
// context, or a C++ callable. It is move-only; destroying one that never ran
// releases what it holds, which is how discarded work (a killed domain, an
// executor shut down) releases its blocks without running them.
//
//   Closure c = Closure::FromBlock(block);
//   ClientCallout(c);   // every call into client code passes through here
//
// Thread safety: none; a Closure is owned by one queue item at a time.
#ifndef XPCTEST_FAKES_DISPATCH_CLOSURE_H
#define XPCTEST_FAKES_DISPATCH_CLOSURE_H

#include <dispatch/object.h>

#include <cstdint>
#include <functional>
#include <utility>

namespace xpctest::fakes::dispatch {

class Closure {
 public:
  Closure() = default;
  // Wraps a C++ callable (internal work: timers, handlers, finalizers).
  explicit Closure(std::function<void()> function) : function_(std::move(function)) {}
  // Copies `block`; released in the destructor.
  static Closure FromBlock(dispatch_block_t block);
  static Closure FromFunction(dispatch_function_t function, void* context);

  Closure(Closure&& other) noexcept { MoveFrom(other); }
  Closure& operator=(Closure&& other) noexcept {
    if (this != &other) {
      Reset();
      MoveFrom(other);
    }
    return *this;
  }
  Closure(const Closure&) = delete;
  Closure& operator=(const Closure&) = delete;
  ~Closure() { Reset(); }

  explicit operator bool() const {
    return block_ != nullptr || c_function_ != nullptr || static_cast<bool>(function_);
  }
  // Runs the work; may run again (handlers run many times).
  void Run() const;
  // Releases what the closure holds without running it.
  void Reset();

 private:
  void MoveFrom(Closure& other) {
    block_ = std::exchange(other.block_, nullptr);
    c_function_ = std::exchange(other.c_function_, nullptr);
    context_ = std::exchange(other.context_, nullptr);
    function_ = std::move(other.function_);
    other.function_ = nullptr;
  }

  dispatch_block_t block_ = nullptr;
  dispatch_function_t c_function_ = nullptr;
  void* context_ = nullptr;
  std::function<void()> function_;
};

// Bury
//
// Keeps `remains` (a block or context of a process that ended) reachable for
// the rest of the program, never released: a real process's memory vanishes
// with it, so what its blocks hold must not look leaked to LeakSanitizer.
void Bury(const void* remains);
// How many things were buried so far, program-wide.
uint64_t BuriedCount();

// While one is alive on this thread, closures destroyed unrun keep what the
// client gave them (blocks, contexts) instead of releasing it: the work of a
// process that ended is abandoned, as a dead process's memory just vanishes.
// Internal C++ closures are destroyed normally.
class ScopedAbandon {
 public:
  ScopedAbandon();
  ~ScopedAbandon();
  ScopedAbandon(const ScopedAbandon&) = delete;
  ScopedAbandon& operator=(const ScopedAbandon&) = delete;
};

// ClientCallout
//
// Every call into client code (blocks, functions, handlers, finalizers) goes
// through here, so there is one place to hook or annotate callouts.
inline void ClientCallout(const Closure& closure) { closure.Run(); }

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_CLOSURE_H
