// The deterministic executor: one thread, a virtual clock, a seeded choice.
//
// M:1 cooperative contexts. Everything runs on the thread that drives it, on
// several stacks (fibers, fiber.h): the driving thread's own, and "runner"
// fibers that work items run on. A blocking wait (Park) suspends the stack it
// is made on, whichever work item that is in, and the executor goes on with
// something else. Once the wait is satisfied its context is *ready*, and the
// scheduler resumes it when its policy picks it. Any waiting context can be
// resumed, in any order: a work item that needs another blocked one to
// continue (a producer/consumer pair on two semaphores, a dispatch_sync that
// releases a block waiting on the same concurrent queue, nested
// dispatch_apply) simply continues. (Before, waits pumped nested on one stack,
// so only the innermost could return, and such programs looked deadlocked.)
//
// One decision at a time (Step): fire the timers that are due; else let waits
// whose deadline has passed time out; else pick, by the scheduler's policy
// (seed 0: the smallest sequence number; otherwise the seeded PRNG), among
// the runnable queue heads and the ready contexts, a context counting with
// the sequence number it got when it became ready:
//  - an async item runs on the current context when that context is free to
//    run items (a drive loop, a runner between items); a parked context hands
//    it to a runner (an idle one, or a new one) and switches there;
//  - a dispatch_sync at the head of its queue is granted the queue, and its
//    context resumed: it runs its block itself;
//  - a ready context is resumed.
// Items run directly on the current context, one after the other; a switch
// happens only when a wait parks or a context is resumed. A context that
// switches away stays what it was: a parked one waits, a drive loop
// (RunUntilIdle & co.) is ready to go on, a runner with nothing of its own
// becomes idle.
//
// When nothing can run, the clock jumps to the next timer or wait deadline.
// Without one, every blocked wait is reported as a deadlock, and the driving
// thread's wait (the one the test body, or whatever it called, is in) returns
// kDeadlock: the driving thread never hangs. The other waits stay blocked
// until something satisfies them, or the executor shuts down and each returns
// kShutdown, letting its stack unwind.
#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/executor.h"
#include "dispatch/fiber.h"
#include "dispatch/queue_internal.h"
#include "dispatch/scheduler.h"
#include "dispatch/thread_frame.h"

namespace xpctest::fakes::dispatch {
namespace {

// How long virtual time may run on repeating timers alone while a wait has
// nothing else to hope for, and how many of their firings it may take, before
// the wait is declared a deadlock.
constexpr Duration kRepeatingTimerHorizon = std::chrono::hours(1);
constexpr int kRepeatingTimerFirings = 100'000;
// See Executor::RepeatFloor.
constexpr Duration kRepeatFloor = std::chrono::milliseconds(1);

// Whether the running code is the driving thread's: on the thread's own stack,
// or on a fiber (a service's main) started from it.
bool OnDrivingStack() {
  const Fiber* fiber = &Fiber::Current();
  while (fiber->starter() != nullptr) fiber = fiber->starter();
  return fiber->is_thread_stack();
}

}  // namespace

class DeterministicExecutor final : public Executor {
 public:
  explicit DeterministicExecutor(uint64_t seed)
      : Executor(seed, kVirtualEpoch), now_(kVirtualEpoch.nanos) {}
  ~DeterministicExecutor() override { Shutdown(); }

  ExecutorKind kind() const override { return ExecutorKind::kDeterministic; }
  Duration RepeatFloor() const override { return kRepeatFloor; }
  TimePoint Now() const override { return TimePoint{now_.load(std::memory_order_acquire)}; }
  int64_t WallNow() const override {
    return kVirtualWallEpochNanos + (Now().nanos - kVirtualEpoch.nanos);
  }

  void RunUntilIdle() override { Drive(kForever, /*repeating=*/false, nullptr); }

  void RunFor(Duration duration) override {
    TimePoint target = Now() + duration;
    Drive(target, /*repeating=*/true, nullptr);
    if (Now() < target) SetNow(target);
  }

