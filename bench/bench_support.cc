#include "bench_support.h"

#include <Block.h>
#include <benchmark/benchmark.h>
#include <dispatch/dispatch.h>
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "dispatch/environment.h"
#include "dispatch/executor.h"

namespace xpctest::bench {

namespace {

const uint8_t* PayloadBytes() {
  static const auto* bytes = [] {
    auto* b = new uint8_t[kPayloadSize];
    for (size_t i = 0; i < kPayloadSize; ++i) b[i] = static_cast<uint8_t>('a' + i % 26);
    return b;
  }();
  return bytes;
}

bool TakeFlag(std::string_view arg, std::string_view name, int64_t* value) {
  if (arg.substr(0, name.size()) != name) return false;
  *value = std::strtoll(std::string(arg.substr(name.size())).c_str(), nullptr, 10);
  return true;
}

}  // namespace

BenchFlags& Flags() {
  static BenchFlags flags;
  return flags;
}

void ParseBenchFlags(int* argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    if (TakeFlag(arg, "--messages=", &Flags().messages)) continue;
    if (TakeFlag(arg, "--connections=", &Flags().connections)) continue;
    argv[kept++] = argv[i];
  }
  *argc = kept;
  if (Flags().messages < 1) Flags().messages = 1;
  if (Flags().connections < 1) Flags().connections = 1;
}

xpc_object_t MakeRequest(int64_t id) {
  xpc_object_t request = xpc_dictionary_create_empty();
  xpc_dictionary_set_string(request, "op", "echo");
  xpc_dictionary_set_int64(request, "id", id);
  xpc_dictionary_set_data(request, "payload", PayloadBytes(), kPayloadSize);
  return request;
}

void FillReply(xpc_object_t request, xpc_object_t reply) {
  size_t length = 0;
  const void* payload = xpc_dictionary_get_data(request, "payload", &length);
  xpc_dictionary_set_string(reply, "op", "echo");
  xpc_dictionary_set_int64(reply, "id", xpc_dictionary_get_int64(request, "id"));
  if (payload != nullptr) xpc_dictionary_set_data(reply, "payload", payload, length);
}

int64_t ReadReply(xpc_object_t reply) {
  if (reply == nullptr || xpc_get_type(reply) != XPC_TYPE_DICTIONARY) return -1;
  size_t length = 0;
  const auto* payload =
      static_cast<const uint8_t*>(xpc_dictionary_get_data(reply, "payload", &length));
  if (payload == nullptr || length != kPayloadSize) return -1;
  if (std::memcmp(payload, PayloadBytes(), kPayloadSize) != 0) return -1;
  return xpc_dictionary_get_int64(reply, "id");
}

int64_t RoundTrip(xpc_connection_t client, int64_t id) {
  xpc_object_t request = MakeRequest(id);
  xpc_object_t reply = xpc_connection_send_message_with_reply_sync(client, request);
  xpc_release(request);
  int64_t echoed = ReadReply(reply);
  if (reply != nullptr) xpc_release(reply);
  return echoed;
}

