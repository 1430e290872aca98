#include "app/input_config.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "record/response_format.h"
#include "app/media_flags.h"
#include "dataset/media/media_inputs.h"
#include "report/artifacts.h"
#include "util/http_options.h"
#include "util/ascii.h"

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

// GenAI-Perf serialises unset values as "".
template <typename T>
ojson OrEmpty(const std::optional<T>& v) {
  return v ? ojson(*v) : ojson("");
}

// GenAI-Perf's modes are request_count and interval (ms); a --benchmark-duration run is
// neither, so it says what it is: {"mode": "benchmark_duration", "num": seconds}.
ojson MeasurementJson(const ProfileConfig& c) {
  if (c.measurement_interval_ms) return {{"mode", "interval"}, {"num", *c.measurement_interval_ms}};
  if (c.benchmark_duration_s) return {{"mode", "benchmark_duration"}, {"num", *c.benchmark_duration_s}};
  return {{"mode", "request_count"}, {"num", c.request_count}};
}

// GenAI-Perf's analyze section: the swept parameter with its type's default range (it records
// that range whatever --sweep-list/--sweep-range said, reference §5.2); concurrency 1..1024
// for profile.
ojson AnalyzeJson(const ProfileConfig& c) {
  const std::string parameter = c.sweep_point ? c.sweep_point->parameter : "concurrency";
  int min = 1, max = 1024;
  if (parameter == "request_rate") {
    min = 16;
    max = 8192;
  } else if (parameter == "input_sequence_length" || parameter == "num_dataset_entries") {
    min = 100;
    max = 1000;
  }
  return {{"sweep_parameters", {{parameter, {{"min", min}, {"max", max}}}}}};
}

// GenAI-Perf's OutputFormat in lower case: the response format's name ("openai_chat_completions",
// "triton_generate", "huggingface_generate"; bench's "openai_responses").
std::string OutputFormatOf(const std::string& endpoint_type) {
  const std::optional<ResponseFormat> format = ResponseFormatFromName(endpoint_type);
  return format ? AsciiLower(ResponseFormatName(*format)) : AsciiLower(endpoint_type);
}

}  // namespace

std::string RedactHeader(const std::string& header) {
  const auto colon = header.find(':');
  if (colon == std::string::npos) return header;
  const std::string name = AsciiLower(header.substr(0, colon));
  const bool secret = name == "authorization" || name == "proxy-authorization" || name == "cookie" ||
                      name.find("key") != std::string::npos || name.find("token") != std::string::npos ||
                      name.find("secret") != std::string::npos;
  return secret ? header.substr(0, colon) + ": <redacted>" : header;
}