  bool RunUntil(const std::function<bool()>& done, Duration timeout) override {
    TimePoint deadline = Now() + timeout;
    if (Drive(deadline, /*repeating=*/true, &done)) return true;
    if (Now() < deadline) SetNow(deadline);
    return done();
  }

  ParkResult Park(Parker& parker, TimePoint deadline, std::string_view call,
                  WaitLabel what) override {
    return ParkHere(parker, deadline, call, std::move(what), /*dispatch_main=*/false);
  }

  void Unpark(Parker& parker) override {
    std::lock_guard lock(scheduler_->mu());
    UnparkLocked(parker);
  }

  void UnparkLocked(Parker& parker) override {
    parker.unparked_.store(true, std::memory_order_release);
    if (auto* wait = static_cast<Wait*>(parker.wait_)) MakeReadyLocked(*wait, ParkResult::kUnparked);
  }

  [[noreturn]] void ServeMainQueue(Domain& domain) override {
    Parker never(*this);
    ParkResult result = ParkHere(never, kForever, "dispatch_main", "work that can never come",
                                 /*dispatch_main=*/true);
    if (result == ParkResult::kShutdown && shutdown_fiber_ != nullptr &&
        &Fiber::Current() != shutdown_fiber_) {
      // A work item in dispatch_main when the executor went: its stack is
      // abandoned, as a process's is.
      Fiber::ExitTo(*shutdown_fiber_);
    }
    // Reported as "dispatch_main: nothing left to run"; a sink let the report
    // return, but dispatch_main cannot: end the process.
    std::exit(1);
  }

  void OnWorkLocked() override {}
  void OnTimersChangedLocked() override {}

  void Shutdown() override {
    if (shut_down_) return;
    XPCTEST_ASSERT(!OnRunner(), "an executor was shut down from one of its own work items");
    shut_down_ = true;
    shutdown_fiber_ = &Fiber::Current();
    scheduler_->Shutdown();
    // Every suspended context unwinds: its wait returns kShutdown (or what
    // satisfied it), its work item ends, and its runner exits back here.
    for (;;) {
      Wait* next = nullptr;
      {
        std::lock_guard lock(scheduler_->mu());
        if (!waits_.empty()) next = waits_.begin()->second;
        if (next != nullptr) MakeReadyLocked(*next, ParkResult::kShutdown);
      }
      if (next == nullptr) break;
      Fiber::SwitchTo(*next->fiber);
    }
    std::vector<Runner*> idle;
    idle.swap(idle_);
    for (Runner* runner : idle) Fiber::SwitchTo(*runner->fiber);
    runners_.clear();
    scheduler_->set_executor(nullptr);
  }

 private:
  // A suspended context that will be resumed: a parked wait, or a drive loop
  // that yielded to another context (no parker, ready at once).
  struct Wait {
    Fiber* fiber = nullptr;
    Parker* parker = nullptr;
    TimePoint deadline = kForever;
    std::string call;
    WaitLabel what{std::string()};
    std::string queue_label;
    std::string domain_label;
    bool driving = false;        // on the driving thread's stack
    bool dispatch_main = false;  // dispatch_main's endless wait
    uint64_t id = 0;             // park order
    // Guarded by the scheduler's mutex.
    bool ready = false;
    ParkResult result = ParkResult::kUnparked;
    uint64_t ready_seq = 0;  // when it became ready, from the items' sequence
  };

  // A fiber that work items run on while the context that picked them is
  // parked. `handoff` is the item it was switched to for.
  struct Runner {
    std::unique_ptr<Fiber> fiber;
    std::optional<Started> handoff;
  };

  // Who runs a decision: a drive loop or a runner may run items itself; a
  // parked context hands them to a runner.
  enum class Role { kDriving, kRunner, kParked };
  enum class StepResult { kProgress, kNothing };

  void SetNow(TimePoint time) { now_.store(time.nanos, std::memory_order_release); }

  bool OnRunner() const {
    const Fiber& current = Fiber::Current();
    for (const auto& runner : runners_) {
      if (runner->fiber.get() == &current) return true;
    }
    return false;
  }

