// xpctest/faults.h — message faults, one rule per chain.
//
//   Faults(world()).On(RequestsTo("com.example.calc").Matching(HasString("op", "write")))
//       .Nth(3).CrashService();
//   Faults(world()).On(RepliesFrom("com.example.calc")).Delay(std::chrono::seconds(30));
//   FaultHandle lost = Faults(world()).On(RequestsTo(calc)).Times(1).Drop();
//   ...
//   EXPECT_EQ(lost.Applied(), 1);
//
// Selectors name the service by its Mach-service name or by a Service (its
// process). Actions: Delay, Drop, Hold (until world().ReleaseHeldMessages()),
// CrashService, CrashClient, CancelService, CancelClient, Mutate (ReplaceEntry,
// RemoveEntry), FailCodeSigning, and for ConnectionsTo also Refuse. What a
// client sees for each: docs/fault-injection.md.
#ifndef XPCTEST_FRAMEWORK_FAULTS_H
#define XPCTEST_FRAMEWORK_FAULTS_H

#include <gmock/gmock.h>
#include <xpctest/control.h>

#include <chrono>
#include <functional>
#include <string>

#include "xpctest/object.h"
#include "xpctest/service.h"

namespace xpctest {

// Which messages a fault applies to.
class MessageSelector {
 public:
  explicit MessageSelector(control::MessageFault::Direction direction) {
    fault_.direction = direction;
  }
  // Only messages the matcher accepts (several Matching calls: all of them).
  MessageSelector Matching(::testing::Matcher<const Object&> matcher) const;

  const control::MessageFault& fault() const { return fault_; }
  control::MessageFault& fault() { return fault_; }

 private:
  control::MessageFault fault_;
};

// Requests sent to, events sent by, replies sent on connections of a service.
MessageSelector RequestsTo(const std::string& mach_service);
MessageSelector RequestsTo(const Service& service);
MessageSelector EventsFrom(const std::string& mach_service);
MessageSelector EventsFrom(const Service& service);
MessageSelector RepliesFrom(const std::string& mach_service);
MessageSelector RepliesFrom(const Service& service);
// Every message of every connection.
MessageSelector AnyMessage();
// Clients connecting to a service (their first send; S91), not messages: for
// Refuse, FailCodeSigning, CrashService and CrashClient.
MessageSelector ConnectionsTo(const std::string& mach_service);
MessageSelector ConnectionsTo(const Service& service);

// An added rule.
class FaultHandle {
 public:
  FaultHandle(control::World& world, int id) : world_(&world), id_(id) {}
  int id() const { return id_; }
  // How many messages the rule faulted so far.
  int Applied() const { return world_->FaultsApplied(id_); }
  void Remove() { world_->RemoveFault(id_); }

 private:
  control::World* world_;
  int id_;
};

// Builds one rule; the action call adds it to the world.
class Faults {
 public:
  explicit Faults(control::World& world) : world_(world), fault_(control::MessageFault::Direction::kAny) {}

  Faults& On(MessageSelector selector);
  // Only the nth selected message (1-based).
  Faults& Nth(int n);
  // At most n messages.
  Faults& Times(int n);
  // Each selected message with this probability (the world's seed decides).
  Faults& Probability(double p);

  FaultHandle Delay(std::chrono::nanoseconds delay);
  // Each delay drawn uniformly from [min, max] with the world's seed.
  FaultHandle Delay(std::chrono::nanoseconds min, std::chrono::nanoseconds max);
  FaultHandle Drop();
  FaultHandle Hold();
  // The service side crashes at the message, which is not delivered: for
  // requests the receiver, for events and replies the sender. With
  // AnyMessage() the rule applies to requests only.
  FaultHandle CrashService();
  // The client side crashes at the message (for requests the sender, for
  // events and replies the receiver); AnyMessage(): requests only.
  FaultHandle CrashClient();
  // The service side cancels its connection at the message (S70: a named
  // client gets INTERRUPTED); for requests the message is not delivered.
  FaultHandle CancelService();
  // The client cancels its connection at the message, which still goes out
  // (S69: what it had not sent yet is discarded).
  FaultHandle CancelClient();
  // A malformed message: `mutate` changes the receiver's copy in flight.
  FaultHandle Mutate(std::function<void(xpc_object_t message)> mutate);
  // Shorthands: the entry replaced by `value`, or removed.
  FaultHandle ReplaceEntry(std::string key, const Value& value);
  FaultHandle RemoveEntry(std::string key);
  // The receiver finds the sender fails its code-signing requirement (S115c);
  // with ConnectionsTo, the listener's requirement refuses the client.
  FaultHandle FailCodeSigning();
  // ConnectionsTo only: the service turns the client away, as one that
  // cancels each new peer at once (S70).
  FaultHandle Refuse();

 private:
  FaultHandle Add(control::MessageFault::Action action);
  bool ClientSends();

  control::World& world_;
  MessageSelector fault_;
};

}  // namespace xpctest

#endif  // XPCTEST_FRAMEWORK_FAULTS_H
