// Running one fuzz input: a fresh world, the service, the messages, the
// verdict.
#include <dirent.h>

#include "fuzz/fuzz_session.h"
#include "xpctest/fuzz.h"

namespace xpctest {
namespace {

// How many descriptors this process has open (-1 if it cannot tell).
// Counted, not probed by number: a descriptor left open anywhere shows.
int OpenDescriptors() {
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return -1;
  int count = -1;  // the directory's own descriptor
  while (readdir(fds) != nullptr) ++count;
  closedir(fds);
  return count - 2;  // "." and ".."
}

// What became of a message sent with a reply handler.
struct Outcome {
  bool answered = false;
  Object reply;  // a dictionary, or the error the handler got
  std::chrono::nanoseconds time{0};
};

// The peer handler of the fuzzer's own listener, whose endpoints the
// messages carry: it answers every request with an empty reply, so a service
// that calls back is never left waiting by the fuzzer.
void AnswerEveryRequest(xpc_connection_t peer) {
  xpc_connection_set_event_handler(peer, ^(xpc_object_t event) {
    if (xpc_get_type(event) != XPC_TYPE_DICTIONARY) return;
    xpc_object_t reply = xpc_dictionary_create_reply(event);
    if (reply == nullptr) return;
    xpc_connection_send_message(peer, reply);
    xpc_release(reply);
  });
  xpc_connection_activate(peer);
}

bool UsesEndpoints(const FuzzInput& input) {
  for (const FuzzMessage& message : input) {
    if (FuzzValueContains(message.body, FuzzType::kEndpoint)) return true;
  }
  return false;
}

std::string ErrorText(const Object& error) {
  std::string description = error["XPCErrorDescription"].AsString();
  if (error.get() == XPC_ERROR_CONNECTION_INTERRUPTED) return "XPC_ERROR_CONNECTION_INTERRUPTED";
  if (error.get() == XPC_ERROR_CONNECTION_INVALID) return "XPC_ERROR_CONNECTION_INVALID";
  return description.empty() ? error.Description() : description;
}

}  // namespace

struct FuzzTarget::Impl {
  FuzzOptions options;
  // For Serve.
  PeerHandler on_peer;
  // For ServiceMain.
  std::string name;
  control::World::ServiceMain main = nullptr;
  std::vector<std::string> arguments;
  // For Check.
  std::function<void(const FuzzInput&)> check;

  std::string Setup(const FuzzInput& input) const;
  void RunService(const FuzzInput& input, internal::FuzzSession& session) const;
  void Judge(const FuzzInput& input, const std::vector<Outcome>& outcomes,
             std::chrono::nanoseconds sent_at, internal::FuzzSession& session) const;
};

std::string FuzzTarget::Impl::Setup(const FuzzInput& input) const {
  if (check) return "";
  std::string setup;
  if (UsesEndpoints(input)) {
    setup +=
        "xpctest::Service callbacks = Serve(\"fuzzer-callbacks\", /* answers requests */);\n"
        "xpc_connection_t listener = callbacks.listener();\n";
  }
  int connections = 0;
  for (const FuzzMessage& message : input) {
    connections = std::max(connections, message.connection + 1);
  }
  for (int i = 0; i < std::max(connections, 1); ++i) {
    std::string client = i == 0 ? "client" : "client" + std::to_string(i);
    if (main != nullptr) {
      if (i == 0) setup += "world().RegisterService(\"" + name + "\", /* your main */);\n";
      setup += "xpctest::Client " + client + " = ConnectTo(\"" + name + "\");\n";
    } else {
      if (i == 0) {
        setup += "xpctest::Service service = Serve(\"fuzzed-service\", /* your peer handler */);\n";
      }
      setup += "xpctest::Client " + client + " = Connect(service);\n";
    }
  }
  return setup;
}

void FuzzTarget::Impl::RunService(const FuzzInput& input, internal::FuzzSession& session) const {
  // Reply handlers write here until the world is gone: it outlives the world.
  std::vector<Outcome> outcomes(input.size());
  control::World world({.executor = control::ExecutorKind::kDeterministic,
                        .seed = options.world_seed,
                        .trace_capacity = 256});
  session.SetWorld(&world);
  control::Process fuzzer = world.Spawn("fuzzer", options.client_identity);
  std::optional<Service> service;
  Object endpoint;
  if (main != nullptr) {
    world.RegisterService(name, main, arguments, options.service_identity);
  } else {
    service.emplace(world, "fuzzed-service", on_peer, ServiceOptions{{}, options.service_identity});
    endpoint = service->endpoint();
  }
  std::optional<Service> callbacks;
  if (UsesEndpoints(input)) callbacks.emplace(world, "fuzzer-callbacks", AnswerEveryRequest);

  std::vector<xpc_connection_t> connections(4, nullptr);
  std::chrono::nanoseconds sent_at = world.Now();
  {
    control::ScopedProcess as(fuzzer);
    FuzzBuildContext context{callbacks ? callbacks->listener() : nullptr};
    control::World* clock = &world;
    for (size_t i = 0; i < input.size(); ++i) {
      const FuzzMessage& message = input[i];
      xpc_connection_t& connection = connections[static_cast<size_t>(message.connection) % 4];
      if (connection == nullptr) {
        connection =
            main != nullptr
                ? xpc_connection_create_mach_service(name.c_str(), nullptr, 0)
                : xpc_connection_create_from_endpoint(static_cast<xpc_endpoint_t>(endpoint.get()));
        xpc_connection_set_event_handler(connection, ^(xpc_object_t) {});
        xpc_connection_activate(connection);
      }
      Object sent = BuildFuzzValue(message.body, context);
      if (message.expects_reply) {
        Outcome* outcome = &outcomes[i];
        xpc_connection_send_message_with_reply(connection, sent.get(), nullptr,
                                               ^(xpc_object_t reply) {
                                                 outcome->answered = true;
                                                 outcome->reply = Object::Borrow(reply);
                                                 outcome->time = clock->Now();
                                               });
      } else {
        xpc_connection_send_message(connection, sent.get());
      }
      EmptyAllContainers(sent.get());  // S49: the service has its own copy
    }
  }
  // Everything that can run, through one-shot timers however far; then
  // repeating timers too, until the replies are in or the deadline passed.
  world.RunUntilIdle();
  world.RunUntil(
      [&] {
        for (size_t i = 0; i < input.size(); ++i) {
          if (input[i].expects_reply && !outcomes[i].answered) return false;
        }
        return true;
      },
      sent_at + options.reply_deadline - world.Now());
  Judge(input, outcomes, sent_at, session);
  {
    control::ScopedProcess as(fuzzer);
    for (xpc_connection_t connection : connections) {
      if (connection == nullptr) continue;
      xpc_connection_cancel(connection);
      xpc_release(connection);
    }
  }
  endpoint = Object();
  service.reset();
  callbacks.reset();
  world.RunUntilIdle();
  if (options.check_leaks) {
    for (const std::string& line : world.Unfinished()) {
      session.Report("unfinished once the clients left: " + line, "");
    }
  }
  session.StopJudging();
  session.SetWorld(nullptr);
}

void FuzzTarget::Impl::Judge(const FuzzInput& input, const std::vector<Outcome>& outcomes,
                             std::chrono::nanoseconds sent_at,
                             internal::FuzzSession& session) const {
  for (size_t i = 0; i < input.size(); ++i) {
    if (!input[i].expects_reply) continue;
    const Outcome& outcome = outcomes[i];
    std::string which = "message " + std::to_string(i + 1) + " of " + std::to_string(input.size());
    bool replied = outcome.answered && outcome.reply.is(XPC_TYPE_DICTIONARY);
    if (replied && options.check_reply) {
      std::string why = options.check_reply(input[i], outcome.reply.get());
      if (!why.empty()) {
        session.Report("wrong reply to " + which + ": " + why,
                       "the reply: " + outcome.reply.Description());
      }
    }
    if (options.replies == FuzzReplies::kNotChecked) continue;
    if (!outcome.answered) {
      session.Report("no reply to " + which + " within " +
                         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                            options.reply_deadline)
                                            .count()) +
                         " s (virtual time)",
                     "");
    } else if (!replied && options.replies == FuzzReplies::kRequired) {
      session.Report("no reply to " + which + ": its reply handler got " + ErrorText(outcome.reply),
                     "(FuzzReplies::kReplyOrClosedPeer accepts a service that closes the peer)");
    } else if (outcome.time - sent_at > options.reply_deadline) {
      session.Report("no reply to " + which + " within the deadline: it came after " +
                         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                            outcome.time - sent_at)
                                            .count()) +
                         " s (virtual time)",
                     "");
    }
  }
}