  void MakeReadyLocked(Wait& wait, ParkResult result) {
    if (wait.ready) return;
    wait.ready = true;
    wait.result = result;
    wait.ready_seq = scheduler_->NextSeqLocked();
  }

  ParkResult ParkHere(Parker& parker, TimePoint deadline, std::string_view call, WaitLabel what,
                      bool dispatch_main) {
    if (shut_down_) return ParkResult::kShutdown;
    const ThreadFrame* frame = ThreadFrame::Innermost();
    Wait wait;
    wait.fiber = &Fiber::Current();
    wait.parker = &parker;
    wait.deadline = deadline;
    wait.call = std::string(call);
    wait.what = std::move(what);
    wait.queue_label = frame != nullptr ? frame->queue()->label() : "";
    wait.domain_label = CurrentDomain().label();
    wait.driving = OnDrivingStack();
    wait.dispatch_main = dispatch_main;
    {
      std::lock_guard lock(scheduler_->mu());
      if (parker.unparked()) return ParkResult::kUnparked;
      wait.id = next_wait_id_++;
      parker.wait_ = &wait;
      waits_[wait.id] = &wait;
    }
    if (wait.driving) repeating_since_.reset();
    for (;;) {
      {
        std::lock_guard lock(scheduler_->mu());
        if (wait.ready) break;
      }
      if (Step(Role::kParked, nullptr, &wait) == StepResult::kNothing) Stall();
    }
    std::lock_guard lock(scheduler_->mu());
    waits_.erase(wait.id);
    parker.wait_ = nullptr;
    return wait.result;
  }

  // RunUntilIdle, RunFor, RunUntil: decisions until `done`, or until nothing
  // is left before `limit` (timers: one-shot only unless `repeating`).
  // Returns whether `done` held.
  bool Drive(TimePoint limit, bool repeating, const std::function<bool()>* done) {
    for (;;) {
      if (done != nullptr && (*done)()) return true;
      if (shut_down_) return false;
      if (Step(Role::kDriving, nullptr, nullptr) == StepResult::kProgress) continue;
      std::optional<TimePoint> next;
      {
        std::lock_guard lock(scheduler_->mu());
        next = NextEventLocked(repeating);
      }
      if (!next || *next > limit) return false;
      if (*next > Now()) SetNow(*next);
    }
  }

  void RunnerMain(Runner& self) {
    for (;;) {
      if (self.handoff) {
        Started started = std::move(*self.handoff);
        self.handoff.reset();
        RunStarted(started);
        continue;
      }
      if (shut_down_) break;
      if (Step(Role::kRunner, &self, nullptr) == StepResult::kNothing) Stall();
    }
    Fiber::ExitTo(*shutdown_fiber_);
  }

  // One scheduling decision (see the file comment). `self` is the caller's
  // wait when it is parked.
  StepResult Step(Role role, Runner* runner, Wait* self) {
    std::vector<Timer> due;
    std::optional<Started> started;
    Wait* resume = nullptr;
    {
      std::lock_guard lock(scheduler_->mu());
      if (shut_down_ || scheduler_->shut_down_locked()) return StepResult::kNothing;
      due = scheduler_->TakeDueTimersLocked(Now());
      if (due.empty()) {
        ExpireWaitsLocked();
        if (self != nullptr && self->ready) return StepResult::kProgress;  // timed out
        ready_seqs_.clear();
        ready_waits_.clear();
        for (auto& [id, wait] : waits_) {
          if (!wait->ready || wait == self) continue;
          ready_seqs_.push_back(wait->ready_seq);
          ready_waits_.push_back(wait);
        }
        Scheduler::Choice choice = scheduler_->ChooseLocked(nullptr, ready_seqs_);
        if (choice.started && choice.started->item.waiter != nullptr) {
          // A dispatch_sync gets its queue; its context runs the block.
          SyncWaiter* waiter = choice.started->item.waiter;
          resume = static_cast<Wait*>(waiter->parker.wait_);
          XPCTEST_ASSERT(resume != nullptr, "a queued dispatch_sync is not parked");
          waiter->grant = std::move(choice.started);
          waiter->parker.unparked_.store(true, std::memory_order_release);
          MakeReadyLocked(*resume, ParkResult::kUnparked);
          resume->result = ParkResult::kUnparked;
        } else if (choice.started) {
          started = std::move(choice.started);
        } else if (choice.ready_index != Scheduler::kNoReady) {
          resume = ready_waits_[choice.ready_index];
        }
      }
    }
    if (!due.empty()) {
      for (Timer& timer : due) FireTimer(*timer.domain, timer.callback);
      due.clear();
      scheduler_->TimersFired();
      return StepResult::kProgress;
    }
    if (started) {
      if (role == Role::kParked) {
        HandOff(std::move(*started));
      } else {
        RunStarted(*started);
      }
      return StepResult::kProgress;
    }
    if (resume == nullptr) return StepResult::kNothing;
    if (resume != self) SwitchAway(role, runner, *resume->fiber);
    return StepResult::kProgress;
  }

