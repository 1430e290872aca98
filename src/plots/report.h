#pragma once
// `--generate-plots`: GenAI-Perf's five default plots (reference §4.7) plus a request
// timeline, drawn from one run's metric lists and PlotData, written as
// <artifact dir>/plots/report.html (every chart inline as SVG: no script, no network, no font
// download) and one <stem>.svg per chart beside it.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plots/charts.h"
#include "plots/data.h"
#include "metrics/profile_metrics.h"
#include "record/response_parser.h"

namespace bench {

/// False for the formats GenAI-Perf rejects --generate-plots for (embeddings, NV-CLIP,
/// rankings, image retrieval) and for the others without tokens or TTFT (dynamic gRPC).
bool PlotsSupported(ResponseFormat format);

/// A page of charts.
struct PlotReport {
  std::string title;
  std::vector<std::pair<std::string, std::string>> facts;  // summary rows above the charts
  std::vector<Chart> charts;
};

/// The run's charts in report order: TTFT and request latency box plots, the ISL x OSL heatmap,
/// TTFT vs ISL, token-to-token latency vs output token position, the request timeline.
std::vector<Chart> BuildRunCharts(const MetricLists& lists, const PlotData& data);

/// Summary rows from a run's input_config object (may be empty) and its metrics.
std::vector<std::pair<std::string, std::string>> RunFacts(const nlohmann::ordered_json& input_config,
                                                          const ExperimentMetrics& metrics);

/// The HTML page: the facts table, then every chart inline.
std::string RenderPlotReportHtml(const PlotReport& report);

/// Writes report.html and one .svg per chart into `dir` (created). Returns "" or a one-line error.
std::string WritePlotReport(const std::filesystem::path& dir, const PlotReport& report);

}  // namespace bench
