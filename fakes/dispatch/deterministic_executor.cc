// The deterministic executor: one thread, a virtual clock, a seeded choice.
//
// Everything runs on the thread that drives it. A blocking wait (Park) pumps:
// it runs other work on its own stack until unparked. Waits therefore nest,
// and only the innermost can return; a sync grant is offered only to the
// innermost waiting dispatch_sync for that reason (an outer one could not use
// it and would hold its queue hostage).
#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <vector>

#include "base/report.h"
#include "dispatch/domain_internal.h"
#include "dispatch/executor.h"
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

  void RunUntilIdle() override {
    for (;;) {
      if (Step() != StepResult::kNothing) continue;
      if (!AdvanceToNextTimer(kForever, TimerKind::kOneShot)) return;
    }
  }

  void RunFor(Duration duration) override {
    TimePoint target = Now() + duration;
    for (;;) {
      if (Step() != StepResult::kNothing) continue;
      if (!AdvanceToNextTimer(target, TimerKind::kRepeating)) break;
    }
    if (Now() < target) SetNow(target);
  }

  bool RunUntil(const std::function<bool()>& done, Duration timeout) override {
    TimePoint deadline = Now() + timeout;
    for (;;) {
      if (done()) return true;
      if (Step() != StepResult::kNothing) continue;
      if (!AdvanceToNextTimer(deadline, TimerKind::kRepeating)) break;
    }
    if (Now() < deadline) SetNow(deadline);
    return done();
  }

  ParkResult Park(Parker& parker, TimePoint deadline, std::string_view call,
                  std::string what) override {
    Queue* queue = CurrentQueue();
    parks_.push_back(ParkRecord{&parker, std::string(call), std::move(what),
                                queue != nullptr ? queue->label() : "",
                                CurrentDomain().label()});
    ParkResult result = PumpUntil(parker, deadline);
    parks_.pop_back();
    return result;
  }

  void Unpark(Parker& parker) override {
    parker.unparked_.store(true, std::memory_order_release);
  }

  [[noreturn]] void ServeMainQueue(Domain& domain) override {
    Parker never(*this);
    parks_.push_back(ParkRecord{&never, "dispatch_main", "work that can never come", "",
                                domain.label()});
    PumpUntil(never, kForever, /*report=*/false);
    ReportDeadlock("dispatch_main", "dispatch_main: nothing left to run", DescribeWaits());
    // A sink let the report return, but dispatch_main cannot: end the process.
    std::exit(1);
  }

  void OnWorkLocked() override {}
  void OnTimersChangedLocked() override {}

  void Shutdown() override {
    if (shut_down_) return;
    shut_down_ = true;
    scheduler_->Shutdown();
    scheduler_->set_executor(nullptr);
  }

 private:
  enum class StepResult { kRanItem, kFiredTimers, kNothing };

  struct ParkRecord {
    Parker* parker;
    std::string call;
    std::string what;
    std::string queue_label;
    std::string domain_label;
  };

  void SetNow(TimePoint time) { now_.store(time.nanos, std::memory_order_release); }

  // One scheduling decision: fire the timers that are due, else run one item.
  StepResult Step() {
    std::vector<Timer> due;
    std::optional<Started> started;
    {
      std::lock_guard lock(scheduler_->mu());
      if (scheduler_->shut_down_locked()) return StepResult::kNothing;
      due = scheduler_->TakeDueTimersLocked(Now());
      if (due.empty()) {
        started = scheduler_->StartNextLocked([this](const Queue&, const Item& item) {
          return item.waiter == nullptr ||
                 (!parks_.empty() && &item.waiter->parker == parks_.back().parker);
        });
      }
    }
    if (!due.empty()) {
      for (Timer& timer : due) FireTimer(*timer.domain, timer.callback);
      due.clear();
      scheduler_->TimersFired();
      return StepResult::kFiredTimers;
    }
    if (!started) return StepResult::kNothing;
    RunStarted(*started);
    return StepResult::kRanItem;
  }

  // Moves the clock to the next timer of `kind` (kRepeating: any timer) if it
  // is due no later than `limit`.
  bool AdvanceToNextTimer(TimePoint limit, TimerKind kind) {
    std::lock_guard lock(scheduler_->mu());
    std::optional<TimePoint> next =
        scheduler_->NextDeadlineLocked(/*include_repeating=*/kind == TimerKind::kRepeating);
    if (!next || *next > limit) return false;
    if (*next > Now()) SetNow(*next);
    return true;
  }

  ParkResult PumpUntil(Parker& parker, TimePoint deadline, bool report = true) {
    std::optional<TimePoint> repeating_since;
    int repeating_firings = 0;
    for (;;) {
      if (parker.unparked()) return ParkResult::kUnparked;
      if (shut_down_) return ParkResult::kShutdown;
      if (Now() >= deadline) return ParkResult::kTimedOut;
      if (Step() != StepResult::kNothing) continue;
      std::optional<TimePoint> next_any, next_one_shot;
      {
        std::lock_guard lock(scheduler_->mu());
        next_any = scheduler_->NextDeadlineLocked(true);
        next_one_shot = scheduler_->NextDeadlineLocked(false);
      }
      if (next_one_shot) {
        repeating_since.reset();
        repeating_firings = 0;
      } else if (next_any && !repeating_since) {
        repeating_since = Now();
      }
      bool hopeless = repeating_since &&
                      (*next_any - *repeating_since > kRepeatingTimerHorizon ||
                       ++repeating_firings > kRepeatingTimerFirings);
      if (next_any && *next_any <= deadline && !hopeless) {
        if (*next_any > Now()) SetNow(*next_any);
        continue;
      }
      if (deadline != kForever) {
        SetNow(deadline);
        return ParkResult::kTimedOut;
      }
      if (report) {
        const ParkRecord& innermost = parks_.back();
        ReportDeadlock(innermost.call,
                       fmt::format("{} can never return: {}", innermost.call,
                                   next_any ? "only repeating timers are left"
                                            : "nothing can run and no timer is pending"),
                       DescribeWaits());
      }
      return ParkResult::kDeadlock;
    }
  }

  std::string DescribeWaits() {
    std::string out = "blocked waits (innermost first):";
    for (size_t i = parks_.size(); i-- > 0;) {
      const ParkRecord& park = parks_[i];
      out += fmt::format("\n  #{} {}: waits for {}; on {} (domain \"{}\"){}", parks_.size() - 1 - i,
                         park.call, park.what,
                         park.queue_label.empty() ? std::string("no queue (the driving thread)")
                                                  : fmt::format("queue \"{}\"", park.queue_label),
                         park.domain_label, park.parker->unparked() ? " [satisfied, below the innermost]" : "");
    }
    std::lock_guard lock(scheduler_->mu());
    std::string blocked = scheduler_->DescribeBlockedLocked();
    out += blocked.empty() ? "\npending work: none" : "\npending work that cannot run:" + blocked;
    out += fmt::format("\nvirtual time: {}, seed: {}", FormatTime(*this, Now()), seed());
    return out;
  }

  std::atomic<int64_t> now_;
  std::vector<ParkRecord> parks_;
  bool shut_down_ = false;
};

std::unique_ptr<Executor> MakeDeterministicExecutor(uint64_t seed) {
  return std::make_unique<DeterministicExecutor>(seed);
}

}  // namespace xpctest::fakes::dispatch
