#include "pipeline/kserve_target.h"

#include <spdlog/spdlog.h>

#include "pipeline/exit_code.h"
#include "pipeline/in_process_server.h"
#include "transport/kserve_client.h"

namespace bench {

bool IsKservePlan(const RunPlan& plan) { return plan.load.http_client == HttpClient::kGrpc; }

int StartKserveTarget(const RunPlan& plan, std::optional<KserveSimulator>& simulator, std::string& base_url) {
  // gRPC lives in bench-grpc.so, loaded here on a kserve run's first need (util/shared_module).
  std::string error;
  const KserveClientApi* grpc = KserveClient(error);
  if (grpc != nullptr && plan.simulator) error = KserveServerLoadError();
  if (!error.empty()) {
    spdlog::error("--endpoint-type kserve: {}", error);
    return kExitNoSuccess;
  }
  if (plan.simulator) {
    if (int code = StartInProcessServer(*plan.simulator, " (Triton gRPC)", simulator, base_url); code != kExitOk) {
      return code;
    }
  } else {
    base_url = plan.base_url;
  }
  if (!plan.api_key_source.empty()) spdlog::info("sending the API key from {} as gRPC metadata", plan.api_key_source);
  const std::string model = plan.dataset.models.empty() ? std::string() : plan.dataset.models.front();
  if (std::string why = grpc->CheckReady(base_url, model, plan.load.headers); !why.empty()) {
    spdlog::error("{}", why);
    return kExitUnreachable;
  }
  return kExitOk;
}

}  // namespace bench
