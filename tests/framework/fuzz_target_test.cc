// A FuzzTarget runs each input in a fresh world and turns what a test would
// fail on into a finding: misuse, deadlock, warnings, missing replies, wrong
// replies, leaks. A well-behaved service has none.
#include <dispatch/dispatch.h>
#include <unistd.h>

#include "xpctest/fuzz.h"
#include "xpctest/fuzz_mutator.h"
#include "xpctest/xpctest.h"

namespace xpctest {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Sets `on_message` as the peer's handler for dictionaries and activates it.
void Accept(xpc_connection_t peer, void (^on_message)(xpc_connection_t, xpc_object_t)) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (xpc_get_type(event) == XPC_TYPE_DICTIONARY) on_message(peer, event);
  });
  xpc_connection_activate(peer);
}

// Replies to every request with a copy of it under "echo".
void Echo(xpc_connection_t peer, xpc_object_t message) {
  xpc_object_t reply = xpc_dictionary_create_reply(message);
  if (reply == nullptr) return;
  xpc_dictionary_set_value(reply, "echo", message);
  xpc_connection_send_message(peer, reply);
  xpc_release(reply);
}

void EchoPeer(xpc_connection_t peer) {
  Accept(peer, ^(xpc_connection_t p, xpc_object_t message) { Echo(p, message); });
}

FuzzInput OneRequest(FuzzValue body) { return {{true, 0, std::move(body)}}; }

std::string Headline(const std::optional<FuzzFinding>& finding) {
  return finding ? finding->headline : "(no finding)";
}

TEST(FuzzTarget, AWellBehavedServiceSurvivesAThousandMutatedInputs) {
  FuzzTarget target = FuzzTarget::Serve(EchoPeer, {.words = {"op", "add"}});
  FuzzMutator mutator(target.options().limits);
  std::vector<uint8_t> data(1024);
  size_t size = 0;
  for (unsigned seed = 0; seed < 1000; ++seed) {
    size = mutator.Mutate(data.data(), size, data.size(), seed);
    FuzzInput input = DecodeFuzzInput(data.data(), size, target.options().limits);
    std::optional<FuzzFinding> finding = target.Run(input, FuzzTarget::OnFinding::kReturn);
    ASSERT_FALSE(finding) << finding->headline << "\n" << finding->details << "\n"
                          << FuzzInputAsTestCode(input);
  }
}

// S49: what the service gets is what was sent, though the sender empties its
// own dictionary right after sending.
TEST(FuzzTarget, TheServiceGetsWhatWasSentBeforeTheSenderChangedIt) {
  FuzzOptions options;
  options.check_reply = [](const FuzzMessage& request, xpc_object_t reply) {
    return FuzzValueMismatch(request.body, xpc_dictionary_get_value(reply, "echo"));
  };
  FuzzTarget target = FuzzTarget::Serve(EchoPeer, options);
  FuzzValue nested = FuzzDictionary({{"list", FuzzValue(FuzzType::kArray)}});
  nested.entries[0].value.entries.push_back({"", FuzzInt64(7)});
  EXPECT_EQ(Headline(target.Run(OneRequest(FuzzDictionary({{"n", nested}, {"s", FuzzString("x")}})),
                                FuzzTarget::OnFinding::kReturn)),
            "(no finding)");
}

TEST(FuzzTarget, AWrongReplyIsAFinding) {
  FuzzOptions options;
  options.check_reply = [](const FuzzMessage&, xpc_object_t reply) -> std::string {
    return xpc_dictionary_get_value(reply, "sum") == nullptr ? "it has no \"sum\"" : "";
  };
  FuzzTarget target = FuzzTarget::Serve(EchoPeer, options);
  EXPECT_EQ(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
            "wrong reply to message 1 of 1: it has no \"sum\"");
}

TEST(FuzzTarget, MisuseInTheServiceIsAFinding) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      xpc_object_t list = xpc_dictionary_get_array(message, "list");
      if (list != nullptr) xpc_array_get_value(list, 5);  // unchecked index (S27)
      Echo(p, message);
    });
  });
  FuzzValue list(FuzzType::kArray);
  std::optional<FuzzFinding> finding = target.Run(OneRequest(FuzzDictionary({{"list", list}})),
                                                  FuzzTarget::OnFinding::kReturn);
  EXPECT_THAT(Headline(finding), StartsWith("XPC API Misuse: "));
  EXPECT_THAT(finding->details, HasSubstr("xpc_array_get_value"));
  EXPECT_THAT(finding->details, HasSubstr("Recent trace:"));
}

