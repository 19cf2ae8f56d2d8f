// A seeded, bounded soak: XPCTEST_SOAK_CYCLES (default 1,000) cycles of
// crashing, relaunching and cancelling, with the connection invariants
// checked on everything the clients recorded (docs/fault-injection.md).
// scripts/run-soak runs it at 10,000 cycles on both executors in CI.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "xpctest/xpctest.h"

namespace xpctest::testing {
namespace {

constexpr char kSoak[] = "com.example.soak";

// Replies {id} to every request.
void EchoHandlePeer(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t message) {
    if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(message);
    if (reply == nullptr) return;
    xpc_dictionary_set_int64(reply, "id", xpc_dictionary_get_int64(message, "id"));
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

int SoakCycles() {
  const char* cycles = std::getenv("XPCTEST_SOAK_CYCLES");
  return cycles != nullptr ? std::atoi(cycles) : 1000;
}

// A named client and the ids of the requests it sent, in order.
struct Tracked {
  Client client;
  std::vector<int64_t> sent;
};

// Requests that got no answer, or more than one, over all retired clients.
struct AnswerTally {
  int64_t lost = 0;
  int64_t doubled = 0;
};

// The invariants of one client's recorded events; each violation is a line.
std::vector<std::string> Violations(const Tracked& tracked, AnswerTally& tally) {
  const bool ordered = Options().executor == control::ExecutorKind::kDeterministic;
  std::vector<std::string> found;
  auto violation = [&](const std::string& what) {
    found.push_back(tracked.client.label() + ": " + what);
  };
  std::map<int64_t, int> answers;
  int64_t last_answered = -1;
  std::string last_answer;
  bool invalid = false;
  for (const Event& event : tracked.client.Events()) {
    // S68: the event handler's INVALID is its last call. Reply handlers run
    // on their own path (S83): their answers (INVALID for pending ones, S69,
    // or a reply that was already on its way) may be recorded after it.
    if (invalid && !event.request) {
      violation("an event after the final INVALID: " + ::testing::PrintToString(event));
    }
    if (event.request) {
      int64_t id = event.request["id"].AsInt64();
      ++answers[id];
      // S80: one connection's requests are answered in the order sent. On
      // threads the reply handlers run on the connection's default target
      // queue, which is concurrent: they may be recorded in any order.
      if (ordered && id <= last_answered) {
        violation("request " + std::to_string(id) + " answered (" + ::testing::PrintToString(event) +
                  ") after request " + std::to_string(last_answered) + " (" + last_answer + ")");
      }
      last_answered = id;
      last_answer = ::testing::PrintToString(event);
      bool error_ok = event.object.get() == XPC_ERROR_CONNECTION_INTERRUPTED ||
                      event.object.get() == XPC_ERROR_CONNECTION_INVALID;  // S63, S69
      if (event.kind == Event::Kind::kReply && event.object["id"].AsInt64() != id) {
        violation("request " + std::to_string(id) + " got another request's reply");
      } else if (event.kind == Event::Kind::kError && !error_ok) {
        violation("request " + std::to_string(id) + " got " + ::testing::PrintToString(event));
      }
    } else if (event.object.get() == XPC_ERROR_CONNECTION_INVALID) {
      invalid = true;
    } else if (event.object.get() != XPC_ERROR_CONNECTION_INTERRUPTED) {
      // The service sends no events: a named client only hears S62's errors.
      violation("an unexpected event: " + ::testing::PrintToString(event));
    }
  }
  // Every request: exactly one reply or one error.
  for (int64_t id : tracked.sent) {
    if (answers[id] == 0) ++tally.lost;
    if (answers[id] > 1) ++tally.doubled;
    if (answers[id] != 1) {
      violation("request " + std::to_string(id) + " was answered " + std::to_string(answers[id]) +
                " times");
    }
  }
  if (!invalid) violation("no final INVALID");
  return found;
}

class SoakTest : public xpctest::Test {
 protected:
  // launchd's relaunch on demand: a new process serves the name whenever a
  // client looks it up and nothing does.
  void SetUp() override {
    world().SetLauncher(kSoak, [this] {
      // On threads the launcher runs on the looking-up client's queue.
      Service launched = Serve("soak", EchoHandlePeer, {.mach_service = kSoak});
      std::lock_guard lock(launches_mutex_);
      launches_.push_back(std::move(launched));
      return true;
    });
  }
  void TearDown() override {
    world().RemoveLauncher(kSoak);
    std::vector<Service> launched;
    {
      std::lock_guard lock(launches_mutex_);
      launched.swap(launches_);
    }
    launched.clear();  // cancels the listeners before the fixture checks
    xpctest::Test::TearDown();
  }

  std::unique_ptr<Tracked> NewClient() {
    return std::make_unique<Tracked>(Tracked{ConnectTo(kSoak), {}});
  }

  // The latest launch's process, and how many there were.
  control::Process Latest() {
    std::lock_guard lock(launches_mutex_);
    return launches_.empty() ? control::Process() : launches_.back().process();
  }
  int Launches() {
    std::lock_guard lock(launches_mutex_);
    return static_cast<int>(launches_.size());
  }

  std::mutex launches_mutex_;
  std::vector<Service> launches_;
};

TEST_F(SoakTest, CrashesRelaunchesAndCancelsBreakNoConnectionInvariant) {
  const int cycles = SoakCycles();
  // The world's seed picks the actions too, so exploring seeds explores soaks.
  std::mt19937_64 random(Options().seed * 7919 + 17);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<uint64_t>(n)); };
  std::vector<std::unique_ptr<Tracked>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(NewClient());
  int64_t next_id = 0;
  int crashes_by_rule = 0, crashes_by_call = 0, cancels = 0;
  std::vector<std::string> violations;
  AnswerTally tally;
  auto retire = [&](Tracked& tracked) {
    tracked.client.Cancel();
    RunUntilIdle();
    for (std::string& line : Violations(tracked, tally)) violations.push_back(std::move(line));
  };

