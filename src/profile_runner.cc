#include "bench/profile_runner.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bench/artifacts.h"
#include "bench/clock.h"
#include "bench/gate.h"
#include "bench/http_options.h"
#include "bench/input_config.h"
#include "bench/inputs.h"
#include "bench/load_engine.h"
#include "bench/profile_export_writer.h"
#include "bench/progress.h"
#include "bench/python_json.h"
#include "bench/schedule.h"
#include "bench/results.h"
#include "bench/server_check.h"
#include "bench/simulator.h"
#include "bench/tokenizer.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

bool WriteFile(const fs::path& path, const std::string& content, std::string& error) {
  std::ofstream f(path, std::ios::binary);
  f << content;
  f.close();
  if (!f) error = fmt::format("cannot write {}", path.string());
  return static_cast<bool>(f);
}

// The directory name carries only some parameters (artifacts.h); say so when a run with other
// settings is about to be replaced, rather than lose it silently.
void WarnIfReplacingOtherRun(const fs::path& dir, const ProfileConfig& config) {
  const fs::path previous = dir / config.profile_export_file;
  const nlohmann::ordered_json recorded = RecordedInputConfig(previous);
  if (!recorded.is_object()) return;
  const std::string differs = FirstDifference(ComparableInputConfig(recorded), ComparableInputConfig(InputConfigJson(config)));
  if (differs.empty()) return;
  spdlog::warn("{} holds a run with other settings ({} differs); it is replaced (give each run its own "
               "--artifact-dir to keep both)", dir.string(), differs);
}

}  // namespace

