#include "pipeline/profile_pipeline.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "dataset/inputs.h"
#include "dataset/sessions.h"
#include "load/load_engine.h"
#include "load/progress.h"
#include "pipeline/client_report.h"
#include "pipeline/exit_code.h"
#include "pipeline/post_run.h"
#include "pipeline/run_sinks.h"
#include "plots/data.h"
#include "record/profile_export_writer.h"
#include "report/recorded_config.h"
#include "sim/simulator.h"
#include "telemetry/telemetry_report.h"
#include "tokenizer/tokenizer.h"
#include "transport/server_check.h"
#include "transport/server_identity.h"
#include "util/http_options.h"

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
void WarnIfReplacingOtherRun(const RunPlan& plan) {
  const nlohmann::ordered_json recorded = RecordedInputConfig(plan.run_dir / plan.profile_export_file);
  if (!recorded.is_object()) return;
  const std::string differs = FirstDifference(ComparableInputConfig(recorded), ComparableInputConfig(plan.input_config));
  if (differs.empty()) return;
  spdlog::warn("{} holds a run with other settings ({} differs); it is replaced (give each run its own "
               "--artifact-dir to keep both)", plan.run_dir.string(), differs);
}

// The server the load goes to: the in-process simulator (started here) or the planned URL,
// checked for readiness. Logs why and returns the exit code when there is none.
int StartTarget(const RunPlan& plan, std::optional<Simulator>& simulator, std::string& base_url) {
  if (plan.simulator) {
    SimulatorOptions options = *plan.simulator;
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
    base_url = plan.base_url;
  }
  // Never log the key itself, only where it came from.
  if (!plan.api_key_source.empty()) spdlog::info("sending the API key from {} as a Bearer token", plan.api_key_source);
  if (plan.load.tls.insecure) {
    spdlog::warn("--insecure: TLS certificates are not verified; the connection (and any API key) can be intercepted");
  }
  const bool key_sent = std::any_of(plan.load.headers.begin(), plan.load.headers.end(), IsAuthorizationHeader);
  if (key_sent && base_url.rfind("http://", 0) == 0 && !IsLoopbackUrl(base_url)) {
    spdlog::warn("the API key goes to {} over plain http://: anyone on the path can read it; use https://",
                 RedactUrl(base_url));
  }
  if (std::string why = CheckServerReady(base_url, plan.load.headers, plan.load.tls); !why.empty()) {
    spdlog::error("{}", why);
    return kExitUnreachable;
  }
  return kExitOk;
}

// "concurrency 4", "10 requests/s (poisson), at most 8 in flight", ...: the load line of the log.
std::string LoadShape(const RunPlan& plan, const LoadOptions& load, const Dataset& dataset, size_t session_turns) {
  const bool sessions = plan.dataset.session_concurrency.has_value();
  const std::string shape =
      sessions ? fmt::format("session concurrency {} ({} sessions, {} turns{})", load.concurrency,
                             dataset.sessions.size(), session_turns,
                             load.warmup_request_count > 0 ? "; warm-up runs whole sessions" : "")
      : plan.dataset.fixed_schedule ? fmt::format("the trace's timestamps (speedup {})", load.schedule_speedup)
      : load.request_rate
          ? fmt::format("{} requests/s ({}){}", *load.request_rate, ArrivalDistributionName(load.distribution),
                        load.concurrency > 0 ? fmt::format(", at most {} in flight", load.concurrency) : "")
          : fmt::format("concurrency {}", load.concurrency);
  const std::string measured =
      plan.windows ? fmt::format("time windows of 1.2 x {} ms until the last 3 are stable within {}% (at most 10)",
                                 plan.windows->interval_ms, plan.windows->stability_percentage)
      : load.duration_s ? fmt::format("{} s of measured requests (--drain {})", *load.duration_s,
                                      load.drain_cancel ? "cancel" : "wait")
                        : fmt::format("{} measured requests", load.request_count);
  const HttpClient client = ResolveHttpClient(
      load.http_client, load.url, [](const char* name) -> const char* { return std::getenv(name); }, nullptr);
  return fmt::format("profiling {} at {}: {} warm-up + {}, {} worker thread(s), {} HTTP client", RedactUrl(load.url),
                     shape, load.warmup_request_count, measured, ResolveWorkerThreads(load),
                     client == HttpClient::kNative ? "native" : "libcurl");
}

