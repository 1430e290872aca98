#pragma once
// GenAI-Perf's GPU telemetry output (telemetry_data_exporter_util.py): the CSV tables after the
// metric tables and, with -v, the Power/Memory/Utilization console tables, both read from the
// `telemetry_stats` object the JSON carries.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

/// Python's _format_metric_name: words split on '_', "gpu" upper-cased, the rest capitalised
/// ("sm_utilization" -> "Sm Utilization").
std::string TelemetryMetricLabel(const std::string& name);

/// The CSV telemetry tables: a blank row, `Metric,GPU,avg,...,p1` one row per metric and GPU
/// (a missing statistic is 0.00), a blank row, `Metric,GPU,Value` for the constant metrics.
/// Nothing when no metric holds data.
void WriteTelemetryCsv(const nlohmann::ordered_json& telemetry_stats, std::ostream& out);

/// analyze's per-GPU columns of one point's GenAI-Perf JSON: {gpu: [p99 power usage, p99 energy,
/// p99 utilization, p99 memory used, avg power limit, avg total memory]} (null where absent),
/// GPUs in the order of its gpu_power_usage; {} without telemetry.
nlohmann::ordered_json AnalyzeGpuColumns(const nlohmann::json& genai_perf_json);

/// analyze_export_genai_perf.csv's GPU rows: for each GPU of the first point, one row per point
/// `(config name, its AnalyzeGpuColumns)`: `name,gpu,v1,...,v6` with `{:.2f}` values (0.00 when
/// absent, as GenAI-Perf writes).
void WriteAnalyzeGpuRows(const std::vector<std::pair<std::string, nlohmann::ordered_json>>& points,
                         std::ostream& out);

/// The -v console tables (rich, `width` columns): one per group with data, each GPU metric a
/// nested table of GPU Index x avg/min/max/p99/p90/p75. "" when no group holds data.
std::string RenderTelemetryTables(const nlohmann::ordered_json& telemetry_stats, int width);

}  // namespace bench
