#include "runtime/faults.h"

#include <fmt/format.h>

#include <algorithm>

namespace xpctest::fakes::runtime {

const char* MessageDirectionName(MessageDirection direction) {
  switch (direction) {
    case MessageDirection::kRequest: return "request";
    case MessageDirection::kEvent: return "event";
    case MessageDirection::kReply: return "reply";
    case MessageDirection::kConnect: return "connection";
  }
  return "?";
}

const char* FaultActionName(FaultActionKind kind) {
  switch (kind) {
    case FaultActionKind::kDelay: return "delay";
    case FaultActionKind::kDrop: return "drop";
    case FaultActionKind::kHold: return "hold";
    case FaultActionKind::kCrashSender: return "crash sender";
    case FaultActionKind::kCrashReceiver: return "crash receiver";
    case FaultActionKind::kMutate: return "mutate";
    case FaultActionKind::kCancelSender: return "cancel sender at";
    case FaultActionKind::kCancelReceiver: return "cancel receiver at";
    case FaultActionKind::kFailCodeSigning: return "fail the code-signing check of";
    case FaultActionKind::kRefuse: return "refuse";
  }
  return "?";
}

int Faults::Add(FaultRule rule) {
  std::lock_guard lock(mutex_);
  rules_.push_back(Entry{next_id_, std::move(rule)});
  return next_id_++;
}

void Faults::Remove(int id) {
  std::lock_guard lock(mutex_);
  std::erase_if(rules_, [id](const Entry& e) { return e.id == id; });
}

void Faults::Clear() {
  std::lock_guard lock(mutex_);
  rules_.clear();
}

bool Faults::empty() const {
  std::lock_guard lock(mutex_);
  return rules_.empty();
}

int Faults::applied(int id) const {
  std::lock_guard lock(mutex_);
  for (const Entry& entry : rules_) {
    if (entry.id == id) return entry.applied;
  }
  return 0;
}

void Faults::OnReleaseHeld(std::function<void()> release) {
  std::lock_guard lock(mutex_);
  releases_.push_back(std::move(release));
}

void Faults::ReleaseHeld() {
  std::vector<std::function<void()>> releases;
  {
    std::lock_guard lock(mutex_);
    releases.swap(releases_);
  }
  for (auto& release : releases) release();
}

std::optional<FaultAction> Faults::Evaluate(const MessageInFlight& message,
                                            const std::function<void(const std::string&)>& record) {
  std::lock_guard lock(mutex_);
  for (Entry& entry : rules_) {
    const FaultRule& rule = entry.rule;
    if (rule.times >= 0 && entry.applied >= rule.times) continue;
    if (rule.selects && !rule.selects(message)) continue;
    ++entry.matched;
    if (rule.nth > 0 && entry.matched != rule.nth) continue;
    if (rule.probability < 1.0) {
      // Drawn only for selected messages, so a seed replays the same faults.
      if (std::uniform_real_distribution<double>(0, 1)(random_) >= rule.probability) continue;
    }
    ++entry.applied;
    FaultAction action = rule.action;
    if (action.kind == FaultActionKind::kDelay && action.delay_max > action.delay) {
      action.delay = std::chrono::nanoseconds(std::uniform_int_distribution<int64_t>(
          action.delay.count(), action.delay_max.count())(random_));
    }
    std::string text = fmt::format("{} {} of {}", FaultActionName(rule.action.kind),
                                   MessageDirectionName(message.direction), rule.description);
    if (action.kind == FaultActionKind::kDelay) {
      text += fmt::format(" by {:.3f}ms", static_cast<double>(action.delay.count()) / 1e6);
    }
    if (rule.nth > 0) text += fmt::format(" (match #{})", rule.nth);
    record(text);
    return action;
  }
  return std::nullopt;
}

}  // namespace xpctest::fakes::runtime
