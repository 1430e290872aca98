#pragma once
// The post-run stage shared by `profile` and `report`: metrics from a profile export, then
// the console table, profile_export_genai_perf.json and .csv, and profile_export_bench.json.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metrics.h"
#include "metrics/profile_metrics.h"
#include "record/record.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// What set the run's intended send times, for the schedule-lag warning's advice.
enum class ScheduleKind { kUnknown, kRate, kRateWithCap, kFixedSchedule };

struct ResultsOptions {
  std::string endpoint_type;  // "" = infer from the export
  bool streaming = false;
  bool use_server_token_count = false;  // OSL/ISL from the server's usage (bench addition)
  bool goodput_requested = false;
  std::vector<std::pair<std::string, double>> goodput;
  std::string artifact_dir;         // where the *_genai_perf.* files go
  std::string profile_export_file;  // base name, e.g. profile_export.json
  nlohmann::ordered_json input_config = nlohmann::ordered_json::object();
  bool verbose = false;
  ScheduleKind schedule = ScheduleKind::kUnknown;  // profile: the load mode (report: unknown)
  bool quiet = false;  // -q: the table only on stdout; failed requests are warned about on stderr
  // What the client measured about itself (profile only): rows under the table and keys of
  // <stem>_bench.json.
  std::vector<std::pair<std::string, std::string>> client_rows;
  nlohmann::ordered_json client_json;
  nlohmann::ordered_json telemetry_stats;  // JSON "telemetry_stats" as is; null for none
};

/// What the results stage found, for the exit code.
struct ResultsSummary {
  size_t successful_requests = 0;
  size_t failed_requests = 0;
  std::string error;         // one line when metrics could not be computed or written
  bool input_error = false;  // the error lies in the export or tokenizer, not in writing
  StatsReport stats;         // what the table and files show
  // The *_genai_perf.json document with the *_bench.json one under "bench" (what ReadRunJson
  // reads back from the files): gates and analyze's summary read the run from here.
  nlohmann::ordered_json document;
};

/// Metrics of the first experiment of `data` (error set when there is none); `observer` (may
/// be null) sees each of its requests.
ExperimentMetrics ComputeMetrics(const ProfileExport& data, const Tokenizer* tokenizer, const ResultsOptions& options,
                                 RequestObserver* observer = nullptr);

/// The metrics stage's options for `options` (endpoint type, goodput constraints).
MetricsOptions MetricsOptionsOf(const ResultsOptions& options);

/// Prints the table for `metrics` to `out` and writes the JSON and CSV files and the bench file.
ResultsSummary ExportResults(const ExperimentMetrics& metrics, const ResultsOptions& options, std::ostream& out);

}  // namespace bench