  // Leaves the current context for `to`, leaving the current one as its role
  // says: parked (its wait is registered), idle (a runner), or ready (a drive
  // loop yields).
  void SwitchAway(Role role, Runner* runner, Fiber& to) {
    switch (role) {
      case Role::kParked:
        Fiber::SwitchTo(to);
        return;
      case Role::kRunner:
        idle_.push_back(runner);
        Fiber::SwitchTo(to);  // back with a handoff, or at shutdown
        return;
      case Role::kDriving: {
        Wait yield;
        yield.fiber = &Fiber::Current();
        yield.driving = OnDrivingStack();
        {
          std::lock_guard lock(scheduler_->mu());
          yield.id = next_wait_id_++;
          waits_[yield.id] = &yield;
          MakeReadyLocked(yield, ParkResult::kUnparked);
        }
        Fiber::SwitchTo(to);
        std::lock_guard lock(scheduler_->mu());
        waits_.erase(yield.id);
        return;
      }
    }
  }

  // From a parked context: runs `started` on an idle runner, or a new one.
  void HandOff(Started started) {
    Runner* runner;
    if (!idle_.empty()) {
      runner = idle_.back();
      idle_.pop_back();
    } else {
      auto fresh = std::make_unique<Runner>();
      Runner* raw = fresh.get();
      fresh->fiber = std::make_unique<Fiber>([this, raw] { RunnerMain(*raw); });
      runners_.push_back(std::move(fresh));
      runner = raw;
    }
    runner->handoff = std::move(started);
    Fiber::SwitchTo(*runner->fiber);
  }

  // Waits whose deadline has come time out, earliest first.
  void ExpireWaitsLocked() {
    for (;;) {
      Wait* expired = nullptr;
      for (auto& [id, wait] : waits_) {
        if (wait->ready || wait->deadline > Now()) continue;
        if (expired == nullptr || wait->deadline < expired->deadline) expired = wait;
      }
      if (expired == nullptr) return;
      MakeReadyLocked(*expired, ParkResult::kTimedOut);
    }
  }

  // The next timer (repeating ones only if asked) or wait deadline.
  std::optional<TimePoint> NextEventLocked(bool repeating) const {
    std::optional<TimePoint> next = scheduler_->NextDeadlineLocked(repeating);
    if (std::optional<TimePoint> wait = NextWaitDeadlineLocked(); wait && (!next || *wait < *next)) {
      next = wait;
    }
    return next;
  }

  std::optional<TimePoint> NextWaitDeadlineLocked() const {
    std::optional<TimePoint> next;
    for (const auto& [id, wait] : waits_) {
      if (wait->ready || wait->deadline == kForever) continue;
      if (!next || wait->deadline < *next) next = wait->deadline;
    }
    return next;
  }

