#pragma once
// The flags of Triton's KServe gRPC endpoint type as GenAI-Perf takes them: --endpoint-type
// kserve, --backend tensorrtllm|vllm, and the older --service-kind (triton = kserve).

#include <string>

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace bench {

/// --backend and --service-kind on `app`.
void AddKserveOptions(CLI::App* app, ProfileConfig& p);

/// Maps --service-kind onto the endpoint type, checks --backend against it, and settles what
/// kserve needs (no URL path, GenAI-Perf's default URL localhost:8001, the gRPC client).
/// Returns a one-line error naming the flag, or "".
std::string ValidateKserve(ProfileConfig& c, const CLI::App& app);

}  // namespace bench
