// RunLoad: the clients of a load run, their sends and their answers.
#include "xpctest/load.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <xpctest/real_os.h>

#include "xpctest/options.h"

namespace xpctest {

namespace {

// Real time, also from reply handlers of clients in simulated processes,
// whose own clocks are virtual on the deterministic executor.
using Clock = real_os::SteadyClock;

// One client's connection (or session) and its tallies.
struct ClientRun {
  control::Process process;
  xpc_connection_t connection = nullptr;
  xpc_session_t session = nullptr;
  // Why the client could not be opened; its requests are then never sent.
  std::string open_error;
  int next = 0;  // the next request number to send
  int sent = 0;
  int answered = 0;
  int succeeded = 0;
  int errors = 0;
  // Reply handlers not yet run, counted after the run ends too: the run's
  // state must outlive every one of them.
  int handlers_pending = 0;
  std::vector<std::chrono::nanoseconds> latencies;
};

// Shared by the host thread and every reply handler (each handler block holds
// a shared_ptr), guarded by `mutex`.
struct LoadRun {
  control::World* world = nullptr;
  LoadOptions options;
  std::mutex mutex;
  // Set when the host stops counting; answers after it only drain.
  bool ended = false;
  std::chrono::nanoseconds world_start{0};
  std::chrono::nanoseconds world_last{0};
  Clock::time_point wall_start;
  Clock::time_point wall_last;
  std::vector<ClientRun> clients;
  std::map<std::string, int> errors_by_kind;

