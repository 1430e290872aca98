#pragma once
// GenAI-Perf's GPU telemetry output (telemetry_data_exporter_util.py): the CSV tables after the
// metric tables and, with -v, the Power/Memory/Utilization console tables, both read from the
// `telemetry_stats` object the JSON carries.

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// Python's _format_metric_name: words split on '_', "gpu" upper-cased, the rest capitalised
/// ("sm_utilization" -> "Sm Utilization").
std::string TelemetryMetricLabel(const std::string& name);

/// The CSV telemetry tables: a blank row, `Metric,GPU,avg,...,p1` one row per metric and GPU
/// (a missing statistic is 0.00), a blank row, `Metric,GPU,Value` for the constant metrics.
/// Nothing when no metric holds data.
void WriteTelemetryCsv(const nlohmann::ordered_json& telemetry_stats, std::ostream& out);

/// The -v console tables (rich, `width` columns): one per group with data, each GPU metric a
/// nested table of GPU Index x avg/min/max/p99/p90/p75. "" when no group holds data.
std::string RenderTelemetryTables(const nlohmann::ordered_json& telemetry_stats, int width);

}  // namespace bench
