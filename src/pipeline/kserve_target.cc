#include "pipeline/kserve_target.h"

#include <exception>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pipeline/exit_code.h"
#include "transport/kserve_check.h"

namespace bench {

bool IsKservePlan(const RunPlan& plan) { return plan.load.http_client == HttpClient::kGrpc; }

int StartKserveTarget(const RunPlan& plan, std::optional<KserveSimulator>& simulator, std::string& base_url) {
  if (plan.simulator) {
    SimulatorOptions options = *plan.simulator;
    options.host = "127.0.0.1";
    options.port = 0;
    simulator.emplace(options);
    try {
      base_url = fmt::format("http://127.0.0.1:{}", simulator->Start());
    } catch (const std::exception& e) {
      spdlog::error("simulator: {}", e.what());
      return kExitNoSuccess;
    }
    spdlog::info("started the built-in simulator (Triton gRPC) at {}", base_url.substr(7));
  } else {
    base_url = plan.base_url;
  }
  if (!plan.api_key_source.empty()) spdlog::info("sending the API key from {} as gRPC metadata", plan.api_key_source);
  const std::string model = plan.dataset.models.empty() ? std::string() : plan.dataset.models.front();
  if (std::string why = CheckKserveReady(base_url, model, plan.load.headers); !why.empty()) {
    spdlog::error("{}", why);
    return kExitUnreachable;
  }
  return kExitOk;
}

}  // namespace bench
