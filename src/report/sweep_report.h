#pragma once
// What `bench analyze` reports across sweep points: one summary per point (read back from the
// point's profile_export_genai_perf.json), GenAI-Perf's analyze_export_genai_perf.csv
// (reference §5.2) and the console summary table.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

/// One measured sweep point.
struct PointSummary {
  std::string config_name;  // GenAI-Perf's `<model>_run_config_<i>`
  std::string parameter;    // the swept parameter, e.g. "concurrency"
  std::string value;        // its value as named, e.g. "4"
  std::string run_dir;      // the point's directory under --artifact-dir
  std::string load_value;   // the point's concurrency or request rate (CSV column 2)
  int num_dataset_entries = 0;
  // Metric values in GenAI-Perf's units (ms, tokens, per second); unset when not measured.
  std::optional<double> request_throughput, output_token_throughput;
  std::optional<double> ttft_avg, ttft_p99, itl_avg, itl_p99, request_latency_avg, request_latency_p99;
  std::optional<double> osl_p99, isl_p99;
  int64_t failed_requests = 0;
  nlohmann::ordered_json gpus = nlohmann::ordered_json::object();  // AnalyzeGpuColumns (telemetry_export.h)
};

/// Fills the metric fields of `summary` from a profile_export_genai_perf.json document read with
/// ReadRunJson (failed requests from its *_bench.json's `errors`, under "bench"; 0 when absent).
void ReadPointMetrics(const nlohmann::json& genai_perf_json, PointSummary& summary);

/// The checkpoint's form of a summary, and back (missing fields stay at their defaults).
nlohmann::ordered_json PointSummaryToJson(const PointSummary& summary);
PointSummary PointSummaryFromJson(const nlohmann::json& json);

/// analyze_export_genai_perf.csv: `Config Name,<Concurrency|Request Rate>,ISL,Num Dataset
/// Entries,p99 ...` one row per point, a blank row, then the GPU table (header, then
/// WriteAnalyzeGpuRows). Values `{:.2f}`, ISL = int(p99 ISL); a metric the run did not measure is N/A.
void WriteAnalyzeCsv(const std::vector<PointSummary>& points, bool request_rate_column, std::ostream& out);

/// The console summary: one row per point with the swept value, request and output token
/// throughput, TTFT/ITL/request latency avg and p99, and failed requests.
std::string SweepSummaryTable(const std::vector<PointSummary>& points, const std::string& parameter, int width);

}  // namespace bench