int RunProfile(const ProfileConfig& config, const std::atomic<bool>& stop, std::ostream& out) {
  TokenizerLoadResult tokenizer = LoadTokenizer(config.tokenizer, config.tokenizer_revision);
  if (!tokenizer.tokenizer) {
    spdlog::error("--tokenizer: {}", tokenizer.error);
    return kExitInput;
  }
  if (!tokenizer.warning.empty()) spdlog::warn("{}", tokenizer.warning);

  std::optional<Simulator> simulator;
  std::string base_url;
  if (config.simulator) {
    SimulatorOptions options = config.simulator_options;
    options.host = "127.0.0.1";
    options.port = 0;
    simulator.emplace(options);
    try {
      base_url = fmt::format("http://127.0.0.1:{}", simulator->Start());
    } catch (const std::exception& e) {
      spdlog::error("simulator: {}", e.what());
      return kExitNoSuccess;
    }
    spdlog::info("started the built-in simulator at {}", base_url);
  } else {
    base_url = NormalizeBaseUrl(config.url);
    if (base_url.empty()) {
      spdlog::error("--url '{}': expected host:port or http(s)://host:port", RedactUrl(config.url));
      return kExitUsage;
    }
  }
  // Never log the key itself, only where it came from.
  if (!config.api_key_source.empty()) spdlog::info("sending the API key from {} as a Bearer token", config.api_key_source);
  if (config.tls.insecure) {
    spdlog::warn("--insecure: TLS certificates are not verified; the connection (and any API key) can be intercepted");
  }
  const std::vector<std::string> headers = RequestHeaders(config.headers, config.api_key);
  if (std::string why = CheckServerReady(base_url, headers, config.tls); !why.empty()) {
    spdlog::error("{}", why);
    return kExitUnreachable;
  }

  Parsed<Dataset> dataset = BuildDataset(config, *tokenizer.tokenizer);
  if (!dataset.ok()) {
    spdlog::error("{}", dataset.error);
    return kExitInput;
  }
  if (dataset.value.inexact_prompts > 0) {
    spdlog::warn("{} synthetic prompts missed their exact token count by a token or two", dataset.value.inexact_prompts);
  }
  std::vector<std::string> bodies;
  for (const auto& payload : dataset.value.payloads) bodies.push_back(payload.dump());
  const int trace_measured = static_cast<int>(bodies.size()) - config.warmup_request_count;
  if (config.fixed_schedule && trace_measured < 1) {
    spdlog::error("--warmup-request-count {}: leaves no measured request in the {} lines of {}",
                  config.warmup_request_count, bodies.size(), config.input_file);
    return kExitUsage;
  }

  const fs::path dir = fs::path(config.artifact_dir) / RunDirName(config);
  WarnIfReplacingOtherRun(dir, config);
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string write_error;
  if (ec || !WriteFile(dir / "inputs.json", InputsJson(dataset.value), write_error)) {
    spdlog::error("--artifact-dir: cannot write {}: {}", dir.string(), ec ? ec.message() : write_error);
    return kExitOutput;
  }

  LoadOptions load;
  load.url = JoinUrl(base_url, config.endpoint);
  load.headers = headers;
  load.tls = config.tls;
  // With --request-rate, --concurrency is a cap on requests in flight (0 = none).
  // A trace replay has no cap (the CLI rejects --concurrency with --fixed-schedule).
  load.concurrency =
      (config.request_rate || config.fixed_schedule) && !config.concurrency_given ? 0 : config.concurrency;
  load.request_rate = config.request_rate;
  load.distribution = *ParseArrivalDistribution(config.request_distribution);
  load.schedule_seed = config.random_seed;
  load.request_timeout_s = config.request_timeout_s;
  load.streaming = config.streaming;
  load.warmup_request_count = config.warmup_request_count;
  load.request_count = config.fixed_schedule ? trace_measured : config.request_count;
  if (config.fixed_schedule) load.fixed_schedule_ms = dataset.value.timestamps_ms;
  load.schedule_speedup = config.schedule_speedup;
  load.duration_s = config.benchmark_duration_s;
  load.drain_cancel = config.drain_cancel;
  load.worker_threads = config.worker_threads;
  load.verbose = config.verbose;
  const std::string load_shape =
      config.fixed_schedule ? fmt::format("the trace's timestamps (speedup {})", config.schedule_speedup)
      : config.request_rate
          ? fmt::format("{} requests/s ({}){}", *config.request_rate, config.request_distribution,
                        load.concurrency > 0 ? fmt::format(", at most {} in flight", load.concurrency) : "")
          : fmt::format("concurrency {}", config.concurrency);
  const std::string measured =
      config.benchmark_duration_s
          ? fmt::format("{} s of measured requests (--drain {})", *config.benchmark_duration_s,
                        config.drain_cancel ? "cancel" : "wait")
          : fmt::format("{} measured requests", load.request_count);
  spdlog::info("profiling {} at {}: {} warm-up + {}, {} worker thread(s)", RedactUrl(load.url), load_shape,
               load.warmup_request_count, measured, ResolveWorkerThreads(load));
  spdlog::debug("input_config: {}", InputConfigJson(config).dump());  // secrets redacted
  LoadProgress progress;
  std::optional<ProgressReporter> reporter;
  if (ProgressWanted(config.no_progress, config.quiet)) {
    load.progress = &progress;
    reporter.emplace(progress, stderr);
  }
  const EpochAnchor anchor;
  LoadResult result = RunLoad(load, bodies, stop, anchor);
  reporter.reset();  // clears the progress line before anything else is printed
  if (simulator) simulator->Stop();
  if (result.interrupted) spdlog::warn("interrupted: writing the {} requests measured so far", result.requests.size());

  ProfileExport data;
  data.version = std::string("bench ") + BENCH_VERSION;
  data.service_kind = "openai";
  data.endpoint = config.endpoint;
  Experiment experiment;
  // perf_analyzer records a custom schedule (trace replay) as request_rate 0.0.
  experiment.mode = config.request_rate || config.fixed_schedule ? "request_rate" : "concurrency";
  experiment.value = config.fixed_schedule ? 0.0 : config.request_rate ? *config.request_rate : config.concurrency;
  experiment.requests = std::move(result.requests);
  data.experiments.push_back(std::move(experiment));
  {
    std::ofstream f(dir / config.profile_export_file, std::ios::binary);
    WriteProfileExport(data, f);
    if (!f) {
      spdlog::error("cannot write {}", (dir / config.profile_export_file).string());
      return kExitOutput;
    }
  }

  ResultsOptions options;
  options.endpoint_type = config.endpoint_type;
  options.streaming = config.streaming;
  options.goodput = config.goodput;
  options.goodput_requested = !config.goodput_raw.empty();
  options.artifact_dir = dir.string();
  options.profile_export_file = config.profile_export_file;
  options.input_config = InputConfigJson(config);
  options.verbose = config.verbose;
  const ResultsSummary summary = AnalyzeAndExport(data, tokenizer.tokenizer.get(), options, out);
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
    return summary.input_error ? kExitInput : kExitOutput;
  }
  spdlog::info("artifacts written to {}", dir.string());
  if (result.interrupted) return kExitInterrupted;
  if (summary.successful_requests == 0) {
    spdlog::error("no request succeeded ({} failed); see the errors above and in {}", summary.failed_requests,
                  (dir / config.profile_export_file).string());
    return kExitNoSuccess;
  }
  if (!CheckGates(config.fail_if, (dir / GenAiPerfFileName(config.profile_export_file, "json")).string())) {
    return kExitGateFailed;
  }
  return kExitOk;
}

}  // namespace bench
