#include "transport/kserve_check.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include <fmt/format.h>
#include <grpcpp/grpcpp.h>

#include "kserve/kserve.grpc.pb.h"
#include "transport/grpc_transport.h"
#include "transport/kserve_client.h"

namespace bench {
namespace {

constexpr auto kDeadline = std::chrono::seconds(5);

void Prepare(grpc::ClientContext& context, const std::vector<std::string>& headers) {
  context.set_deadline(std::chrono::system_clock::now() + kDeadline);
  for (const std::string& h : headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos) continue;
    std::string name = h.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    const size_t at = h.find_first_not_of(' ', colon + 1);
    if (at == std::string::npos || name == "content-type" || name == "expect") continue;
    context.AddMetadata(name, h.substr(at));
  }
}

std::string Failed(const std::string& target, const char* call, const grpc::Status& status) {
  return fmt::format("cannot reach the Triton server at {} over gRPC ({}: {}); is it running with its gRPC port "
                     "there (Triton's default is 8001)?",
                     target, call, status.error_message());
}

}  // namespace

std::string CheckKserveReady(const std::string& url, const std::string& model, const std::vector<std::string>& headers) {
  std::string error;
  const std::string target = GrpcTargetOf(url, error);
  if (target.empty()) return error;
  auto stub = inference::GRPCInferenceService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext context;
    Prepare(context, headers);
    inference::ServerLiveResponse live;
    const grpc::Status status = stub->ServerLive(&context, inference::ServerLiveRequest(), &live);
    if (!status.ok()) return Failed(target, "ServerLive", status);
    if (!live.live()) return fmt::format("the Triton server at {} is not live (ServerLive: false)", target);
  }
  {
    grpc::ClientContext context;
    Prepare(context, headers);
    inference::ServerReadyResponse ready;
    const grpc::Status status = stub->ServerReady(&context, inference::ServerReadyRequest(), &ready);
    if (!status.ok()) return Failed(target, "ServerReady", status);
    if (!ready.ready()) return fmt::format("the Triton server at {} is not ready (ServerReady: false)", target);
  }
  grpc::ClientContext context;
  Prepare(context, headers);
  inference::ModelReadyRequest request;
  request.set_name(model);
  inference::ModelReadyResponse ready;
  const grpc::Status status = stub->ModelReady(&context, request, &ready);
  if (!status.ok() || !ready.ready()) {
    return fmt::format("model '{}' is not ready on the Triton server at {} (ModelReady: {}); check -m", model, target,
                       status.ok() ? "false" : status.error_message());
  }
  return "";
}

namespace {

// bench-grpc.so's client half: the two calls above behind transport/kserve_client's seam.
class GrpcKserveClient final : public KserveClientApi {
 public:
  std::unique_ptr<Transport> MakeTransport(const TransportSettings& settings, int epoll_fd,
                                           const uint32_t* wake) const override {
    return MakeGrpcTransport(settings, epoll_fd, wake);
  }
  std::string CheckReady(const std::string& url, const std::string& model,
                         const std::vector<std::string>& headers) const override {
    return CheckKserveReady(url, model, headers);
  }
};

}  // namespace

}  // namespace bench

extern "C" const bench::KserveClientApi* bench_grpc_kserve_client() {
  static const bench::GrpcKserveClient client;
  return &client;
}