// The results stage's options for this run, before the load adds what it measured.
ResultsOptions ResultsOptionsOf(const RunPlan& plan, const std::string& tokenizer_used) {
  ResultsOptions options;
  options.endpoint_type = plan.endpoint_type;
  options.streaming = plan.load.streaming;
  options.goodput = plan.goodput;
  options.goodput_requested = !plan.goodput.empty();
  options.artifact_dir = plan.run_dir.string();
  options.profile_export_file = plan.profile_export_file;
  options.input_config = plan.input_config;
  // The tokenizer that counted, so `bench report` on this export counts the same way.
  options.input_config["tokenizer"]["name"] = tokenizer_used;
  options.client_json["tokenizer"] = {{"requested", plan.tokenizer}, {"used", tokenizer_used}};
  options.verbose = plan.verbose;
  options.quiet = plan.quiet;
  options.schedule = plan.schedule;
  return options;
}

// The export's trailer, then the file closed; false (logged) when it could not be written.
bool CloseExport(ProfileExportWriter& writer, std::ofstream& file, const fs::path& path, const std::string& endpoint) {
  writer.Finish(std::string("bench ") + BENCH_VERSION, "openai", endpoint);
  file.close();
  if (!file) spdlog::error("cannot write {}", path.string());
  return static_cast<bool>(file);
}

// A written run's exit code: interrupted, nothing succeeded, a gate failed, or fine.
int ExitCodeOf(const RunPlan& plan, const RunResult& run, const fs::path& export_path) {
  if (run.interrupted) return kExitInterrupted;
  if (run.summary.successful_requests == 0) {
    spdlog::error("no request succeeded ({} failed); see the errors above and in {}", run.summary.failed_requests,
                  export_path.string());
    return kExitNoSuccess;
  }
  return CheckGates(plan.gates, run.summary.document) ? kExitOk : kExitGateFailed;
}

// What watches the load: perf_analyzer's time windows when planned, and the live progress
// line when wanted; both are wired into `load`, so they must outlive the load.
struct LoadInstruments {
  LoadInstruments(const RunPlan& plan, LoadOptions& load) {
    if (plan.windows) {
      windows.emplace(*plan.windows);
      load.windows = &*windows;
    }
    if (ProgressWanted(plan.no_progress, plan.quiet)) {
      load.progress = &progress;
      reporter.emplace(progress, stderr);
    }
  }
  std::optional<WindowController> windows;
  LoadProgress progress;
  std::optional<ProgressReporter> reporter;
};

// What the GPUs and the server did over the measured phase (first send to last response):
// telemetry_stats, "bench.telemetry" and the rows under the table.
void AddTelemetryReport(const TelemetryCollector& telemetry, const ExportSink& sink, const ExperimentMetrics& metrics,
                        ResultsOptions& options) {
  const EnergyBasis energy_basis{metrics.lists.request_count.value_or(0),
                                 std::accumulate(metrics.lists.output_sequence_length.begin(),
                                                 metrics.lists.output_sequence_length.end(), 0.0)};
  TelemetryReport report =
      ReportTelemetry(telemetry.results(), sink.first_send_ns(), sink.last_ns(), sink.timings(), energy_basis);
  options.telemetry_stats = std::move(report.telemetry_stats);
  if (!report.bench_json.is_null()) options.client_json["telemetry"] = std::move(report.bench_json);
  for (auto& row : report.rows) options.client_rows.push_back(std::move(row));
}

