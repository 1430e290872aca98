#pragma once
// `bench estimate`: finds the model's config.json, counts its parameters and prints the memory
// it needs per precision (estimate/), as a table or as JSON.

#include <optional>
#include <ostream>
#include <string>

#include "app/config.h"
#include "estimate/memory_estimate.h"

namespace bench {

/// Bytes of a --gpu-memory value: "80" or "80GB" (10^9 bytes), "80GiB" (2^30); nullopt if bad.
std::optional<double> ParseGpuMemory(const std::string& text);

/// The one usage-error line for bad estimate flags (an unknown precision lists the valid ones), or "".
std::string ValidateEstimate(const EstimateConfig& config);

/// The estimate's options from a validated configuration.
EstimateOptions EstimateOptionsOf(const EstimateConfig& config);

/// Prints the estimate to `out`. kExitOk, or kExitInput after one line naming the file and field.
int RunEstimate(const EstimateConfig& config, std::ostream& out);

}  // namespace bench
