#pragma once
// The servers two runs measured, side by side (`bench compare`): engine, version, model, NIM
// profile, precision and parallelism as each run's bench file recorded them (bench.server).

#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// A table of what each run's server said it was, one row per field either run has; "" when
/// neither run recorded a server (runs made before bench recorded one, or GenAI-Perf's).
/// `baseline` and `candidate` are run documents as ReadRunJson gives them.
std::string FormatServerComparison(const nlohmann::ordered_json& baseline, const nlohmann::ordered_json& candidate,
                                   int width);

}  // namespace bench
