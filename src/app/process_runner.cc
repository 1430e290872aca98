#include "app/process_runner.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/run_dir.h"
#include "report/artifacts.h"
#include "report/export_merge.h"
#include "report/exporter.h"
#include "report/gate.h"
#include "app/input_config.h"
#include "report/recorded_config.h"
#include "pipeline/post_run.h"
#include "record/profile_export_reader.h"
#include "record/profile_export_writer.h"
#include "metrics/profile_metrics.h"
#include "record/response_parser.h"
#include "report/results.h"
#include "tokenizer/tokenizer.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

// Settings that must match for a merge to mean something. Client machines differ in the URL
// they reach the server by and, deliberately, in their random seed (so they send different
// prompts), so neither is compared.
ojson MergeRelevant(const ojson& input_config) {
  ojson c = ComparableInputConfig(input_config);
  if (c.is_object()) {
    if (c.contains("endpoint") && c["endpoint"].is_object()) c["endpoint"].erase("url");
    if (c.contains("input") && c["input"].is_object()) c["input"].erase("random_seed");
    c.erase("process");
  }
  return c;
}

std::string StringAt(const ojson& doc, const ojson::json_pointer& at) {
  const ojson v = doc.is_object() ? doc.value(at, ojson()) : ojson();
  return v.is_string() ? v.get<std::string>() : "";
}

// The first run's settings, recorded as what produced the merged report.
ojson MergedInputConfig(ojson first, const ProcessConfig& config) {
  if (!first.is_object()) first = ojson::object();
  first["subcommand"] = "process-export-files";
  if (first.contains("output") && first["output"].is_object()) {
    first["output"]["artifact_directory"] = config.artifact_dir;
    first["output"]["profile_export_file"] = config.profile_export_file;
  }
  first["process"] = {{"input_path", config.input_dir}};
  return first;
}

// The merged throughputs divide by the union of the runs' spans; when the runs were not
// running together most of the time, that is far from the sum GenAI-Perf reports. Say so.
void WarnAboutOverlap(const std::vector<TimeSpan>& spans, const ThroughputSums& sums) {
  if (spans.size() < 2) return;
  const double overlap = OverlapFraction(spans);
  if (overlap >= 0.9) return;
  const std::string sum = sums.request_throughput ? fmt::format("{:.2f} requests/s", *sums.request_throughput) : "n/a";
  if (overlap == 0) {
    spdlog::warn("the runs do not overlap in time (run one after another, or the client clocks differ): the merged "
                 "throughputs divide by the whole span from the first send to the last response; the sum of the "
                 "runs' own throughputs ({}) would count them as simultaneous", sum);
  } else {
    spdlog::warn("the runs overlap in time for only {:.0f}% of their combined span (staggered starts, or client "
                 "clocks apart): the merged throughputs divide by that whole span, so they are lower than the sum of "
                 "the runs' own throughputs ({}); start the clients together for a steady aggregate", 100 * overlap, sum);
  }
}

// The runs found, read and put together.
struct MergedRuns {
  ProfileExport merged;
  std::vector<RunSummary> summaries;
  std::vector<TimeSpan> spans;
  std::vector<ojson> telemetry;
  ojson runs_json = ojson::array();
};