  // The client has nothing more to send or hear: all answered, never opened,
  // or its process is gone (its pending handlers will never run).
  bool ClientDone(const ClientRun& client) const {
    return client.answered == options.requests_per_client || !client.open_error.empty() ||
           (client.process && !client.process.alive());
  }
};

// How an answer went: success, or the kind of error.
struct Outcome {
  bool ok = true;
  std::string error_kind;
};

void SendNext(const std::shared_ptr<LoadRun>& run, int client);

// Records one answer and, while the run goes on, sends the client's next request.
void OnAnswer(const std::shared_ptr<LoadRun>& run, int client, std::chrono::nanoseconds sent_at,
              const std::function<Outcome()>& judge) {
  {
    std::lock_guard lock(run->mutex);
    ClientRun& state = run->clients[client];
    --state.handlers_pending;
    if (run->ended) return;  // counted as "no reply" when the run ended
    Outcome outcome = judge();
    std::chrono::nanoseconds now = run->world->Now();
    ++state.answered;
    if (outcome.ok) {
      ++state.succeeded;
      state.latencies.push_back(now - sent_at);
    } else {
      ++state.errors;
      ++run->errors_by_kind[outcome.error_kind];
    }
    run->world_last = now;
    run->wall_last = Clock::now();
  }
  SendNext(run, client);
}

// Judges a dictionary reply with the caller's reply_ok (under the run's lock).
Outcome JudgeReply(const LoadRun& run, xpc_object_t request, xpc_object_t reply) {
  if (run.options.reply_ok && !run.options.reply_ok(request, reply)) {
    return {false, "rejected by reply_ok"};
  }
  return {};
}

Outcome JudgeConnectionAnswer(const LoadRun& run, xpc_object_t request, xpc_object_t answer) {
  if (xpc_get_type(answer) == XPC_TYPE_ERROR) {
    const char* description = xpc_dictionary_get_string(answer, XPC_ERROR_KEY_DESCRIPTION);
    return {false, description != nullptr ? description : "XPC error"};
  }
  return JudgeReply(run, request, answer);
}

Outcome JudgeSessionAnswer(const LoadRun& run, xpc_object_t request, xpc_object_t reply,
                           xpc_rich_error_t error) {
  if (error != nullptr) {
    char* description = xpc_rich_error_copy_description(error);
    Outcome outcome{false, description != nullptr ? description : "rich error"};
    free(description);
    return outcome;
  }
  return JudgeReply(run, request, reply);
}

// Sends the client's next request unless it has sent them all or the run ended.
void SendNext(const std::shared_ptr<LoadRun>& run, int client) {
  Object request;
  std::chrono::nanoseconds sent_at;
  xpc_connection_t connection;
  xpc_session_t session;
  {
    std::lock_guard lock(run->mutex);
    ClientRun& state = run->clients[client];
    if (run->ended || state.next == run->options.requests_per_client) return;
    int number = state.next++;
    request = run->options.make_request ? run->options.make_request(client, number) : Dict();
    ++state.sent;
    ++state.handlers_pending;  // pairs with OnAnswer
    connection = state.connection;
    session = state.session;
    sent_at = run->world->Now();
  }
  std::shared_ptr<LoadRun> shared = run;
  if (session != nullptr) {
    xpc_session_send_message_with_reply_async(
        session, request.get(), ^(xpc_object_t reply, xpc_rich_error_t error) {
          OnAnswer(shared, client, sent_at, [&] {
            return JudgeSessionAnswer(*shared, request.get(), reply, error);
          });
        });
  } else {
    xpc_connection_send_message_with_reply(
        connection, request.get(), nullptr, ^(xpc_object_t answer) {
          OnAnswer(shared, client, sent_at, [&] {
            return JudgeConnectionAnswer(*shared, request.get(), answer);
          });
        });
  }
}

// Opens client `client` as the code of its process: a connection from the
// endpoint or by name, or a session by name.
void OpenClient(LoadRun& run, int client, xpc_endpoint_t endpoint, const std::string& name) {
  ClientRun& state = run.clients[client];
  if (run.options.sessions) {
    xpc_rich_error_t error = nullptr;
    state.session =
        xpc_session_create_mach_service(name.c_str(), nullptr, XPC_SESSION_CREATE_INACTIVE, &error);
    if (state.session != nullptr) {
      // S124: the session's end reaches the pending replies as rich errors.
      xpc_session_set_cancel_handler(state.session, ^(xpc_rich_error_t reason) {});
      xpc_session_activate(state.session, &error);
    }
    if (error != nullptr) {
      char* description = xpc_rich_error_copy_description(error);
      state.open_error = std::string("no session: ") + (description ? description : "?");
      free(description);
      xpc_release(error);
    }
    return;
  }
  state.connection = endpoint != nullptr ? xpc_connection_create_from_endpoint(endpoint)
                                         : xpc_connection_create_mach_service(name.c_str(), nullptr, 0);
  // Interruptions and invalidation also reach each pending reply handler,
  // where they are counted.
  xpc_connection_set_event_handler(state.connection, ^(xpc_object_t event) {});
  xpc_connection_activate(state.connection);
}

void CloseClient(ClientRun& state) {
  if (state.connection != nullptr) xpc_connection_cancel(state.connection);
  // S124: only an activated session may be cancelled.
  if (state.session != nullptr && state.open_error.empty()) xpc_session_cancel(state.session);
}

void ReleaseClient(ClientRun& state) {
  if (state.connection != nullptr) xpc_release(state.connection);
  if (state.session != nullptr) xpc_release(state.session);
  state.connection = nullptr;
  state.session = nullptr;
}

// Ends counting: what is still pending is "no reply", what was never sent
// "not sent" (or why the client never opened).
void EndRun(LoadRun& run) {
  std::lock_guard lock(run.mutex);
  run.ended = true;
  for (ClientRun& state : run.clients) {
    int unanswered = state.sent - state.answered;
    int unsent = run.options.requests_per_client - state.sent;
    if (unanswered > 0) run.errors_by_kind["no reply"] += unanswered;
    if (unsent > 0) {
      run.errors_by_kind[state.open_error.empty() ? "not sent" : state.open_error] += unsent;
    }
    state.errors += unanswered + unsent;
  }
}

LoadReport MakeReport(LoadRun& run) {
  std::lock_guard lock(run.mutex);
  LoadReport report;
  report.executor = run.world->options().executor;
  report.seed = run.world->options().seed;
  report.options = run.options;
  report.requests = run.options.clients * run.options.requests_per_client;
  report.errors_by_kind = run.errors_by_kind;
  report.finished = true;
  std::vector<std::chrono::nanoseconds> all;
  for (int i = 0; i < static_cast<int>(run.clients.size()); ++i) {
    const ClientRun& state = run.clients[i];
    ClientLoad row;
    row.client = i;
    row.pid = state.process ? state.process.pid() : run.world->host().pid();
    row.sent = state.sent;
    row.succeeded = state.succeeded;
    row.errors = state.errors;
    row.latency = Summarize(state.latencies);
    report.per_client.push_back(row);
    report.sent += state.sent;
    report.succeeded += state.succeeded;
    report.errors += state.errors;
    if (state.answered != run.options.requests_per_client) report.finished = false;
    all.insert(all.end(), state.latencies.begin(), state.latencies.end());
  }
  report.overall = Summarize(std::move(all));
  if (run.world_last > run.world_start) report.world_time = run.world_last - run.world_start;
  if (run.wall_last > run.wall_start) report.wall_time = run.wall_last - run.wall_start;
  return report;
}

LoadReport Run(control::World& world, const Service* service, const std::string& name,
               LoadOptions options) {
  auto run = std::make_shared<LoadRun>();
  run->world = &world;
  run->options = std::move(options);
  // Nothing in flight would never finish; negative counts mean none.
  run->options.clients = std::max(run->options.clients, 0);
  run->options.requests_per_client = std::max(run->options.requests_per_client, 0);
  run->options.in_flight_per_client = std::max(run->options.in_flight_per_client, 1);
  run->clients.resize(run->options.clients);
  const int clients = static_cast<int>(run->clients.size());

  Object endpoint = service != nullptr ? service->endpoint() : Object();
  for (int i = 0; i < clients; ++i) {
    ClientRun& state = run->clients[i];
    if (run->options.where == LoadClients::kInOwnProcesses) {
      state.process = world.Spawn("load client " + std::to_string(i));
    }
    if (run->options.sessions && service != nullptr) {
      state.open_error = "no session: sessions need a Mach-service name";
      continue;
    }
    std::optional<control::ScopedProcess> as;
    if (state.process) as.emplace(state.process);
    OpenClient(*run, i, static_cast<xpc_endpoint_t>(endpoint.get()), name);
  }

  run->world_start = run->world_last = world.Now();
  run->wall_start = run->wall_last = Clock::now();
  for (int i = 0; i < clients; ++i) {
    if (!run->clients[i].open_error.empty()) continue;
    std::optional<control::ScopedProcess> as;
    if (run->clients[i].process) as.emplace(run->clients[i].process);
    for (int k = 0; k < run->options.in_flight_per_client; ++k) SendNext(run, i);
  }

  std::chrono::nanoseconds limit = run->options.deadline.count() > 0
                                       ? run->options.deadline
                                       : Options().WaitLimit(world.options().executor);
  world.RunUntil(
      [&run] {
        std::lock_guard lock(run->mutex);
        for (const ClientRun& state : run->clients) {
          if (!run->ClientDone(state)) return false;
        }
        return true;
      },
      limit);
  EndRun(*run);
  LoadReport report = MakeReport(*run);

  // S69: cancelling answers every pending reply handler (INVALID, or the
  // session's rich error); wait for them so no handler outlives the run's
  // connections.
  for (ClientRun& state : run->clients) CloseClient(state);
  world.RunUntil(
      [&run] {
        std::lock_guard lock(run->mutex);
        for (const ClientRun& state : run->clients) {
          bool gone = state.process && !state.process.alive();
          if (state.handlers_pending > 0 && !gone) return false;
        }
        return true;
      },
      limit);
  for (ClientRun& state : run->clients) ReleaseClient(state);
  return report;
}

}  // namespace

LoadReport RunLoad(control::World& world, const Service& service, LoadOptions options) {
  return Run(world, &service, "", std::move(options));
}

LoadReport RunLoad(control::World& world, const std::string& mach_service, LoadOptions options) {
  return Run(world, nullptr, mach_service, std::move(options));
}

}  // namespace xpctest
