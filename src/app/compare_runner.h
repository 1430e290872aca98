#pragma once
// `bench compare BASELINE CANDIDATE...`: runs side by side, direction-aware relative change,
// and — where both runs have per-request data (profile_export.json beside the JSON) — a
// Mann-Whitney U p-value and a bootstrap CI of the median difference (significance.h).

#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/config.h"

namespace bench {

/// One run as compare reads it.
struct CompareRun {
  std::filesystem::path json_path;  // the *_genai_perf.json found
  nlohmann::ordered_json doc;       // its content
  /// Per-request values (ms for times) by metric name, from the raw export next to it; empty
  /// when there is none or its tokens could not be counted.
  std::map<std::string, std::vector<double>> per_request;
  std::string error;  // one line when the run could not be read
};

/// Finds and reads a run: an artifact directory (searched for exactly one *_genai_perf.json),
/// a *_genai_perf.json file, or a raw profile export with its *_genai_perf.json beside it.
CompareRun LoadCompareRun(const std::string& path);

/// Which way is better for a metric: +1 higher (throughputs), -1 lower (latencies, error
/// rate), 0 neither (sequence lengths, counts).
int BetterDirection(const std::string& metric, const std::string& unit);

/// Prints one comparison table per candidate to `out`; returns 6 when --max-regression is
/// exceeded significantly, 4 when an input cannot be read, else 0.
int RunCompare(const CompareConfig& config, std::ostream& out);

}  // namespace bench
