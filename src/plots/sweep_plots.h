#pragma once
// `bench analyze --generate-plots`: the sweep as curves, one point per sweep point (latency avg
// and p99 against throughput, throughput against the swept value), from the same summaries as
// analyze_export_genai_perf.csv. Each point's own plots are in its run directory.

#include <string>
#include <utility>
#include <vector>

#include "plots/charts.h"
#include "report/sweep_report.h"

namespace bench {

/// The sweep's charts, in report order: TTFT, inter-token latency and request latency (avg and
/// p99) against throughput, then output token throughput against the swept parameter.
std::vector<Chart> BuildSweepCharts(const std::vector<PointSummary>& points, const std::string& parameter);

/// Summary rows of the sweep page: the parameter and, per point, where its own report is.
std::vector<std::pair<std::string, std::string>> SweepFacts(const std::vector<PointSummary>& points,
                                                            const std::string& parameter);

}  // namespace bench
