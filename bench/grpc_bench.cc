// grpc_bench — B6: an in-process gRPC unary call against B1.
//
//  - BM_B6_Grpc: a synchronous unary call through grpc::Server::InProcessChannel
//    (no sockets; gRPC's own in-process transport) to an Echo service built
//    from echo.proto by protoc and grpc_cpp_plugin. The request carries the
//    same fields as the XPC message; the service copies them into the reply.
//  - BM_B6_Xpctest: B1's reply_sync round trip on the threaded executor,
//    repeated here so that the two run side by side.
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "bench_support.h"
#include "echo.grpc.pb.h"

namespace xpctest::bench {
namespace {

class EchoImpl final : public Echo::Service {
  grpc::Status Call(grpc::ServerContext* context, const EchoMessage* request,
                    EchoMessage* reply) override {
    reply->set_op("echo");
    reply->set_id(request->id());
    reply->set_payload(request->payload());
    return grpc::Status::OK;
  }
};

std::string PayloadString() {
  PlainMessage message = MakePlainRequest(0);
  return std::string(message.payload.begin(), message.payload.end());
}

void BM_B6_Grpc(benchmark::State& state) {
  EchoImpl service;
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    state.SkipWithError("the gRPC server did not start");
    return;
  }
  std::unique_ptr<Echo::Stub> stub = Echo::NewStub(server->InProcessChannel(grpc::ChannelArguments()));
  const std::string payload = PayloadString();
  int64_t id = 0;
  for (auto _ : state) {
    ++id;
    EchoMessage request;
    request.set_op("echo");
    request.set_id(id);
    request.set_payload(payload);
    EchoMessage reply;
    grpc::ClientContext context;
    grpc::Status status = stub->Call(&context, request, &reply);
    if (!status.ok() || reply.id() != id || reply.payload().size() != kPayloadSize) {
      state.SkipWithError("a reply did not echo its request");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  server->Shutdown();
}
BENCHMARK(BM_B6_Grpc)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_B6_Xpctest(benchmark::State& state) {
  XpctestRoundTrips(state, runtime::ExecutorKind::kThreaded);
}
BENCHMARK(BM_B6_Xpctest)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace xpctest::bench

int main(int argc, char** argv) { return xpctest::bench::BenchMain(argc, argv); }