  for (int cycle = 0; cycle < cycles && violations.size() < 10; ++cycle) {
    int action = pick(3);
    FaultHandle crash_rule(world(), -1);
    if (action == 0) {
      // A crash at one of the next few requests, wherever it lands.
      crash_rule = Faults(world()).On(RequestsTo(kSoak)).Nth(1 + pick(4)).Times(1).CrashService();
    }
    for (auto& tracked_ptr : clients) {
      Tracked& tracked = *tracked_ptr;
      for (int n = pick(3) + 1; n > 0; --n) {
        tracked.sent.push_back(next_id);
        tracked.client.SendAsync(Dict{{"id", next_id++}});
      }
    }
    if (action == 1 && Launches() > 0) {
      // A crash with requests in flight (S63), after some were served.
      world().RunFor(std::chrono::microseconds(pick(3)));
      // On threads the relaunch may still be on its way: crash only the living.
      control::Process latest = Latest();
      if (latest.alive()) {
        latest.Crash();
        ++crashes_by_call;
      }
    }
    if (action == 2) {
      // Cancelled with requests in flight (S69), replaced by a new client.
      std::unique_ptr<Tracked>& victim = clients[pick(static_cast<int>(clients.size()))];
      retire(*victim);
      victim = NewClient();
      ++cancels;
    }
    RunUntilIdle();
    if (action == 0) {
      crashes_by_rule += crash_rule.Applied();
      crash_rule.Remove();
    }
  }
  for (auto& tracked : clients) retire(*tracked);
  clients.clear();

  EXPECT_THAT(violations, ::testing::IsEmpty());
  int crashes = crashes_by_rule + crashes_by_call;
  RecordProperty("crashes", crashes);
  RecordProperty("cancels", cancels);
  RecordProperty("launches", Launches());
  std::cout << "xpctest soak: " << cycles << " cycles, " << crashes_by_rule
            << " crashes by fault rule, " << crashes_by_call << " by Service::Crash, " << cancels
            << " cancels, " << Launches() << " launches, " << next_id << " requests, "
            << tally.lost << " lost and " << tally.doubled << " doubled answers, "
            << violations.size() << " invariant violations\n";
  // On threads a crash is skipped while the relaunch is still on its way.
  bool deterministic = Options().executor == control::ExecutorKind::kDeterministic;
  EXPECT_GE(crashes + cancels, deterministic ? cycles * 9 / 10 : cycles * 3 / 4)
      << "most cycles crash or cancel something";
  EXPECT_GE(Launches(), crashes) << "S62: every crash is relaunched";
}

}  // namespace
}  // namespace xpctest::testing