// The measured phase and everything after it, once the target, dataset and inputs.json are
// ready: load -> export + metrics -> table and files -> plots -> gates.
RunResult MeasureAndReport(const RunPlan& plan, LoadOptions& load, const std::vector<std::string>& bodies,
                           const TokenizerLoadResult& tokenizer, std::optional<Simulator>& simulator,
                           const nlohmann::ordered_json& server, const std::atomic<bool>& stop, std::ostream& out) {
  RunResult run;
  run.run_dir = plan.run_dir;
  LoadInstruments instruments(plan, load);
  std::optional<WindowController>& windows = instruments.windows;
  ResultsOptions options = ResultsOptionsOf(plan, TokenizerUsed(plan.tokenizer, tokenizer));
  options.client_json["server"] = server;
  MetricsAccumulator accumulator(plan.format, tokenizer.tokenizer.get(), MetricsOptionsOf(options));
  // The plots take their per-request values in the same pass as the metrics (bounded samples).
  std::optional<PlotDataCollector> plot_data;
  if (plan.generate_plots) {
    plot_data.emplace(tokenizer.tokenizer.get());
    accumulator.SetObserver(&*plot_data);
  }

  // Requests wait in a spill file in the artifact directory during the run (memory stays
  // bounded however long it is); afterwards each becomes one line of the export and one set of
  // per-request metric values.
  load.spill_dir = plan.run_dir.string();
  const fs::path export_path = plan.run_dir / plan.profile_export_file;
  std::ofstream export_file(export_path, std::ios::binary);
  if (!export_file) {
    spdlog::error("--artifact-dir: cannot write {}", export_path.string());
    run.exit_code = kExitOutput;
    return run;
  }
  ProfileExportWriter writer(export_file, /*request_per_line=*/true);
  writer.BeginExperiment(plan.experiment_mode, plan.experiment_value);
  ExportSink sink(writer, accumulator);
  const EpochAnchor anchor;
  std::optional<WindowedSink> windowed;
  if (windows) windowed.emplace(sink, *windows, anchor);
  // GPU and server telemetry, scraped from right before the load to right after it.
  TelemetryCollector telemetry(plan.telemetry, anchor);
  telemetry.Start();
  LoadResult result;
  try {
    result = RunLoad(load, bodies, stop, anchor, windowed ? static_cast<RecordSink&>(*windowed) : sink);
    telemetry.Stop();
  } catch (const std::exception& e) {
    spdlog::error("--artifact-dir: {}", e.what());
    run.exit_code = kExitOutput;
    return run;
  }
  instruments.reporter.reset();  // clears the progress line before anything else is printed
  if (simulator) simulator->Stop();
  run.interrupted = result.interrupted;
  if (result.interrupted) {
    spdlog::warn("interrupted: wrote the {} requests measured so far",
                 result.recorded - (windowed ? windowed->dropped() : 0));
  }
  writer.EndExperiment(windows ? windows->Boundaries(anchor.ToEpochNs(0)) : std::vector<int64_t>{});
  if (!CloseExport(writer, export_file, export_path, plan.endpoint)) {
    run.exit_code = kExitOutput;
    return run;
  }

  AddClientReport(result, options);
  if (windows) AddWindowReport(*windows, *windowed, result, anchor, options);
  if (result.interrupted) {
    options.client_json["interrupted"] = true;
    options.client_rows.emplace_back("Interrupted", "true");
  }
  ExperimentMetrics metrics = accumulator.Finish();
  AddTelemetryReport(telemetry, sink, metrics, options);
  if (!sink.error().empty()) metrics.error = sink.error();
  const std::string title = fmt::format("bench profile: {}", plan.run_dir.filename().string());
  PostRunOutcome outcome = FinishRun(metrics, options, plot_data ? &*plot_data : nullptr, title, out);
  run.summary = std::move(outcome.summary);
  if (outcome.exit_code != kExitOk) {
    run.exit_code = outcome.exit_code;
    return run;
  }
  spdlog::info("artifacts written to {}", plan.run_dir.string());
  run.exit_code = ExitCodeOf(plan, run, export_path);
  return run;
}

}  // namespace