TEST(FuzzTarget, AFindingAbortsWithTheInputAsTestCode) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      xpc_array_get_value(xpc_dictionary_get_value(message, "list"), 0);
      Echo(p, message);
    });
  });
  FuzzInput input = OneRequest(FuzzDictionary({{"list", FuzzString("not a list")}}));
  EXPECT_DEATH(target.Run(input, FuzzTarget::OnFinding::kAbort),
               "xpctest fuzz: finding: XPC API Misuse: .*"
               "xpctest::Client client = Connect\\(service\\);.*"
               "client.SendSync\\(xpctest::Dict\\{\\{\"list\", \"not a list\"\\}\\}\\);");
}

TEST(FuzzTarget, ARequestLeftUnansweredIsAFinding) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t, xpc_object_t) {});
  });
  EXPECT_THAT(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
              HasSubstr("released without a reply"));
}

TEST(FuzzTarget, ARequestKeptUnansweredIsNoReplyWithinTheDeadline) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    __block xpc_object_t kept = nullptr;
    xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
      if (xpc_get_type(event) == XPC_TYPE_DICTIONARY && kept == nullptr) kept = xpc_retain(event);
      if (event == XPC_ERROR_CONNECTION_INVALID && kept != nullptr) xpc_release(kept);
    });
    xpc_connection_activate(peer);
  }, {.ignored_warnings = {"released without a reply"}});
  EXPECT_EQ(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
            "no reply to message 1 of 1 within 60 s (virtual time)");
}

TEST(FuzzTarget, AReplyLaterThanTheDeadlineIsAFinding) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      xpc_retain(p);
      dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 3600 * NSEC_PER_SEC),
                     dispatch_get_global_queue(0, 0), ^{
                       xpc_connection_send_message(p, reply);
                       xpc_release(reply);
                       xpc_release(p);
                     });
    });
  });
  EXPECT_EQ(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
            "no reply to message 1 of 1 within the deadline: it came after 3600 s (virtual time)");
}

TEST(FuzzTarget, AServiceThatClosesThePeerPassesWhenThatIsAllowed) {
  auto closes = [](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t) { xpc_connection_cancel(p); });
  };
  FuzzOptions strict;
  strict.ignored_warnings = {"released without a reply"};
  EXPECT_EQ(Headline(FuzzTarget::Serve(closes, strict).Run(OneRequest(FuzzDictionary({})),
                                                           FuzzTarget::OnFinding::kReturn)),
            "no reply to message 1 of 1: its reply handler got XPC_ERROR_CONNECTION_INTERRUPTED");
  FuzzOptions lenient = strict;
  lenient.replies = FuzzReplies::kReplyOrClosedPeer;
  EXPECT_EQ(Headline(FuzzTarget::Serve(closes, lenient).Run(OneRequest(FuzzDictionary({})),
                                                            FuzzTarget::OnFinding::kReturn)),
            "(no finding)");
}

TEST(FuzzTarget, RepliesCanGoUnchecked) {
  FuzzTarget target = FuzzTarget::Serve(
      [](xpc_connection_t peer) { Accept(peer, ^(xpc_connection_t, xpc_object_t) {}); },
      {.replies = FuzzReplies::kNotChecked, .ignored_warnings = {"released without a reply"}});
  EXPECT_EQ(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
            "(no finding)");
}

TEST(FuzzTarget, ADeadlockIsAFinding) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      dispatch_semaphore_t never = dispatch_semaphore_create(0);
      dispatch_semaphore_wait(never, DISPATCH_TIME_FOREVER);
      dispatch_release(never);
      Echo(p, message);
    });
  });
  EXPECT_THAT(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
              StartsWith("deadlock: "));
}

// What the service below forgets to release; the test releases it once the
// finding is made, so LeakSanitizer does not report it at exit.
xpc_object_t g_forgotten = nullptr;

TEST(FuzzTarget, AnObjectNeverReleasedIsAFinding) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      g_forgotten = xpc_string_create("leaked");
      Echo(p, message);
    });
  });
  EXPECT_EQ(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
            "1 XPC object(s) made while handling the input were never released (a missing "
            "xpc_release?)");
  xpc_release(g_forgotten);
}

TEST(FuzzTarget, ADescriptorLeftOpenIsAFinding) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      xpc_dictionary_dup_fd(message, "fd");  // and never closed
      Echo(p, message);
    });
  });
  FuzzValue fd(FuzzType::kFd);
  EXPECT_THAT(Headline(target.Run(OneRequest(FuzzDictionary({{"fd", fd}})),
                                  FuzzTarget::OnFinding::kReturn)),
              StartsWith("1 descriptor(s) opened while handling the input are still open"));
}

