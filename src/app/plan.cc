#include "app/plan.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "app/input_config.h"
#include "app/run_dir.h"
#include "load/schedule.h"
#include "transport/server_check.h"
#include "util/http_options.h"

namespace bench {
namespace {

// The load engine's options: everything the configuration decides; the pipeline adds the URL,
// the bodies' schedule and the run's own objects.
LoadOptions LoadOptionsOf(const ProfileConfig& c) {
  LoadOptions load;
  load.headers = RequestHeaders(c.headers, c.api_key);
  load.tls = c.tls;
  // With --request-rate, --concurrency is a cap on requests in flight (0 = none).
  // A trace replay has no cap (the CLI rejects --concurrency with --fixed-schedule).
  load.concurrency = (c.request_rate || c.fixed_schedule) && !c.concurrency_given ? 0 : c.concurrency;
  if (c.session_concurrency) load.concurrency = *c.session_concurrency;
  load.request_rate = c.request_rate;
  load.distribution = ParseArrivalDistribution(c.request_distribution).value_or(ArrivalDistribution::kConstant);
  load.burstiness = c.burstiness;
  load.schedule_seed = c.random_seed;
  load.request_timeout_s = c.request_timeout_s;
  load.stall_warning_s = c.stall_warning_s;
  load.streaming = c.streaming;
  load.warmup_request_count = c.warmup_request_count;
  load.request_count = c.request_count;
  load.schedule_speedup = c.schedule_speedup;
  load.duration_s = c.benchmark_duration_s;
  load.drain_cancel = c.drain_cancel;
  load.worker_threads = c.worker_threads;
  load.source_addresses = c.local_addresses;
  load.verbose = c.verbose;
  load.interrupt_grace_s = c.interrupt_grace_s;
  load.http_client = c.http_client == "native" ? HttpClient::kNative
                     : c.http_client == "curl" ? HttpClient::kCurl
                                               : HttpClient::kAuto;
  if (c.endpoint_type == "kserve") load.http_client = HttpClient::kGrpc;
  load.kserve_backend = c.backend;
  load.request_id_prefix = c.request_id_prefix;  // "" = a random one per run (the pipeline's)
  return load;
}

}  // namespace

DatasetOptions DatasetOptionsOf(const ProfileConfig& c) {
  DatasetOptions d;
  d.models = c.models;
  d.model_selection_strategy = c.model_selection_strategy;
  d.endpoint_type = c.endpoint_type;
  d.backend = c.backend;
  d.streaming = c.streaming;
  d.include_usage = c.use_server_token_count;
  d.extra_inputs = c.extra_inputs;
  d.random_seed = c.random_seed;
  d.num_dataset_entries = c.num_dataset_entries;
  d.synthetic_input_tokens_mean = c.synthetic_input_tokens_mean;
  d.synthetic_input_tokens_stddev = c.synthetic_input_tokens_stddev;
  d.synthetic_input_tokens_clip = c.synthetic_input_tokens_clip;
  d.output_tokens_mean = c.output_tokens_mean;
  d.output_tokens_stddev = c.output_tokens_stddev;
  d.output_tokens_clip = c.output_tokens_clip;
  d.num_prefix_prompts = c.num_prefix_prompts;
  d.prefix_prompt_length = c.prefix_prompt_length;
  d.input_file = c.input_file;
  d.media = c.media;
  d.payload_input = c.payload_input;
  d.fixed_schedule = c.fixed_schedule;
  d.session_concurrency = c.session_concurrency;
  d.num_sessions = c.num_sessions;
  d.session_turns_mean = c.session_turns_mean;
  d.session_turns_stddev = c.session_turns_stddev;
  d.session_turn_delay_mean = c.session_turn_delay_mean;
  d.session_turn_delay_stddev = c.session_turn_delay_stddev;
  d.session_delay_ratio = c.session_delay_ratio;
  d.batch_size_text = c.batch_size_text;
  d.synthetic_files = c.synthetic_files;
  return d;
}

Parsed<RunPlan> MakeRunPlan(const ProfileConfig& c) {
  Parsed<RunPlan> parsed;
  RunPlan& plan = parsed.value;
  if (c.simulator) {
    plan.simulator = c.simulator_options;
  } else {
    plan.base_url = NormalizeBaseUrl(c.url);
    if (plan.base_url.empty()) {
      parsed.error = "--url '" + RedactUrl(c.url) + "': expected host:port or http(s)://host:port";
      return parsed;
    }
  }
  const std::optional<ResponseFormat> format = ResponseFormatFromName(c.endpoint_type);
  if (!format) {
    parsed.error = "--endpoint-type '" + c.endpoint_type + "': no response format";
    return parsed;
  }
  plan.format = *format;
  plan.endpoint = c.endpoint;
  plan.endpoint_type = c.endpoint_type;
  plan.api_key_source = c.api_key_source;
  plan.tokenizer = c.tokenizer;
  plan.tokenizer_revision = c.tokenizer_revision;
  plan.dataset = DatasetOptionsOf(c);
  plan.load = LoadOptionsOf(c);
  plan.load.stream_ends_with_done = StreamEndsWithDone(*format);
  if (c.measurement_interval_ms) {
    WindowSettings windows;
    windows.interval_ms = *c.measurement_interval_ms;
    windows.stability_percentage = c.stability_percentage;
    plan.windows = windows;
  } else if (c.stability_percentage != ProfileConfig().stability_percentage) {
    spdlog::warn("--stability-percentage has no effect without --measurement-interval (a request count or a "
                 "duration ends this run, as perf_analyzer's single count window is always stable)");
  }
  plan.telemetry.urls = c.server_metrics_urls;
  plan.telemetry.tls = c.tls;
  // No exporter at GenAI-Perf's default URL is the common case: an info line, not a warning.
  plan.telemetry.quiet_unreachable = c.server_metrics_urls == ProfileConfig().server_metrics_urls;
  plan.schedule = c.fixed_schedule                            ? ScheduleKind::kFixedSchedule
                  : c.request_rate && plan.load.concurrency > 0 ? ScheduleKind::kRateWithCap
                  : c.request_rate                              ? ScheduleKind::kRate
                                                                : ScheduleKind::kUnknown;
  // perf_analyzer records a custom schedule (trace replay) and sessions as request_rate 0.0.
  const bool custom_schedule = c.fixed_schedule || c.session_concurrency.has_value();
  plan.experiment_mode = c.request_rate || custom_schedule ? "request_rate" : "concurrency";
  plan.experiment_value = custom_schedule ? 0.0 : c.request_rate ? *c.request_rate : c.concurrency;
  plan.run_dir = std::filesystem::path(c.artifact_dir) / RunDirName(c);
  plan.profile_export_file = c.profile_export_file;
  plan.input_config = InputConfigJson(c);
  plan.goodput = c.goodput;
  plan.use_server_token_count = c.use_server_token_count;
  plan.generate_plots = c.generate_plots;
  plan.gates = c.fail_if;
  plan.verbose = c.verbose;
  plan.quiet = c.quiet;
  plan.no_progress = c.no_progress;
  return parsed;
}

}  // namespace bench