RunResult RunProfile(const RunPlan& plan, const std::atomic<bool>& stop, std::ostream& out) {
  RunResult run;
  run.run_dir = plan.run_dir;
  TokenizerLoadResult tokenizer = LoadTokenizer(plan.tokenizer, plan.tokenizer_revision);
  if (!tokenizer.tokenizer) {
    spdlog::error("--tokenizer: {}", tokenizer.error);
    run.exit_code = kExitInput;
    return run;
  }
  if (!tokenizer.warning.empty()) spdlog::warn("{}", tokenizer.warning);
  std::optional<Simulator> simulator;
  std::string base_url;
  if (const int rc = StartTarget(plan, simulator, base_url); rc != kExitOk) {
    run.exit_code = rc;
    return run;
  }
  // Which server, engine and profile this run measures, for the bench file; never blocks the run.
  const nlohmann::ordered_json server = ProbeServerIdentity(base_url, plan.load.headers, plan.load.tls);

  Parsed<Dataset> dataset = BuildDataset(plan.dataset, *tokenizer.tokenizer);
  if (!dataset.ok()) {
    spdlog::error("{}", dataset.error);
    run.exit_code = kExitInput;
    return run;
  }
  if (dataset.value.inexact_prompts > 0) {
    spdlog::warn("{} synthetic prompts missed their exact token count by a token or two", dataset.value.inexact_prompts);
  }
  LoadOptions load = plan.load;
  load.url = JoinUrl(base_url, plan.endpoint);
  // Sessions build each turn's body from the history while they run; other runs send these.
  std::vector<std::string> bodies;
  std::optional<ChatSessionWorkload> sessions;
  size_t session_turns = 0;
  if (plan.dataset.session_concurrency) {
    sessions.emplace(dataset.value.sessions, dataset.value.payloads, ResponseFormat::kOpenAiChat);
    for (const SessionSpec& s : dataset.value.sessions) session_turns += s.entries.size();
    load.sessions = &*sessions;
    load.request_count = static_cast<int>(session_turns);
  } else {
    for (const auto& payload : dataset.value.payloads) bodies.push_back(payload.dump());
  }
  if (plan.dataset.fixed_schedule) {
    const int trace_measured = static_cast<int>(bodies.size()) - load.warmup_request_count;
    if (trace_measured < 1) {
      spdlog::error("--warmup-request-count {}: leaves no measured request in the {} lines of {}",
                    load.warmup_request_count, bodies.size(), plan.dataset.input_file);
      run.exit_code = kExitUsage;
      return run;
    }
    load.request_count = trace_measured;
    load.fixed_schedule_ms = dataset.value.timestamps_ms;
  }
  if (load.request_id_prefix.empty()) load.request_id_prefix = fmt::format("bench-{:08x}-", std::random_device{}());

  WarnIfReplacingOtherRun(plan);
  std::error_code ec;
  fs::create_directories(plan.run_dir, ec);
  std::string write_error;
  if (ec || !WriteFile(plan.run_dir / "inputs.json", InputsJson(dataset.value), write_error)) {
    spdlog::error("--artifact-dir: cannot write {}: {}", plan.run_dir.string(), ec ? ec.message() : write_error);
    run.exit_code = kExitOutput;
    return run;
  }
  spdlog::info("{}", LoadShape(plan, load, dataset.value, session_turns));
  spdlog::debug("input_config: {}", plan.input_config.dump());  // secrets redacted
  return MeasureAndReport(plan, load, bodies, tokenizer, simulator, server, stop, out);
}

}  // namespace bench
