#pragma once
// The one interface every output format (console, CSV, JSON) implements, the run facts they
// share, and the row/label rules GenAI-Perf's console and CSV exporters have in common
// (reference §4.5, §4.6).

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metrics.h"

namespace bench {

/// What the exporters need to know about a run besides its statistics.
struct ExportContext {
  std::string endpoint_type = "kserve";  // --endpoint-type (GenAI-Perf's default)
  bool streaming = false;                // --streaming
  bool goodput_requested = false;        // --goodput given
  bool verbose = false;                  // -v (GPU tables, once telemetry exists)
  ErrorSummary errors;                   // failed requests: bench addition
  /// Per-session statistics (multi-turn), written as JSON "sessions" in this order.
  std::vector<std::pair<std::string, StatsReport>> sessions;
  /// JSON "telemetry_stats" object, passed through as is; null when there is no telemetry.
  nlohmann::ordered_json telemetry_stats;
  /// The JSON "input_config" object (ordered: Python keeps insertion order).
  nlohmann::ordered_json input_config = nlohmann::ordered_json::object();
  /// Bench-only rows (label, value) about the client and the schedule: printed under the
  /// console table (not with `quiet`); their values are also in `extra`. Empty for none.
  std::vector<std::pair<std::string, std::string>> bench_rows;
  /// Bench-only JSON additions: the keys of <stem>_bench.json after its errors; null for none.
  nlohmann::ordered_json extra;
  /// -q: the console shows the table only (no bench rows, no error footer).
  bool quiet = false;
};

/// One output format, writing a whole artifact (or the console text) to `out`.
class Exporter {
 public:
  virtual ~Exporter() = default;
  /// Writes `report` for the run described by `context`.
  virtual void Export(const StatsReport& report, const ExportContext& context,
                      std::ostream& out) const = 0;
};

/// A row of the console/CSV tables: the metric's JSON key and its *display* unit.
struct MetricRow {
  std::string name;  // e.g. "request_throughput"
  std::string unit;  // e.g. "per sec" (MetricMetadata unit, not the JSON unit)
};

/// Request-metric rows in GenAI-Perf's order for the endpoint type's Metrics class, minus the
/// streaming-only rows when not streaming (endpoint type embeddings skips nothing).
std::vector<MetricRow> RequestMetricRows(const ExportContext& context);
/// System-metric rows in order; request_goodput only when goodput was requested.
std::vector<MetricRow> SystemMetricRows(const ExportContext& context);

/// Python `name.replace("_", " ").title() + " (" + unit + ")"`, e.g. "Time To First Token (ms)".
std::string MetricLabel(const std::string& name, const std::string& unit);
/// Python str.title(): upper-case the first letter of each run of letters, lower-case the rest.
std::string PythonTitle(const std::string& text);
/// Python f"{value:,.2f}": two decimals with thousands separators ("1,525.00", "inf").
std::string FormatStatValue(double value);
/// The formatted statistic, or "N/A" when the metric, the statistic or its validity is missing.
std::string FetchStat(const StatsReport& report, const std::string& name, const std::string& stat);

/// "NVIDIA GenAI-Perf | LLM Metrics" (or Embeddings/Rankings/Image Retrieval/Multi-Modal).
std::string ConsoleTitle(const std::string& endpoint_type);

}  // namespace bench
