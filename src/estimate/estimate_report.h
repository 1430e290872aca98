#pragma once
// How `bench estimate` prints: a summary of the model and the assumptions, then one table row
// per precision; or the same figures as JSON for scripts.

#include <string>

#include <nlohmann/json.hpp>

#include "estimate/memory_estimate.h"

namespace bench {

/// Schema version of `bench estimate --json` (its first key).
inline constexpr int kEstimateJsonSchemaVersion = 1;

/// The text report for a console `width` columns wide (every byte figure in GB = 10^9 bytes).
std::string FormatEstimate(const MemoryEstimate& estimate, int width);

/// The JSON report: bytes as numbers, every assumption named.
nlohmann::ordered_json EstimateJson(const MemoryEstimate& estimate);

}  // namespace bench
