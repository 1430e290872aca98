#include "app/report_runner.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "report/artifacts.h"
#include "report/gate.h"
#include "app/input_config.h"
#include "report/recorded_config.h"
#include "pipeline/post_run.h"
#include "plots/report.h"
#include "record/profile_export_reader.h"
#include "metrics/profile_metrics.h"
#include "record/response_parser.h"
#include "report/results.h"
#include "tokenizer/tokenizer.h"

namespace bench {

namespace fs = std::filesystem;

namespace {

// The tokenizer that counts the export's tokens: --tokenizer, else the one the run recorded,
// else the built-in one (with a warning). Logs and returns the exit code when it cannot load.
int LoadReportTokenizer(const ReportConfig& config, ResponseFormat format, const nlohmann::ordered_json& recorded,
                        TokenizerLoadResult& tokenizer, std::string& requested_tokenizer) {
  if (NeedsTokenizer(format)) {
    std::string spec = config.tokenizer;
    if (spec.empty()) {
      spec = RecordedTokenizer(recorded);
      if (!spec.empty()) {
        spdlog::info("using the tokenizer the run recorded: {} (--tokenizer to override)", spec);
      } else {
        spec = "builtin";
        spdlog::warn("no --tokenizer given and none recorded beside the export: counting tokens with the "
                     "built-in Mistral-7B tokenizer, which is exact only for bench's simulator");
      }
    }
    requested_tokenizer = spec;
    tokenizer = LoadTokenizer(spec);
    if (!tokenizer.tokenizer) {
      spdlog::error("--tokenizer: {}", tokenizer.error);
      return kExitInput;
    }
    if (!tokenizer.warning.empty()) spdlog::warn("{}", tokenizer.warning);
  }

  return kExitOk;
}

// What only the live run could measure (client load, windows, interruption, ...) is carried
// over from the bench file beside the export; what the report recomputes is not.
void CarryLiveRunKeys(const fs::path& export_path, ResultsOptions& options) {
  const fs::path live_bench = export_path.parent_path() / BenchFileName(options.profile_export_file);
  if (std::ifstream in(live_bench); in) {
    const nlohmann::ordered_json live = nlohmann::ordered_json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (live.is_object()) {
      static const char* const kRecomputed[] = {"json_schema_version", "errors", "tokenizer", "schedule_lag",
                                                "time_to_first_token_from_intended", "request_latency_from_intended",
                                                "reasoning", "time_to_first_reasoning_token",
                                                "time_to_first_answer_token", "inter_token_latency_with_reasoning",
                                                "reasoning_token_count", "answer_token_count", "tokens_per_chunk"};
      for (auto it = live.begin(); it != live.end(); ++it) {
        if (std::find(std::begin(kRecomputed), std::end(kRecomputed), it.key()) == std::end(kRecomputed)) {
          options.client_json[it.key()] = it.value();
        }
      }
    }
  }
}

}  // namespace

int RunReport(const ReportConfig& config, std::ostream& out) {
  ProfileExportReadResult read = ReadProfileExport(config.profile_export);
  if (!read.error.empty()) {
    spdlog::error("{}", read.error);
    return kExitInput;
  }
  const FormatInference format = ResolveResponseFormat(read.profile, config.endpoint_type);
  if (!format.format) {
    spdlog::error("{}", format.error);
    return kExitInput;
  }
  if (config.generate_plots && !PlotsSupported(*format.format)) {
    // GenAI-Perf rejects the flag for these endpoint types before running anything.
    spdlog::error("--generate-plots: not supported for {} exports (no tokens or time to first token to plot)",
                  ResponseFormatName(*format.format));
    return kExitUsage;
  }
  // Re-running report beside the export keeps the original run's configuration.
  const nlohmann::ordered_json recorded = RecordedInputConfig(config.profile_export);
  TokenizerLoadResult tokenizer;
  std::string requested_tokenizer;
  if (const int rc = LoadReportTokenizer(config, *format.format, recorded, tokenizer, requested_tokenizer); rc != kExitOk) {
    return rc;
  }

  const fs::path export_path(config.profile_export);
  ResultsOptions options;
  options.endpoint_type = config.endpoint_type;
  options.streaming = config.streaming.value_or(InferStreaming(read.profile));
  options.goodput = config.goodput;
  options.goodput_requested = !config.goodput_raw.empty();
  options.artifact_dir = config.artifact_dir.empty() ? export_path.parent_path().string() : config.artifact_dir;
  if (options.artifact_dir.empty()) options.artifact_dir = ".";
  options.profile_export_file = export_path.filename().string();
  options.verbose = config.verbose;
  options.quiet = config.quiet;
  if (recorded.is_object()) {
    options.input_config = recorded;
  } else {
    options.input_config = nlohmann::ordered_json{{"subcommand", "report"},
                                                  {"profile_export", config.profile_export}};
  }
  CarryLiveRunKeys(export_path, options);
  if (tokenizer.tokenizer) {
    const std::string used = TokenizerUsed(requested_tokenizer, tokenizer);
    options.input_config["tokenizer"]["name"] = used;
    options.client_json["tokenizer"] = {{"requested", requested_tokenizer}, {"used", used}};
  }
  std::error_code ec;
  fs::create_directories(options.artifact_dir, ec);

  std::optional<PlotDataCollector> plot_data;
  if (config.generate_plots) plot_data.emplace(tokenizer.tokenizer.get());
  const ExperimentMetrics metrics =
      ComputeMetrics(read.profile, tokenizer.tokenizer.get(), options, plot_data ? &*plot_data : nullptr);
  PostRunOutcome outcome = FinishRun(metrics, options, plot_data ? &*plot_data : nullptr,
                                     "bench report: " + config.profile_export, out);
  if (outcome.exit_code != kExitOk) return outcome.exit_code;
  spdlog::info("wrote {}/{}", options.artifact_dir, "*_genai_perf.{json,csv}");
  if (!CheckGates(config.fail_if, outcome.summary.document)) return kExitGateFailed;
  return kExitOk;
}

}  // namespace bench