// Kept whole: one line per key of GenAI-Perf's nested layout, in its order, so the two can be
// read side by side (reference §4.4).
ojson InputConfigJson(const ProfileConfig& c) {
  ojson headers = ojson::array();
  for (const auto& h : c.headers) headers.push_back(RedactHeader(h));
  ojson goodput = ojson::object();
  for (const auto& [k, v] : c.goodput) goodput[k] = v;
  ojson extra = c.extra_inputs.empty() ? ojson("") : c.extra_inputs;
  // Key order and defaults are those of GenAI-Perf's ConfigCommand.to_json_dict (263c5f6e);
  // the options bench does not implement (backend, gRPC, the
  // perf_analyzer binary) carry GenAI-Perf's defaults, which is what a run of it would record.
  ojson doc{
      {"model_names", c.models},
      {"subcommand", c.sweep_point ? "analyze" : "profile"},
      {"verbose", c.verbose},
      {"template_filename", "genai_perf_config.yaml"},
      {"analyze", AnalyzeJson(c)},
      {"endpoint",
       {{"model_selection_strategy", c.model_selection_strategy},
        {"backend", c.backend},
        {"custom", c.endpoint},
        {"type", c.endpoint_type},
        {"streaming", c.streaming},
        {"server_metrics_urls", c.server_metrics_urls},
        {"url", c.simulator ? std::string("simulator") : RedactUrl(c.url)},
        {"grpc_method", ""},
        {"service_kind", c.endpoint_type == "kserve" ? "triton" : "openai"},
        {"output_format", c.endpoint_type == "kserve"       ? c.backend
                          : IsMediaEndpoint(c.endpoint_type) ? MediaOutputFormat(c.endpoint_type)
                                                             : OutputFormatOf(c.endpoint_type)}}},
      {"perf_analyzer",
       {{"path", "perf_analyzer"},
        {"verbose", false},
        // GenAI-Perf's fixed_schedule stimulus holds None, written "".
        {"stimulus", c.session_concurrency ? ojson{{"session_concurrency", *c.session_concurrency}}
                     : c.fixed_schedule ? ojson{{"fixed_schedule", ""}}
                     : c.request_rate ? ojson{{"request_rate", *c.request_rate}}
                                      : ojson{{"concurrency", c.concurrency}}},
        // GenAI-Perf's default is the int 999; a typed -s is a float (argparse type=float).
        {"stability_percentage", c.stability_percentage == 999 ? ojson(999) : ojson(c.stability_percentage)},
        {"measurement", MeasurementJson(c)},
        {"warmup_request_count", c.warmup_request_count}}},
      {"input",
       {{"batch_size", c.batch_size_text},
        {"extra", extra},
        {"goodput", c.goodput.empty() ? ojson("") : goodput},
        {"header", c.headers.empty() ? ojson("") : headers},
        {"file", c.payload_input               ? "payload:" + c.input_file
                 : c.synthetic_files.empty() ? c.input_file
                                             : "synthetic:" + fmt::format("{}", fmt::join(c.synthetic_files, ","))},
        {"num_dataset_entries", c.num_dataset_entries},
        {"random_seed", c.random_seed},
        {"audio", MediaAudioJson(c.media.audio)},
        {"image", MediaImageJson(c.media.image)},
        {"output_tokens",
         {{"mean", OrEmpty(c.output_tokens_mean)}, {"deterministic", false}, {"stddev", c.output_tokens_stddev}}},
        {"synthetic_tokens",
         {{"mean", c.synthetic_input_tokens_mean}, {"stddev", c.synthetic_input_tokens_stddev}}},
        {"prefix_prompt", {{"num", c.num_prefix_prompts}, {"length", c.prefix_prompt_length}}},
        {"sessions",
         {{"num", c.num_sessions},
          {"turns", {{"mean", c.session_turns_mean}, {"stddev", c.session_turns_stddev}}},
          {"turn_delay",
           {{"mean", c.session_turn_delay_mean}, {"ratio", c.session_delay_ratio}, {"stddev", c.session_turn_delay_stddev}}}}},
        {"prompt_source", c.input_file.empty() ? "synthetic" : c.payload_input ? "payload" : "file"},
        {"synthetic_files", c.synthetic_files},
        {"payload_file", c.payload_input ? c.input_file : ""}}},
      {"output",
       {{"artifact_directory", c.artifact_dir},
        {"checkpoint_directory", c.checkpoint_dir.empty() ? std::string("checkpoint") : c.checkpoint_dir},
        {"profile_export_file", c.profile_export_file},
        {"generate_plots", c.generate_plots},
        {"enable_checkpointing", c.enable_checkpointing}}},
      {"tokenizer",
       {{"name", c.tokenizer},
        {"revision", c.tokenizer_revision},
        {"trust_remote_code", c.tokenizer_trust_remote_code},
        // An internal field GenAI-Perf's to_json_dict writes too (ConfigTokenizer).
        {"_enable_debug_logging", true}}},
      {"process", {{"input_path", "aggregated"}}},
  };
  // Only when a key is used, so runs without one keep GenAI-Perf's exact layout.
  if (!c.api_key.empty()) doc["endpoint"]["api_key"] = "<redacted>";
  return doc;
}

}  // namespace bench
