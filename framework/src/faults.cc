#include "xpctest/faults.h"

#include <utility>

namespace xpctest {

using Direction = control::MessageFault::Direction;
using Action = control::MessageFault::Action;

MessageSelector MessageSelector::Matching(::testing::Matcher<const Object&> matcher) const {
  MessageSelector result = *this;
  auto previous = result.fault_.matches;
  std::string described = ::testing::DescribeMatcher<const Object&>(matcher);
  result.fault_.matches = [previous = std::move(previous),
                           matcher = std::move(matcher)](xpc_object_t message) {
    if (previous && !previous(message)) return false;
    return matcher.Matches(Object::Borrow(message));
  };
  std::string& description = result.fault_.description;
  description += (description.empty() ? "" : " ") + std::string("that ") + described;
  return result;
}

namespace {

MessageSelector ByName(Direction direction, const char* what, const std::string& name) {
  MessageSelector selector(direction);
  selector.fault().service = name;
  selector.fault().description = std::string(what) + name;
  return selector;
}

MessageSelector ByService(Direction direction, const char* what, const Service& service) {
  MessageSelector selector(direction);
  selector.fault().service_pid = service.process().pid();
  selector.fault().description = std::string(what) + service.name();
  return selector;
}

}  // namespace

MessageSelector RequestsTo(const std::string& name) {
  return ByName(Direction::kRequest, "requests to ", name);
}
MessageSelector RequestsTo(const Service& service) {
  return ByService(Direction::kRequest, "requests to ", service);
}
MessageSelector EventsFrom(const std::string& name) {
  return ByName(Direction::kEvent, "events from ", name);
}
MessageSelector EventsFrom(const Service& service) {
  return ByService(Direction::kEvent, "events from ", service);
}
MessageSelector RepliesFrom(const std::string& name) {
  return ByName(Direction::kReply, "replies from ", name);
}
MessageSelector RepliesFrom(const Service& service) {
  return ByService(Direction::kReply, "replies from ", service);
}
MessageSelector ConnectionsTo(const std::string& name) {
  return ByName(Direction::kConnect, "connections to ", name);
}
MessageSelector ConnectionsTo(const Service& service) {
  return ByService(Direction::kConnect, "connections to ", service);
}
MessageSelector AnyMessage() {
  MessageSelector selector(Direction::kAny);
  selector.fault().description = "any message";
  return selector;
}

Faults& Faults::On(MessageSelector selector) {
  control::MessageFault& fault = selector.fault();
  fault.nth = fault_.fault().nth;
  fault.times = fault_.fault().times;
  fault.probability = fault_.fault().probability;
  fault_ = std::move(selector);
  return *this;
}

Faults& Faults::Nth(int n) {
  fault_.fault().nth = n;
  return *this;
}

Faults& Faults::Times(int n) {
  fault_.fault().times = n;
  return *this;
}

Faults& Faults::Probability(double p) {
  fault_.fault().probability = p;
  return *this;
}

FaultHandle Faults::Delay(std::chrono::nanoseconds delay) {
  fault_.fault().delay = delay;
  return Add(Action::kDelay);
}

FaultHandle Faults::Delay(std::chrono::nanoseconds min, std::chrono::nanoseconds max) {
  fault_.fault().delay = min;
  fault_.fault().delay_max = max;
  return Add(Action::kDelay);
}

FaultHandle Faults::Drop() { return Add(Action::kDrop); }

FaultHandle Faults::Hold() { return Add(Action::kHold); }

// Requests and connections go from client to service; events and replies
// the other way. AnyMessage() means requests for the side-taking actions.
bool Faults::ClientSends() {
  Direction& direction = fault_.fault().direction;
  if (direction == Direction::kAny) direction = Direction::kRequest;
  return direction == Direction::kRequest || direction == Direction::kConnect;
}

FaultHandle Faults::CrashService() {
  return Add(ClientSends() ? Action::kCrashReceiver : Action::kCrashSender);
}

FaultHandle Faults::CrashClient() {
  return Add(ClientSends() ? Action::kCrashSender : Action::kCrashReceiver);
}

FaultHandle Faults::CancelService() {
  return Add(ClientSends() ? Action::kCancelReceiver : Action::kCancelSender);
}

FaultHandle Faults::CancelClient() {
  return Add(ClientSends() ? Action::kCancelSender : Action::kCancelReceiver);
}

FaultHandle Faults::Mutate(std::function<void(xpc_object_t message)> mutate) {
  fault_.fault().mutate = std::move(mutate);
  return Add(Action::kMutate);
}

FaultHandle Faults::ReplaceEntry(std::string key, const Value& value) {
  Object replacement = value.object();
  return Mutate([key = std::move(key), replacement](xpc_object_t message) {
    xpc_dictionary_set_value(message, key.c_str(), replacement.get());
  });
}

FaultHandle Faults::RemoveEntry(std::string key) {
  return Mutate([key = std::move(key)](xpc_object_t message) {
    xpc_dictionary_set_value(message, key.c_str(), nullptr);
  });
}

FaultHandle Faults::FailCodeSigning() { return Add(Action::kFailCodeSigning); }

FaultHandle Faults::Refuse() {
  fault_.fault().direction = Direction::kConnect;
  return Add(Action::kRefuseConnection);
}

FaultHandle Faults::Add(Action action) {
  fault_.fault().action = action;
  return FaultHandle(world_, world_.AddFault(fault_.fault()));
}

}  // namespace xpctest