TEST(FuzzTarget, EndpointsLeadToAListenerThatAnswers) {
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      xpc_connection_t back = xpc_dictionary_create_connection(message, "callback");
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      if (back != nullptr) {
        xpc_connection_set_event_handler(back, ^(xpc_object_t) {});
        xpc_connection_activate(back);
        xpc_object_t ping = xpc_dictionary_create_empty();
        xpc_object_t answer = xpc_connection_send_message_with_reply_sync(back, ping);
        xpc_dictionary_set_bool(reply, "called back", xpc_get_type(answer) == XPC_TYPE_DICTIONARY);
        xpc_release(answer);
        xpc_release(ping);
        xpc_connection_cancel(back);
        xpc_release(back);
      }
      xpc_connection_send_message(p, reply);
      xpc_release(reply);
    });
  }, {.check_reply = [](const FuzzMessage&, xpc_object_t reply) -> std::string {
        return xpc_dictionary_get_bool(reply, "called back") ? "" : "no answer from the callback";
      }});
  FuzzInput input = OneRequest(FuzzDictionary({{"callback", FuzzValue(FuzzType::kEndpoint)}}));
  EXPECT_EQ(Headline(target.Run(input, FuzzTarget::OnFinding::kReturn)), "(no finding)");
}

TEST(FuzzTarget, MessagesGoOutOnTheirConnections) {
  // Each peer counts its messages and answers with the count.
  FuzzTarget target = FuzzTarget::Serve([](xpc_connection_t peer) {
    __block int64_t count = 0;
    Accept(peer, ^(xpc_connection_t p, xpc_object_t message) {
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      xpc_dictionary_set_int64(reply, "count", ++count);
      xpc_connection_send_message(p, reply);
      xpc_release(reply);
    });
  }, {.check_reply = [](const FuzzMessage& request, xpc_object_t reply) -> std::string {
        auto expected = static_cast<int64_t>(request.body.entries[0].value.bits);
        int64_t count = xpc_dictionary_get_int64(reply, "count");
        return count == expected ? "" : "count " + std::to_string(count);
      }});
  auto numbered = [](int connection, int64_t expected) {
    return FuzzMessage{true, connection, FuzzDictionary({{"expected", FuzzInt64(expected)}})};
  };
  FuzzInput input{numbered(0, 1), numbered(1, 1), numbered(0, 2), numbered(1, 2), numbered(1, 3)};
  EXPECT_EQ(Headline(target.Run(input, FuzzTarget::OnFinding::kReturn)), "(no finding)");
}

int EchoMain(int, char**) {
  xpc_connection_t listener = xpc_connection_create_mach_service(
      "com.example.fuzzed", nullptr, XPC_CONNECTION_MACH_SERVICE_LISTENER);
  xpc_connection_set_event_handler(listener, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) == XPC_TYPE_CONNECTION) EchoPeer(static_cast<xpc_connection_t>(peer));
  });
  xpc_connection_activate(listener);
  dispatch_main();
}

TEST(FuzzTarget, AServiceMainIsLaunchedByNameForEveryInput) {
  FuzzOptions options;
  options.check_reply = [](const FuzzMessage& request, xpc_object_t reply) {
    return FuzzValueMismatch(request.body, xpc_dictionary_get_value(reply, "echo"));
  };
  FuzzTarget target = FuzzTarget::ServiceMain("com.example.fuzzed", EchoMain, options);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Headline(target.Run(OneRequest(FuzzDictionary({{"i", FuzzInt64(i)}})),
                                  FuzzTarget::OnFinding::kReturn)),
              "(no finding)");
  }
}

TEST(FuzzTarget, ACheckTargetReportsItsOwnFindingsAndMisuse) {
  FuzzTarget target = FuzzTarget::Check([](const FuzzInput& input) {
    if (input.size() > 1) ReportFuzzFinding("more than one message", "details");
    if (input.size() == 1) xpc_array_get_count(nullptr);
  });
  FuzzInput two{{true, 0, FuzzDictionary({})}, {true, 0, FuzzDictionary({})}};
  std::optional<FuzzFinding> finding = target.Run(two, FuzzTarget::OnFinding::kReturn);
  EXPECT_EQ(Headline(finding), "more than one message");
  EXPECT_EQ(finding->details, "details");
  EXPECT_THAT(Headline(target.Run(OneRequest(FuzzDictionary({})), FuzzTarget::OnFinding::kReturn)),
              StartsWith("XPC API Misuse: "));
  EXPECT_EQ(Headline(target.Run({}, FuzzTarget::OnFinding::kReturn)), "(no finding)");
}

TEST(FuzzTarget, SeedsAreEncodedAsOneRequestEach) {
  FuzzTarget target = FuzzTarget::Serve(EchoPeer, {.seeds = {Dict{{"op", "add"}}, Dict{}}});
  std::vector<std::vector<uint8_t>> seeds = target.EncodedSeeds();
  ASSERT_EQ(seeds.size(), 2u);
  EXPECT_EQ(DecodeFuzzInput(seeds[0].data(), seeds[0].size()),
            OneRequest(FuzzDictionary({{"op", FuzzString("add")}})));
  EXPECT_EQ(DecodeFuzzInput(seeds[1].data(), seeds[1].size()), OneRequest(FuzzDictionary({})));
}

}  // namespace
}  // namespace xpctest
