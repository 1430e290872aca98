#pragma once
// The server of an --endpoint-type kserve run: the in-process gRPC simulator (when planned) or
// the planned URL, checked with Triton's readiness calls instead of GET /v1/models.

#include <optional>
#include <string>

#include "pipeline/run_plan.h"
#include "sim/kserve_simulator.h"

namespace bench {

/// True when `plan` speaks Triton's KServe gRPC protocol.
bool IsKservePlan(const RunPlan& plan);

/// Starts `simulator` when the plan asks for one (its address, http://127.0.0.1:PORT, in
/// `base_url`; else the planned URL), then checks the server and model are ready. Logs why and
/// returns the exit code when there is no server to measure; kExitOk otherwise.
int StartKserveTarget(const RunPlan& plan, std::optional<KserveSimulator>& simulator, std::string& base_url);

}  // namespace bench
