#pragma once
// A run's telemetry turned into what the exporters take: GenAI-Perf's `telemetry_stats`, the
// `telemetry` object of <stem>_bench.json and the server-metric rows under the console table.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "telemetry/collector.h"
#include "telemetry/request_timings.h"

namespace bench {

/// What the run's energy is divided by (bench's own counts of the measured phase).
struct EnergyBasis {
  double requests = 0;       // requests with a response
  double output_tokens = 0;  // their output tokens, as bench counted them
};

struct TelemetryReport {
  nlohmann::ordered_json telemetry_stats;  // null when no GPU sample was kept
  nlohmann::ordered_json bench_json;       // {"sources": [...], "request_timings": {...}}; null for neither
  std::vector<std::pair<std::string, std::string>> rows;
};

/// The URLs' GPU samples merged (GenAI-Perf's merge, then its statistics and scaling), each
/// URL's server metrics over the measured phase [start_ns, end_ns] (epoch ns), and the
/// per-request server timings. With the DCGM energy counter, the phase's energy per request and
/// per output token of `basis`, and output tokens per joule.
TelemetryReport ReportTelemetry(const std::vector<std::unique_ptr<UrlTelemetry>>& urls, int64_t start_ns,
                                int64_t end_ns, const RequestTimings& timings, const EnergyBasis& basis);

}  // namespace bench
