// The threaded executor: a worker pool like GCD's, a timer thread, real time.
//
// Workers take items from the scheduler under its one mutex. A dispatch_sync
// never needs one: the scheduler hands a runnable sync to its waiting thread
// directly (Scheduler::set_grants_syncs_directly), so any number of threads
// may wait in dispatch_sync, as many as the pool has workers included. The pool starts
// empty and adds a worker when work is runnable, no worker is idle, and fewer
// than `concurrency` workers are running (not blocked); a worker blocked in a
// Park does not count, so waits never starve the pool, up to `max_workers`.
// Idle workers sleep until shutdown.
//
// Wake-ups are what a round trip pays for (futex calls on both sides), so a
// change wakes a worker only when some item can run: a finished item used to
// wake an idle worker that found nothing and slept again. No thread spins
// instead of sleeping: on a loaded machine (CI, or this one with other
// builds) spinning took the CPU from the thread that would answer, and
// yielding gave it away for whole time slices (docs/performance.md).
#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/executor.h"
#include "dispatch/queue_internal.h"
#include "dispatch/scheduler.h"

namespace xpctest::fakes::dispatch {
namespace {

thread_local bool t_is_worker = false;

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::chrono::steady_clock::time_point ToSteady(TimePoint time) {
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(time.nanos));
}

// Whether the queue's chain includes a queue served only by dispatch_main.
bool ThreadBound(const Queue& queue) {
  for (const Queue* q = &queue; q != nullptr; q = q->target_) {
    if (q->thread_bound_) return true;
  }
  return false;
}

// Sync items are granted to their waiters by the scheduler, never run by a
// worker (a runnable one never outlives the lock; this is belt and braces).
bool NotSync(const Item& item) { return item.waiter == nullptr; }

}  // namespace

class ThreadedExecutor final : public Executor {
 public:
  explicit ThreadedExecutor(ThreadedOptions options)
      : Executor(0, TimePoint{SteadyNanos()}), options_(options) {
    // A dispatch_sync's waiting thread is handed its queue directly.
    scheduler_->set_grants_syncs_directly(true);
  }
  ~ThreadedExecutor() override { Shutdown(); }

  ExecutorKind kind() const override { return ExecutorKind::kThreaded; }
  Duration RepeatFloor() const override { return Duration(0); }
  TimePoint Now() const override { return TimePoint{SteadyNanos()}; }
  int64_t WallNow() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  void RunUntilIdle() override {
    std::unique_lock lock(scheduler_->mu());
    scheduler_->progress_cv().wait(lock, [&] { return stopping_ || scheduler_->IdleLocked(); });
  }

  void RunFor(Duration duration) override {
    // The threaded executor's time is real: letting it pass is the point.
    std::this_thread::sleep_for(duration);
  }

