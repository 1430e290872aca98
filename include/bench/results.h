#pragma once
// The post-run stage shared by `profile` and `report`: metrics from a profile export, then
// the console table, profile_export_genai_perf.json and .csv.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/profile_metrics.h"
#include "bench/record.h"
#include "bench/tokenizer.h"

namespace bench {

struct ResultsOptions {
  std::string endpoint_type;  // "" = infer from the export
  bool streaming = false;
  bool goodput_requested = false;
  std::vector<std::pair<std::string, double>> goodput;
  std::string artifact_dir;         // where the *_genai_perf.* files go
  std::string profile_export_file;  // base name, e.g. profile_export.json
  nlohmann::ordered_json input_config = nlohmann::ordered_json::object();
  bool verbose = false;
  // What the client measured about itself (profile only): rows under the table and keys
  // merged into the JSON "bench" object.
  std::vector<std::pair<std::string, std::string>> client_rows;
  nlohmann::ordered_json client_json;
};

/// What the results stage found, for the exit code.
struct ResultsSummary {
  size_t successful_requests = 0;
  size_t failed_requests = 0;
  std::string error;         // one line when metrics could not be computed or written
  bool input_error = false;  // the error lies in the export or tokenizer, not in writing
};

/// Metrics of the first experiment of `data` (error set when there is none).
ExperimentMetrics ComputeMetrics(const ProfileExport& data, const Tokenizer* tokenizer, const ResultsOptions& options);

/// The metrics stage's options for `options` (endpoint type, goodput constraints).
MetricsOptions MetricsOptionsOf(const ResultsOptions& options);

/// Prints the table for `metrics` to `out` and writes the JSON and CSV files.
ResultsSummary ExportResults(const ExperimentMetrics& metrics, const ResultsOptions& options, std::ostream& out);

/// ComputeMetrics then ExportResults.
ResultsSummary AnalyzeAndExport(const ProfileExport& data, const Tokenizer* tokenizer,
                                const ResultsOptions& options, std::ostream& out);

}  // namespace bench
