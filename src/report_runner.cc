#include "bench/report_runner.h"

#include <filesystem>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bench/profile_export_reader.h"
#include "bench/profile_metrics.h"
#include "bench/response_parser.h"
#include "bench/results.h"
#include "bench/tokenizer.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// A run was streaming when its request bodies asked for it ("stream": true), whether the
// body is an OpenAI payload string or a Triton input map.
bool InferStreaming(const ProfileExport& data) {
  for (const auto& experiment : data.experiments) {
    for (const auto& request : experiment.requests) {
      const auto& inputs = request.request_inputs;
      if (inputs.contains("payload") && inputs["payload"].is_string()) {
        const auto body = nlohmann::json::parse(inputs["payload"].get<std::string>(), nullptr, false);
        return body.is_object() && body.value("stream", false) == true;
      }
      if (inputs.contains("stream")) {
        const auto& s = inputs["stream"];
        return s == true || (s.is_array() && !s.empty() && s[0] == true);
      }
      return data.service_kind == "triton";  // PA always streams over gRPC for Triton
    }
  }
  return false;
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
  TokenizerLoadResult tokenizer;
  if (NeedsTokenizer(*format.format)) {
    tokenizer = LoadTokenizer(config.tokenizer.empty() ? "builtin" : config.tokenizer);
    if (!tokenizer.tokenizer) {
      spdlog::error("--tokenizer: {}", tokenizer.error);
      return kExitInput;
    }
    if (config.tokenizer.empty()) {
      spdlog::warn("no --tokenizer given: counting tokens with the builtin tokenizer (exact only for "
                   "bench's simulator; pass the model's tokenizer.json for real servers)");
    }
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
  options.input_config = nlohmann::ordered_json{
      {"subcommand", "report"},
      {"profile_export", config.profile_export},
      {"tokenizer", {{"name", tokenizer.tokenizer ? tokenizer.tokenizer->Name() : ""}}}};
  std::error_code ec;
  fs::create_directories(options.artifact_dir, ec);

  const ResultsSummary summary = AnalyzeAndExport(read.profile, tokenizer.tokenizer.get(), options, out);
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
    return summary.input_error ? kExitInput : kExitOutput;
  }
  spdlog::info("wrote {}/{}", options.artifact_dir, "*_genai_perf.{json,csv}");
  return kExitOk;
}

}  // namespace bench