  bool RunUntil(const std::function<bool()>& done, Duration timeout) override {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      uint64_t generation;
      {
        std::lock_guard lock(scheduler_->mu());
        generation = scheduler_->progress_generation_locked();
      }
      if (done()) return true;
      std::unique_lock lock(scheduler_->mu());
      // Progress made by threads outside the executor is not signalled; the
      // periodic wake-up covers it.
      auto wake = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(5));
      scheduler_->progress_cv().wait_until(lock, wake, [&] {
        return stopping_ || scheduler_->progress_generation_locked() != generation;
      });
      if (std::chrono::steady_clock::now() >= deadline || stopping_) {
        lock.unlock();
        return done();
      }
    }
  }

  ParkResult Park(Parker& parker, TimePoint deadline, std::string_view call,
                  WaitLabel what) override {
    std::unique_lock lock(scheduler_->mu());
    if (stopping_) return ParkResult::kShutdown;
    parked_.insert(&parker);
    if (t_is_worker) {
      ++blocked_;
      MaybeSpawnLocked();
    }
    while (!parker.unparked() && !stopping_) {
      if (deadline == kForever) {
        parker.cv_.wait(lock);
      } else if (parker.cv_.wait_until(lock, ToSteady(deadline)) == std::cv_status::timeout) {
        break;
      }
    }
    if (t_is_worker) --blocked_;
    parked_.erase(&parker);
    if (parker.unparked()) return ParkResult::kUnparked;
    return stopping_ ? ParkResult::kShutdown : ParkResult::kTimedOut;
  }

  void Unpark(Parker& parker) override {
    std::lock_guard lock(scheduler_->mu());
    UnparkLocked(parker);
  }

  void UnparkLocked(Parker& parker) override {
    parker.unparked_.store(true, std::memory_order_release);
    parker.cv_.notify_all();
  }

  [[noreturn]] void ServeMainQueue(Domain& domain) override {
    std::unique_lock lock(scheduler_->mu());
    Queue& main_queue = domain.state().main_queue();
    main_queue.thread_bound_ = true;
    for (;;) {
      if (stopping_) {
        // The environment is gone; dispatch_main still never returns.
        lock.unlock();
        for (;;) pause();
      }
      std::optional<Started> started = scheduler_->StartNextLocked(
          [&](const Queue& queue, const Item& item) { return NotSync(item) && ThreadBound(queue); });
      if (started) {
        lock.unlock();
        RunStarted(*started);
        lock.lock();
        continue;
      }
      main_cv_.wait(lock);
    }
  }

  // Called when anything changed (an item queued, finished, a queue resumed):
  // wakes a thread only when something can run, or a worker would wake to
  // find nothing and sleep again (two futex calls per finished item).
  void OnWorkLocked() override {
    if (!scheduler_->AnyRunnableLocked()) return;
    if (idle_ > 0) work_cv_.notify_one();
    main_cv_.notify_all();
    MaybeSpawnLocked();
  }

  void OnTimersChangedLocked() override {
    if (stopping_) return;
    if (!timer_thread_.joinable()) {
      timer_thread_ = std::thread([this] { TimerLoop(); });
    }
    timer_cv_.notify_one();
  }

  void Shutdown() override {
    {
      std::lock_guard lock(scheduler_->mu());
      if (stopping_) return;
      stopping_ = true;
      for (Parker* parker : parked_) parker->cv_.notify_all();
      work_cv_.notify_all();
      timer_cv_.notify_all();
      main_cv_.notify_all();
    }
    XPCTEST_ASSERT(!t_is_worker, "an executor was shut down from one of its own workers");
    scheduler_->Shutdown();
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(scheduler_->mu());
      workers.swap(workers_);
    }
    for (std::thread& worker : workers) worker.join();
    if (timer_thread_.joinable()) timer_thread_.join();
    scheduler_->set_executor(nullptr);
  }

 private:
  void MaybeSpawnLocked() {
    if (stopping_ || idle_ > 0) return;
    int running = static_cast<int>(workers_.size()) - blocked_;
    if (running >= options_.concurrency) return;
    if (static_cast<int>(workers_.size()) >= options_.max_workers) return;
    if (!scheduler_->AnyRunnableLocked()) return;
    workers_.emplace_back([this] { WorkerLoop(); });
  }

  void WorkerLoop() {
    t_is_worker = true;
    auto accept = [](const Queue& queue, const Item& item) {
      return NotSync(item) && !ThreadBound(queue);
    };
    std::unique_lock lock(scheduler_->mu());
    while (!stopping_) {
      std::optional<Started> started = scheduler_->StartNextLocked(accept);
      if (!started) {
        ++idle_;
        work_cv_.wait(lock);
        --idle_;
        continue;
      }
      // Hand remaining work to an idle worker before running this item.
      if (idle_ > 0 && scheduler_->AnyRunnableLocked()) work_cv_.notify_one();
      lock.unlock();
      RunStarted(*started);
      lock.lock();
    }
  }

  void TimerLoop() {
    std::unique_lock lock(scheduler_->mu());
    while (!stopping_) {
      std::vector<Timer> due = scheduler_->TakeDueTimersLocked(Now());
      if (!due.empty()) {
        lock.unlock();
        for (Timer& timer : due) FireTimer(*timer.domain, timer.callback);
        due.clear();
        scheduler_->TimersFired();
        lock.lock();
        continue;
      }
      std::optional<TimePoint> next = scheduler_->NextDeadlineLocked(true);
      if (next) {
        timer_cv_.wait_until(lock, ToSteady(*next));
      } else {
        timer_cv_.wait(lock);
      }
    }
  }

  ThreadedOptions options_;
  // Everything below is guarded by the scheduler's mutex.
  std::vector<std::thread> workers_;
  std::thread timer_thread_;
  int idle_ = 0;
  int blocked_ = 0;
  bool stopping_ = false;
  std::set<Parker*> parked_;
  // Plain condition variables: the _any kind takes an inner mutex on every
  // wait and notify, on every hand-off.
  std::condition_variable work_cv_;
  std::condition_variable timer_cv_;
  std::condition_variable main_cv_;
};

std::unique_ptr<Executor> MakeThreadedExecutor(ThreadedOptions options) {
  return std::make_unique<ThreadedExecutor>(options);
}

}  // namespace xpctest::fakes::dispatch