void XpctestRoundTrips(benchmark::State& state, runtime::ExecutorKind kind) {
  runtime::World world({.executor = kind, .seed = 0});
  runtime::ScopedWorld installed(world);
  EchoService echo(world);
  xpc_connection_t client = echo.Connect();
  if (RoundTrip(client, 0) != 0) {
    state.SkipWithError("the first round trip failed");
    return;
  }
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    if (RoundTrip(client, id) != id) {
      state.SkipWithError("a reply did not echo its request");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

int BenchMain(int argc, char** argv) {
  ParseBenchFlags(&argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

struct EchoService::Counter {
  std::atomic<int64_t> received{0};
  std::atomic<int64_t> target{-1};
  std::atomic<dispatch_semaphore_t> semaphore{nullptr};
};

EchoService::EchoService(runtime::World& world, EchoMode mode)
    : world_(world), process_(world.Spawn("echo", {})), counter_(new Counter) {
  Counter* counter = counter_;
  runtime::ScopedProcess as(process_);
  listener_ = xpc_connection_create(nullptr, nullptr);
  xpc_connection_set_event_handler(listener_, ^(xpc_object_t peer) {
    if (xpc_get_type(peer) != XPC_TYPE_CONNECTION) return;
    xpc_connection_t connection = static_cast<xpc_connection_t>(peer);
    xpc_connection_set_event_handler(connection, ^(xpc_object_t message) {
      if (xpc_get_type(message) != XPC_TYPE_DICTIONARY) return;
      if (mode == EchoMode::kCountOnly) {
        int64_t n = counter->received.fetch_add(1, std::memory_order_relaxed) + 1;
        if (n == counter->target.load(std::memory_order_relaxed)) {
          dispatch_semaphore_signal(counter->semaphore.load());
        }
        return;
      }
      xpc_object_t reply = xpc_dictionary_create_reply(message);
      if (reply == nullptr) return;
      FillReply(message, reply);
      if (mode == EchoMode::kReplyNow) {
        xpc_connection_send_message(connection, reply);
        xpc_release(reply);
        return;
      }
      dispatch_after(dispatch_time(DISPATCH_TIME_NOW, 30 * NSEC_PER_SEC),
                     dispatch_get_global_queue(QOS_CLASS_DEFAULT, 0), ^{
                       xpc_connection_send_message(connection, reply);
                       xpc_release(reply);
                     });
    });
    xpc_connection_activate(connection);
  });
  xpc_connection_activate(listener_);
}

EchoService::~EchoService() {
  for (xpc_connection_t client : clients_) xpc_connection_cancel(client);
  xpc_connection_cancel(listener_);
  world_.environment().executor().RunUntilIdle();
  for (xpc_connection_t client : clients_) xpc_release(client);
  xpc_release(listener_);
  delete counter_;
}

xpc_connection_t EchoService::Connect() {
  xpc_endpoint_t endpoint = xpc_endpoint_create(listener_);
  xpc_connection_t client = xpc_connection_create_from_endpoint(endpoint);
  xpc_release(endpoint);
  xpc_connection_set_event_handler(client, ^(xpc_object_t event) {});
  xpc_connection_activate(client);
  clients_.push_back(client);
  return client;
}

int64_t EchoService::received() const { return counter_->received.load(); }

void EchoService::SignalAt(int64_t target, dispatch_semaphore_t semaphore) {
  counter_->semaphore.store(semaphore);
  counter_->target.store(target);
}

PlainMessage MakePlainRequest(int64_t id) {
  PlainMessage message;
  message.op = "echo";
  message.id = id;
  message.payload.assign(PayloadBytes(), PayloadBytes() + kPayloadSize);
  return message;
}

PlainMessage MakePlainReply(const PlainMessage& request) {
  PlainMessage reply;
  reply.op = "echo";
  reply.id = request.id;
  reply.payload = request.payload;
  return reply;
}

// Frame: u32 body length | u8 op length | op | i64 id | u32 payload length | payload.
void Encode(const PlainMessage& message, std::vector<uint8_t>* out) {
  uint32_t body = static_cast<uint32_t>(1 + message.op.size() + 8 + 4 + message.payload.size());
  size_t at = out->size();
  out->resize(at + 4 + body);
  uint8_t* p = out->data() + at;
  std::memcpy(p, &body, 4);
  p += 4;
  *p++ = static_cast<uint8_t>(message.op.size());
  std::memcpy(p, message.op.data(), message.op.size());
  p += message.op.size();
  std::memcpy(p, &message.id, 8);
  p += 8;
  uint32_t length = static_cast<uint32_t>(message.payload.size());
  std::memcpy(p, &length, 4);
  p += 4;
  std::memcpy(p, message.payload.data(), length);
}

size_t FrameSize(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  uint32_t body;
  std::memcpy(&body, data, 4);
  return size >= 4 + body ? 4 + body : 0;
}

PlainMessage Decode(const uint8_t* data) {
  PlainMessage message;
  const uint8_t* p = data + 4;
  size_t op_length = *p++;
  message.op.assign(reinterpret_cast<const char*>(p), op_length);
  p += op_length;
  std::memcpy(&message.id, p, 8);
  p += 8;
  uint32_t length;
  std::memcpy(&length, p, 4);
  p += 4;
  message.payload.assign(p, p + length);
  return message;
}

int64_t MallocInUse() {
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

int64_t ResidentBytes() {
  FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  long size = 0, resident = 0;
  int read = std::fscanf(statm, "%ld %ld", &size, &resident);
  std::fclose(statm);
  return read == 2 ? static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE) : 0;
}

}  // namespace xpctest::bench
