#pragma once
// `bench compare --generate-plots`: runs overlaid as percentile curves (p1 ... p99 of TTFT,
// inter-token latency, request latency, per-user token throughput), read from each run's
// *_genai_perf.json, so GenAI-Perf's own JSON files can be plotted against bench's.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plots/charts.h"

namespace bench {

/// One run on the compare page: its legend name and its *_genai_perf.json document.
struct ComparedRun {
  std::string name;  // "baseline", "candidate 1", ...
  nlohmann::ordered_json doc;
};

/// One percentile chart per metric that at least one run has, in a fixed order.
std::vector<Chart> BuildCompareCharts(const std::vector<ComparedRun>& runs);

}  // namespace bench