  // Nothing can run now. Moves the clock to the next timer or wait deadline;
  // with none (or only repeating timers, for too long), the driving thread's
  // wait gives up: every blocked wait is reported, and it becomes ready with
  // kDeadlock.
  void Stall() {
    std::string details;
    Wait* victim = nullptr;
    bool only_repeating = false;
    {
      std::lock_guard lock(scheduler_->mu());
      std::optional<TimePoint> next_any = scheduler_->NextDeadlineLocked(true);
      bool finite_hope = scheduler_->NextDeadlineLocked(false) || NextWaitDeadlineLocked();
      if (finite_hope) {
        repeating_since_.reset();
      } else if (next_any && !repeating_since_) {
        repeating_since_ = Now();
        repeating_firings_ = 0;
      }
      bool hopeless = !finite_hope && next_any &&
                      (*next_any - *repeating_since_ > kRepeatingTimerHorizon ||
                       ++repeating_firings_ > kRepeatingTimerFirings);
      std::optional<TimePoint> next = NextEventLocked(/*repeating=*/true);
      if (next && !hopeless) {
        if (*next > Now()) SetNow(*next);
        return;
      }
      only_repeating = next_any.has_value();
      for (auto& [id, wait] : waits_) {
        if (!wait->ready && wait->driving && wait->parker != nullptr) victim = wait;
      }
      // No driving wait would mean the driving thread is blocked outside
      // dispatch; give up the most recent wait rather than hang.
      if (victim == nullptr && !waits_.empty()) victim = waits_.rbegin()->second;
      XPCTEST_ASSERT(victim != nullptr, "the deterministic executor stalled with nothing waiting");
      details = DescribeWaitsLocked();
    }
    if (victim->dispatch_main) {
      ReportDeadlock("dispatch_main", "dispatch_main: nothing left to run", details);
    } else {
      ReportDeadlock(victim->call,
                     fmt::format("{} can never return: {}", victim->call,
                                 only_repeating ? "only repeating timers are left"
                                                : "nothing can run and no timer is pending"),
                     details);
    }
    std::lock_guard lock(scheduler_->mu());
    MakeReadyLocked(*victim, ParkResult::kDeadlock);
    repeating_since_.reset();
  }

  std::string DescribeWaitsLocked() const {
    std::string out = "blocked waits (most recent first):";
    int index = 0;
    for (auto it = waits_.rbegin(); it != waits_.rend(); ++it) {
      const Wait& wait = *it->second;
      if (wait.parker == nullptr) continue;  // a drive loop, ready to go on
      std::string where = wait.queue_label.empty() ? std::string("no queue")
                                                   : fmt::format("queue \"{}\"", wait.queue_label);
      out += fmt::format("\n  #{} {}: waits for {}; on {}{} (domain \"{}\")", index++, wait.call,
                         wait.what.Text(), where, wait.driving ? " (the driving thread)" : "",
                         wait.domain_label);
    }
    std::string blocked = scheduler_->DescribeBlockedLocked();
    out += blocked.empty() ? "\npending work: none" : "\npending work that cannot run:" + blocked;
    out += fmt::format("\nvirtual time: {}, seed: {}", FormatTime(*this, Now()), seed());
    return out;
  }

  std::atomic<int64_t> now_;
  bool shut_down_ = false;
  Fiber* shutdown_fiber_ = nullptr;
  // Every suspended context that will be resumed, by park order (guarded by
  // the scheduler's mutex; the Wait objects live on their contexts' stacks).
  std::map<uint64_t, Wait*> waits_;
  uint64_t next_wait_id_ = 1;
  std::vector<std::unique_ptr<Runner>> runners_;
  std::vector<Runner*> idle_;
  // Since when, and for how many firings, only repeating timers were left.
  std::optional<TimePoint> repeating_since_;
  int repeating_firings_ = 0;
  // Scratch for Step, reused to spare allocations.
  std::vector<uint64_t> ready_seqs_;
  std::vector<Wait*> ready_waits_;
};

std::unique_ptr<Executor> MakeDeterministicExecutor(uint64_t seed) {
  return std::make_unique<DeterministicExecutor>(seed);
}

}  // namespace xpctest::fakes::dispatch
