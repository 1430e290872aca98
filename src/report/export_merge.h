#pragma once
// Merging runs made separately — typically at the same time from several client machines —
// into one profile export, as GenAI-Perf's process-export-files does (reference §5.4), plus
// what bench reports beside it: the runs' own throughputs and how much their time spans overlap.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record/record.h"

namespace bench {

/// One run under the input directory.
struct RunFiles {
  std::filesystem::path dir;
  std::filesystem::path profile_export;   // X.json
  std::filesystem::path genai_perf_json;  // X_genai_perf.json beside it
};

/// The runs under a directory, and the subdirectories that hold none.
struct RunSearch {
  std::vector<RunFiles> runs;          // sorted by subdirectory name
  std::vector<std::string> skipped;    // subdirectories without an X.json / X_genai_perf.json pair
  std::vector<std::string> ambiguous;  // subdirectories with several pairs (the first is used)
};

/// Each subdirectory of `dir` (not deeper) holding a pair X.json + X_genai_perf.json. Pairing by
/// name keeps inputs.json and other JSON files out (GenAI-Perf takes any *.json).
RunSearch FindRuns(const std::filesystem::path& dir);

/// What the merge keeps of a run's *_genai_perf.json.
struct RunSummary {
  std::optional<double> request_throughput;       // request_throughput.avg
  std::optional<double> output_token_throughput;  // output_token_throughput.avg
  nlohmann::ordered_json telemetry_stats;         // null when absent
  nlohmann::ordered_json input_config;            // null when absent
};

/// Reads the parts RunSummary holds from a parsed *_genai_perf.json.
RunSummary SummarizeRun(const nlohmann::ordered_json& genai_perf_json);

/// GenAI-Perf's merged throughputs: the sums of the runs' request_throughput.avg and
/// output_token_throughput.avg. Unset when no run has the metric (GenAI-Perf reports 0 then).
struct ThroughputSums {
  std::optional<double> request_throughput;
  std::optional<double> output_token_throughput;
};
ThroughputSums SumRunThroughputs(const std::vector<RunSummary>& runs);

/// Appends the requests of `run`'s first experiment to `merged`'s first experiment. The first
/// run appended gives the experiment (mode, value, window boundaries) and the document's
/// version, service kind and endpoint, as in GenAI-Perf.
void AppendRun(ProfileExport& merged, ProfileExport&& run);

/// GenAI-Perf's telemetry merge, per metric and GPU over the runs' `avg` values: the mean for
/// gpu_power_usage, gpu_utilization and energy_consumption, the maximum for every other metric
/// (gpu_memory_used included: the runs watched the same GPUs). Null when no run has telemetry.
nlohmann::ordered_json MergeTelemetry(const std::vector<nlohmann::ordered_json>& telemetry);

/// A run's time span: its first send to its last response, epoch ns.
struct TimeSpan {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};

/// The span of the first experiment's requests that got a response; nullopt when none did.
std::optional<TimeSpan> RunSpan(const ProfileExport& run);

/// The time all runs were running together over the union of their spans, 0..1 (0 when some
/// two do not overlap at all, 1 for identical spans).
double OverlapFraction(const std::vector<TimeSpan>& spans);

/// GenAI-Perf's directory name of the merged run, `<model>-<kind>-<stimulus>`, from a recorded
/// input_config; "merged" when it names no model.
std::string MergedRunDirName(const nlohmann::ordered_json& input_config);

}  // namespace bench
