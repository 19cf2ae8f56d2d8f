// dispatch_apply: iterations spread over the queue, the caller taking part.
#include <atomic>
#include <functional>
#include <memory>

#include "dispatch/apply_internal.h"
#include "dispatch/domain_internal.h"
#include "dispatch/queue_internal.h"

namespace xpctest::fakes::dispatch {
namespace {

// Helpers besides the caller on a concurrent queue.
constexpr size_t kMaxHelpers = 3;

struct ApplyState {
  ApplyState(Executor& executor, size_t n, std::function<void(size_t)> body)
      : iterations(n), body(std::move(body)), finished(executor) {}
  const size_t iterations;
  const std::function<void(size_t)> body;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  Parker finished;  // unparked by whoever completes the last iteration

  void Drain() {
    for (size_t i; (i = next.fetch_add(1)) < iterations;) {
      body(i);
      if (done.fetch_add(1) + 1 == iterations) finished.Unpark();
    }
  }
};

}  // namespace

void Apply(size_t iterations, Queue& queue, std::function<void(size_t)> body,
           std::string_view call) {
  if (iterations == 0) return;
  Executor* executor = queue.scheduler().executor();
  if (executor == nullptr) return;
  auto state = std::make_shared<ApplyState>(*executor, iterations, std::move(body));
  if (!queue.serial()) {
    size_t helpers = std::min(iterations - 1, kMaxHelpers);
    for (size_t h = 0; h < helpers; ++h) {
      // A helper that starts late finds no iteration left and never touches `body`.
      queue.Async(Closure([state] { state->Drain(); }), ItemKind::kAsync, nullptr);
    }
  }
  queue.Sync(Closure([state] { state->Drain(); }), ItemKind::kSync, call);
  // A refused sync (a reported deadlock) ran nothing; there is nothing to wait for.
  if (queue.serial()) return;
  state->finished.Park(kForever, call, "the iterations running on other threads");
}

}  // namespace xpctest::fakes::dispatch
