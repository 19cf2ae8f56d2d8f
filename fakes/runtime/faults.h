// runtime/faults.h — fault rules: which messages, what happens to them.
//
// One mechanism for every message fault (design.md, "Fault rules"): a rule
// selects messages in flight (by direction, sender, receiver, service name,
// content, the nth match, a probability drawn from the world's seed) and
// applies one action (delay, drop, hold until released, mutate, crash or
// cancel the sender or the receiver at that message, fail the code-signing
// check), or turns a connecting client away. The transport asks Evaluate() for each
// message it carries; every applied fault is recorded in the trace.
//
// Per-connection FIFO stays intact: a delayed or held message holds back the
// messages behind it on the same connection and direction.
//
// Thread safety: all methods may be called from any thread.
#ifndef XPCTEST_FAKES_RUNTIME_FAULTS_H
#define XPCTEST_FAKES_RUNTIME_FAULTS_H

#include <xpc/xpc.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace xpctest::fakes::runtime {

class Process;

enum class MessageDirection {
  kRequest,  // client connection -> its peer
  kEvent,    // peer -> client connection (not a reply)
  kReply,    // a reply, either way
  kConnect,  // a client connecting to a listener (no message)
};

const char* MessageDirectionName(MessageDirection direction);

struct MessageInFlight {
  MessageDirection direction;
  Process* sender;
  Process* receiver;
  std::string service;  // the listener's name; empty for anonymous listeners
  xpc_object_t message;  // null for kConnect
  // The process on the service side of the link (the peer's owner).
  Process* service_process = nullptr;
};

enum class FaultActionKind {
  kDelay,
  kDrop,
  kHold,
  kCrashSender,
  kCrashReceiver,
  kMutate,           // the message is changed in flight (its private copy)
  kCancelSender,     // the sending end is cancelled at this message
  kCancelReceiver,   // the receiving end is cancelled at this message
  kFailCodeSigning,  // the receiver finds the sender fails its peer requirement
  kRefuse,           // kConnect: the listener turns the client away
};

const char* FaultActionName(FaultActionKind kind);

struct FaultAction {
  FaultActionKind kind = FaultActionKind::kDrop;
  std::chrono::nanoseconds delay{0};  // kDelay
  // kDelay: when above `delay`, each delay is drawn uniformly from
  // [delay, delay_max] with the world's seed.
  std::chrono::nanoseconds delay_max{0};
  std::function<void(xpc_object_t)> mutate;  // kMutate
};

struct FaultRule {
  std::string description;  // for the trace: "requests to com.example.calc"
  std::function<bool(const MessageInFlight&)> selects;
  // Only the nth selected message (1-based); 0: every one.
  int nth = 0;
  // At most this many applications; negative: no limit.
  int times = -1;
  // Each selected message is faulted with this probability (world's seed).
  double probability = 1.0;
  FaultAction action;
};

class Faults {
 public:
  explicit Faults(uint64_t seed) : random_(seed) {}

  int Add(FaultRule rule);
  void Remove(int id);
  void Clear();
  bool empty() const;

  // The action for this message, if a rule applies (the first that does).
  // Counts matches and applications, and records the fault in the trace via
  // `record`.
  std::optional<FaultAction> Evaluate(const MessageInFlight& message,
                                      const std::function<void(const std::string&)>& record);

  // How many times the rule was applied.
  int applied(int id) const;

  // Held messages: the transport registers how to release each hold;
  // ReleaseHeld runs (and forgets) every registered release, outside the lock.
  void OnReleaseHeld(std::function<void()> release);
  void ReleaseHeld();

 private:
  struct Entry {
    int id;
    FaultRule rule;
    int matched = 0;
    int applied = 0;
  };
  mutable std::mutex mutex_;
  std::vector<Entry> rules_;
  int next_id_ = 1;
  std::vector<std::function<void()>> releases_;
  // Separate from the scheduler's: faults and interleavings vary independently.
  std::mt19937_64 random_;
};

}  // namespace xpctest::fakes::runtime

#endif  // XPCTEST_FAKES_RUNTIME_FAULTS_H