// Reads every run of `search` into `runs`; logs and returns the exit code when one cannot be.
int ReadRuns(const RunSearch& search, MergedRuns& runs) {
  for (const RunFiles& run : search.runs) {
    ProfileExportReadResult read = ReadProfileExport(run.profile_export.string());
    if (!read.error.empty()) {
      spdlog::error("{}", read.error);
      return kExitInput;
    }
    if (read.profile.experiments.empty()) {
      spdlog::error("{}: holds no experiment", run.profile_export.string());
      return kExitInput;
    }
    if (read.profile.experiments.size() > 1) {
      spdlog::warn("{}: only the first of its {} experiments is runs.merged", run.profile_export.string(),
                   read.profile.experiments.size());
    }
    std::ifstream in(run.genai_perf_json);
    const ojson doc = ojson::parse(in, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      spdlog::error("{}: not a JSON object", run.genai_perf_json.string());
      return kExitInput;
    }
    RunSummary summary = SummarizeRun(doc);
    if (!runs.summaries.empty() && runs.summaries.front().input_config.is_object() && summary.input_config.is_object()) {
      const std::string differs =
          FirstDifference(MergeRelevant(runs.summaries.front().input_config), MergeRelevant(summary.input_config));
      if (!differs.empty()) {
        spdlog::warn("{} ran with other settings than {} ({} differs); runs.merged anyway", run.dir.string(),
                     search.runs.front().dir.string(), differs);
      }
    }
    if (const auto span = RunSpan(read.profile)) runs.spans.push_back(*span);
    if (!summary.telemetry_stats.is_null()) runs.telemetry.push_back(summary.telemetry_stats);
    runs.runs_json.push_back({{"directory", run.dir.filename().string()},
                         {"requests", read.profile.experiments.front().requests.size()},
                         {"request_throughput", summary.request_throughput ? ojson(*summary.request_throughput) : ojson()},
                         {"output_token_throughput",
                          summary.output_token_throughput ? ojson(*summary.output_token_throughput) : ojson()}});
    runs.summaries.push_back(std::move(summary));
    AppendRun(runs.merged, std::move(read.profile));
  }
  return kExitOk;
}

// The merged run's directory and its profile_export.json (never over an input run).
int WriteMergedExport(const ProcessConfig& config, const RunSearch& search, const MergedRuns& runs, fs::path& out_dir) {
  out_dir = fs::path(config.artifact_dir) / MergedRunDirName(runs.summaries.front().input_config);
  std::error_code ec;
  for (const RunFiles& run : search.runs) {
    if (fs::equivalent(out_dir, run.dir, ec)) {
      spdlog::error("the runs.merged run would replace the input run {}; choose another --artifact-dir", run.dir.string());
      return kExitUsage;
    }
  }
  if (fs::exists(out_dir / "inputs.json", ec)) {
    spdlog::warn("{} holds a profile run; its {} is replaced by the merged one", out_dir.string(), config.profile_export_file);
  }
  fs::create_directories(out_dir, ec);
  {
    std::ofstream f(out_dir / config.profile_export_file, std::ios::binary);
    WriteProfileExport(runs.merged, f);
    f.close();
    if (!f) {
      spdlog::error("cannot write {}", (out_dir / config.profile_export_file).string());
      return kExitOutput;
    }
  }

  return kExitOk;
}

// The tokenizer the first run counted with (or --tokenizer), when the format needs one.
int LoadMergedTokenizer(const ProcessConfig& config, const MergedRuns& runs, TokenizerLoadResult& tokenizer) {
  const ojson& first_config = runs.summaries.front().input_config;
  const FormatInference format = ResolveResponseFormat(runs.merged, "");
  if (!format.format) {
    spdlog::error("{}", format.error);
    return kExitInput;
  }
  if (NeedsTokenizer(*format.format)) {
    std::string spec = config.tokenizer.empty() ? RecordedTokenizer(first_config) : config.tokenizer;
    if (spec.empty()) {
      spec = "builtin";
      spdlog::warn("no --tokenizer given and none recorded by the first run: counting tokens with the built-in "
                   "Mistral-7B tokenizer, which is exact only for bench's simulator");
    }
    std::string revision = StringAt(first_config, "/tokenizer/revision"_json_pointer);
    tokenizer = LoadTokenizer(spec, revision.empty() ? "main" : revision);
    if (!tokenizer.tokenizer) {
      spdlog::error("--tokenizer: {}", tokenizer.error);
      return kExitInput;
    }
    if (!tokenizer.warning.empty()) spdlog::warn("{}", tokenizer.warning);
  }

  return kExitOk;
}

