// dispatch/executor.h — what runs the queues: threads, or a seeded scheduler
// with a virtual clock.
//
// Queues, semaphores, groups, timers and sources are written once over this
// interface. Two implementations:
//
//  - MakeThreadedExecutor(): a worker pool like GCD's (it grows while workers
//    block in dispatch waits, up to 64 threads) plus a timer thread, on the
//    real monotonic clock. Realism, and TSan coverage.
//  - MakeDeterministicExecutor(seed): everything runs on the thread that
//    drives it (RunUntilIdle, RunFor, RunUntil, or any blocking wait), on
//    cooperative fibers: each blocking wait suspends its own, and any waiting
//    work item can be resumed, in any order. One work item (or resumed wait)
//    per scheduling decision, picked by a private std::mt19937_64 seeded with
//    `seed`, or the oldest first when seed is 0. When nothing is runnable the
//    virtual clock jumps to the next timer, so a 30-second dispatch_after
//    costs microseconds. The same seed gives the same execution order.
//
//   auto executor = MakeDeterministicExecutor(42);
//   Domain host("host", *executor);
//   ScopedEnvironment env(*executor, host);
//   dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC), q, ^{ ... });
//   executor->RunUntilIdle();   // virtual time is now +30 s
//
// Threading: the threaded executor may be used from any thread. The
// deterministic one must be driven by one thread at a time; work it runs may
// call back into it (blocking waits do). Drive functions must not be called
// from inside a work item on the threaded executor.
//
// Lifetime: Shutdown() (also run by the destructor) kills every domain on the
// executor (pending work and timers are released without running), wakes
// every parked wait with kShutdown (the deterministic executor resumes each
// and lets its work item run to its end), and joins all threads. Queues that
// outlive it discard whatever is submitted to them.
#ifndef XPCTEST_FAKES_DISPATCH_EXECUTOR_H
#define XPCTEST_FAKES_DISPATCH_EXECUTOR_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "dispatch/closure.h"
#include "dispatch/parker.h"
#include "dispatch/time_internal.h"

namespace xpctest::fakes::dispatch {

class Domain;
class Scheduler;
class DomainState;
struct Started;

enum class ExecutorKind { kThreaded, kDeterministic };

// One work item about to run, as seen by a trace hook.
struct TraceEvent {
  std::string_view queue_label;
  uint64_t queue_id;     // creation order of the queue on this executor
  std::string_view domain_label;
  TimePoint time;        // executor's clock when the item started
  uint64_t item_seq;     // submission order of the item on this executor
  bool barrier;
};
// Called on the thread that runs the item, before it runs; must not block or
// submit work. On the threaded executor it may be called concurrently.
using TraceHook = std::function<void(const TraceEvent&)>;

// Whether a timer repeats (timer sources with an interval) or fires once.
// RunUntilIdle() does not wait for repeating timers.
enum class TimerKind { kOneShot, kRepeating };

using TimerId = uint64_t;

class Executor {
 public:
  virtual ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  virtual ExecutorKind kind() const = 0;
  // The scheduling seed (deterministic); 0 for the threaded executor.
  uint64_t seed() const { return seed_; }
  // The monotonic clock (virtual on the deterministic executor).
  virtual TimePoint Now() const = 0;
  // Nanoseconds since the Unix epoch (virtual on the deterministic executor).
  virtual int64_t WallNow() const = 0;
  // Where the clock started, for relative times in traces.
  TimePoint start_time() const { return start_time_; }
  // The shortest gap between two firings of one repeating timer source. The
  // threaded executor: none (real time passes while handlers run). The
  // deterministic one: 1 ms, because its clock stands still while handlers
  // run, so a 1-ns timer would otherwise fire a billion times per virtual
  // second; the source's data still counts every interval.
  virtual Duration RepeatFloor() const = 0;

  // ScheduleTimer
  //
  // Runs `callback` once the clock reaches `deadline`, with CurrentDomain()
  // set to `domain`. Callbacks run on the timer thread (threaded) or inline in
  // the scheduler (deterministic): they must not block, only submit work.
  // Killing the domain discards the timer. Returns an id for CancelTimer.
  TimerId ScheduleTimer(Domain& domain, TimePoint deadline, std::function<void()> callback,
                        TimerKind kind = TimerKind::kOneShot);
  // Cancels a timer that has not fired; returns whether it was still pending.
  // The callback is destroyed before this returns.
  bool CancelTimer(TimerId id);

  // RunUntilIdle
  //
  // Deterministic: runs everything runnable, advancing virtual time through
  // one-shot timers, until nothing is runnable and no one-shot timer is
  // pending. Threaded: waits until no queue holds work, nothing runs and no
  // one-shot timer is pending. Not from inside a work item.
  virtual void RunUntilIdle() = 0;
  // RunFor / AdvanceBy
  //
  // Deterministic: runs work and timers until the clock reaches now+duration
  // (the clock ends exactly there). Threaded: lets real time pass.
  virtual void RunFor(Duration duration) = 0;
  void AdvanceBy(Duration duration) { RunFor(duration); }
  // RunUntil
  //
  // Runs (or waits) until `done()` holds, at most `timeout` of executor time;
  // returns done(). Deterministic: `done` is checked after every work item and
  // timer. Threaded: after every finished work item and timer.
  virtual bool RunUntil(const std::function<bool()>& done, Duration timeout) = 0;

  // Trace hook for every work item; replaces the previous one (empty: none).
  void SetTraceHook(TraceHook hook);

  // Kills all domains, wakes all parked waits, joins threads. Idempotent.
  virtual void Shutdown() = 0;

  // --- For the fakes' own layers (queues, Parker, dispatch_main) -----------

  Scheduler& scheduler() const { return *scheduler_; }
  const std::shared_ptr<Scheduler>& shared_scheduler() const { return scheduler_; }
  virtual ParkResult Park(Parker& parker, TimePoint deadline, std::string_view call,
                          WaitLabel what) = 0;
  virtual void Unpark(Parker& parker) = 0;
  // Unpark with the scheduler's mutex held (the scheduler's sync grants).
  virtual void UnparkLocked(Parker& parker) = 0;
  // dispatch_main(): never returns (see <dispatch/queue.h>).
  [[noreturn]] virtual void ServeMainQueue(Domain& domain) = 0;
  // Called by the scheduler, with its mutex held, when work may have become
  // runnable or timers changed.
  virtual void OnWorkLocked() = 0;
  virtual void OnTimersChangedLocked() = 0;

 protected:
  Executor(uint64_t seed, TimePoint start_time);
  // Runs one started item (never a sync grant) on this thread as its
  // queue's domain, then finishes it.
  void RunStarted(Started& started);
  // Runs one timer callback (outside the scheduler lock) as its domain.
  void FireTimer(DomainState& domain, Closure& callback);
  std::shared_ptr<TraceHook> trace_hook() const;

  std::shared_ptr<Scheduler> scheduler_;

 private:
  std::shared_ptr<TraceHook> trace_hook_;
  uint64_t seed_;
  TimePoint start_time_;
};

// The threaded executor; `max_workers` caps the pool.
struct ThreadedOptions {
  int max_workers = 64;
  // Workers allowed to run at once, not counting those blocked in waits.
  int concurrency = 4;
};
std::unique_ptr<Executor> MakeThreadedExecutor(ThreadedOptions options = {});
// The deterministic executor; seed 0 means strict FIFO.
std::unique_ptr<Executor> MakeDeterministicExecutor(uint64_t seed);

}  // namespace xpctest::fakes::dispatch

#endif  // XPCTEST_FAKES_DISPATCH_EXECUTOR_H