FuzzTarget::FuzzTarget(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FuzzTarget::FuzzTarget(FuzzTarget&&) noexcept = default;
FuzzTarget& FuzzTarget::operator=(FuzzTarget&&) noexcept = default;
FuzzTarget::~FuzzTarget() = default;

FuzzTarget FuzzTarget::Serve(PeerHandler on_peer, FuzzOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->on_peer = std::move(on_peer);
  return FuzzTarget(std::move(impl));
}

FuzzTarget FuzzTarget::ServiceMain(std::string name, control::World::ServiceMain main,
                                   FuzzOptions options, std::vector<std::string> arguments) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->name = std::move(name);
  impl->main = main;
  impl->arguments = std::move(arguments);
  return FuzzTarget(std::move(impl));
}

FuzzTarget FuzzTarget::Check(std::function<void(const FuzzInput&)> check, FuzzOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->check = std::move(check);
  return FuzzTarget(std::move(impl));
}

const FuzzOptions& FuzzTarget::options() const { return impl_->options; }

std::vector<std::vector<uint8_t>> FuzzTarget::EncodedSeeds() const {
  std::vector<std::vector<uint8_t>> seeds;
  for (const Object& seed : impl_->options.seeds) {
    FuzzMessage message;
    message.body = FuzzValueFromXpc(seed.get());
    seeds.push_back(EncodeFuzzInput({message}));
  }
  return seeds;
}

std::optional<FuzzFinding> FuzzTarget::Run(const FuzzInput& input, OnFinding on_finding) const {
  const FuzzOptions& options = impl_->options;
  int fds_before = OpenDescriptors();
  int64_t objects_before = control::World::LiveObjects();
  uint64_t abandonments_before = control::World::MemoryAbandonments();
  internal::FuzzSession session(input, on_finding, options, impl_->Setup(input));
  if (impl_->check) {
    impl_->check(input);
  } else {
    impl_->RunService(input, session);
  }
  if (options.check_leaks && control::World::MemoryAbandonments() == abandonments_before) {
    // Exact only when no process's memory was abandoned (a crash, a parked main).
    int64_t leaked = control::World::LiveObjects() - objects_before;
    if (leaked > 0) {
      session.Report(std::to_string(leaked) +
                         " XPC object(s) made while handling the input were "
                         "never released (a missing xpc_release?)",
                     "");
    }
    int fds_after = OpenDescriptors();
    if (fds_after > fds_before) {
      session.Report(std::to_string(fds_after - fds_before) +
                         " descriptor(s) opened while handling the input are still open (a "
                         "missing close?)",
                     "");
    }
  }
  return session.finding();
}

}  // namespace xpctest