// The results stage's options: the first run's settings and goodput, and the merge's rows.
ResultsOptions MergedResultsOptions(const ProcessConfig& config, const MergedRuns& runs, const fs::path& out_dir,
                                    const TokenizerLoadResult& tokenizer) {
  const ojson& first_config = runs.summaries.front().input_config;
  ResultsOptions options;
  const ojson streaming = first_config.is_object() ? first_config.value("/endpoint/streaming"_json_pointer, ojson()) : ojson();
  options.streaming = streaming.is_boolean() ? streaming.get<bool>() : InferStreaming(runs.merged);
  // GenAI-Perf re-applies the first run's goodput constraints to the union of the requests.
  const ojson goodput = first_config.is_object() ? first_config.value("/input/goodput"_json_pointer, ojson()) : ojson();
  if (goodput.is_object()) {
    for (const auto& [metric, value] : goodput.items()) {
      if (value.is_number()) options.goodput.emplace_back(metric, value.get<double>());
    }
    options.goodput_requested = !options.goodput.empty();
  }
  options.artifact_dir = out_dir.string();
  options.profile_export_file = config.profile_export_file;
  options.verbose = config.verbose;
  options.quiet = config.quiet;
  options.input_config = MergedInputConfig(first_config, config);
  if (tokenizer.tokenizer) options.input_config["tokenizer"]["name"] = tokenizer.tokenizer->Name();
  options.telemetry_stats = MergeTelemetry(runs.telemetry);

  const ThroughputSums sums = SumRunThroughputs(runs.summaries);
  WarnAboutOverlap(runs.spans, sums);
  options.client_rows.emplace_back("Runs Merged", std::to_string(runs.summaries.size()));
  if (sums.request_throughput) {
    options.client_rows.emplace_back("Sum Of Runs' Request Throughput (per sec)", FormatStatValue(*sums.request_throughput));
  }
  if (sums.output_token_throughput) {
    options.client_rows.emplace_back("Sum Of Runs' Output Token Throughput (tokens/sec)",
                                     FormatStatValue(*sums.output_token_throughput));
  }
  ojson merge = {{"runs", runs.runs_json}};
  merge["request_throughput_sum"] = sums.request_throughput ? ojson(*sums.request_throughput) : ojson();
  merge["output_token_throughput_sum"] = sums.output_token_throughput ? ojson(*sums.output_token_throughput) : ojson();
  if (runs.spans.size() > 1) {
    const double overlap = 100 * OverlapFraction(runs.spans);
    merge["overlap_percent"] = overlap;
    options.client_rows.emplace_back("Runs Overlap In Time (%)", fmt::format("{:.1f}", overlap));
  }
  options.client_json["merge"] = std::move(merge);

  return options;
}

}  // namespace

int RunProcessExportFiles(const ProcessConfig& config, std::ostream& out) {
  const RunSearch search = FindRuns(config.input_dir);
  for (const std::string& name : search.skipped) {
    spdlog::info("skipping {}/{}: no X.json with an X_genai_perf.json beside it", config.input_dir, name);
  }
  for (const std::string& name : search.ambiguous) {
    spdlog::warn("{}/{} holds several exports; merging only the first by name", config.input_dir, name);
  }
  if (search.runs.empty()) {
    spdlog::error("{}: no run found (each run is a subdirectory holding X.json and X_genai_perf.json, as a "
                  "profile run's artifact directory does)", config.input_dir);
    return kExitInput;
  }

  MergedRuns runs;
  fs::path out_dir;
  TokenizerLoadResult tokenizer;
  if (const int rc = ReadRuns(search, runs); rc != kExitOk) return rc;
  if (const int rc = WriteMergedExport(config, search, runs, out_dir); rc != kExitOk) return rc;
  if (const int rc = LoadMergedTokenizer(config, runs, tokenizer); rc != kExitOk) return rc;
  const ResultsOptions options = MergedResultsOptions(config, runs, out_dir, tokenizer);
  const PostRunOutcome outcome = FinishRun(ComputeMetrics(runs.merged, tokenizer.tokenizer.get(), options), options,
                                           /*plot_data=*/nullptr, "", out);
  if (outcome.exit_code != kExitOk) return outcome.exit_code;
  const ResultsSummary& summary = outcome.summary;
  spdlog::info("merged {} runs into {}", runs.summaries.size(), out_dir.string());
  if (!CheckGates(config.fail_if, summary.document)) return kExitGateFailed;
  return summary.successful_requests > 0 ? kExitOk : kExitNoSuccess;
}

}  // namespace bench
