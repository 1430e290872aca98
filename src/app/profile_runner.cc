#include "app/profile_runner.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/plan.h"
#include "app/run_dir.h"
#include "report/artifacts.h"
#include "util/clock.h"
#include "report/gate.h"
#include "util/http_options.h"
#include "app/input_config.h"
#include "dataset/inputs.h"
#include "load/load_engine.h"
#include "load/measurement_windows.h"
#include "plots/report.h"
#include "record/profile_export_writer.h"
#include "record/response_parser.h"
#include "load/progress.h"
#include "util/python_json.h"
#include "load/schedule.h"
#include "report/results.h"
#include "transport/server_check.h"
#include "dataset/sessions.h"
#include "sim/simulator.h"
#include "telemetry/request_timings.h"
#include "telemetry/telemetry_report.h"
#include "tokenizer/tokenizer.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// Each measured request, one at a time: a line of profile_export.json and the metrics'
// per-request values. Nothing else of it stays in memory.
class ExportSink : public RecordSink {
 public:
  ExportSink(ProfileExportWriter& writer, MetricsAccumulator& metrics) : writer_(writer), metrics_(metrics) {}
  void Add(RequestRecord&& record) override {
    writer_.WriteRequest(record);
    // The measured phase as the records saw it: the span telemetry's server metrics cover.
    first_send_ns_ = std::min(first_send_ns_, record.timestamp_ns);
    if (!record.response_timestamps.empty()) last_ns_ = std::max(last_ns_, record.response_timestamps.back());
    timings_.Add(record);
    if (!error_.empty()) return;
    try {
      metrics_.Add(record);
    } catch (const std::exception& e) {
      // A tokenizer or allocation failure ends the metrics, not the export.
      error_ = std::string("computing metrics failed: ") + e.what();
    }
  }
  const std::string& error() const { return error_; }
  int64_t first_send_ns() const { return first_send_ns_; }
  int64_t last_ns() const { return std::max(last_ns_, first_send_ns_); }
  const RequestTimings& timings() const { return timings_; }

 private:
  ProfileExportWriter& writer_;
  MetricsAccumulator& metrics_;
  std::string error_;
  int64_t first_send_ns_ = INT64_MAX;
  int64_t last_ns_ = 0;
  RequestTimings timings_;
};

// Time windows: only requests whose end lies in a closed window go on to the export and the
// metrics, as perf_analyzer collects them window by window; the others finished after the last
// window closed. Called after the load, when the windows are final.
class WindowedSink : public RecordSink {
 public:
  WindowedSink(RecordSink& inner, const WindowController& windows, const EpochAnchor& anchor)
      : inner_(inner), windows_(windows), anchor_(anchor) {}
  void Add(RequestRecord&& record) override {
    if (epoch_windows_.size() != windows_.windows().size()) {
      epoch_windows_ = windows_.windows();
      for (MeasurementWindow& w : epoch_windows_) {
        w.start_ns = anchor_.ToEpochNs(w.start_ns);
        w.end_ns = anchor_.ToEpochNs(w.end_ns);
      }
      requests_.assign(epoch_windows_.size(), 0);
      errors_.assign(epoch_windows_.size(), 0);
    }
    const int w = WindowOf(epoch_windows_, RequestEndNs(record));
    if (w < 0) {
      ++dropped_;
      return;
    }
    ++requests_[static_cast<size_t>(w)];
    if (record.error) ++errors_[static_cast<size_t>(w)];
    inner_.Add(std::move(record));
  }
  size_t dropped() const { return dropped_; }
  int64_t requests(size_t window) const { return window < requests_.size() ? requests_[window] : 0; }
  int64_t errors(size_t window) const { return window < errors_.size() ? errors_[window] : 0; }

 private:
  RecordSink& inner_;
  const WindowController& windows_;
  const EpochAnchor& anchor_;
  std::vector<MeasurementWindow> epoch_windows_;
  std::vector<int64_t> requests_;
  std::vector<int64_t> errors_;
  size_t dropped_ = 0;
};

// "2.1%" (three significant digits, so a spread below a tiny -s still shows), or "unbounded"
// when a window had nothing to compare (a zero minimum).
std::string Percent(double v) { return std::isfinite(v) ? fmt::format("{:.3g}%", v) : "unbounded"; }

// The windows under the table, in the JSON "bench.measurement_windows" object, and a warning
// when the cap was reached without stability.
void AddWindowReport(const WindowController& controller, const WindowedSink& sink, const LoadResult& result,
                     const EpochAnchor& anchor, ResultsOptions& options) {
  const WindowSettings& settings = controller.settings();
  const std::vector<MeasurementWindow>& windows = controller.windows();
  const WindowSpread spread = controller.spread();
  const size_t dropped = result.dropped_in_flight + sink.dropped();
  const auto finite_or_null = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  nlohmann::ordered_json per_window = nlohmann::ordered_json::array();
  for (size_t i = 0; i < windows.size(); ++i) {
    const MeasurementWindow& w = windows[i];
    per_window.push_back({{"start_ns", anchor.ToEpochNs(w.start_ns)},
                          {"end_ns", anchor.ToEpochNs(w.end_ns)},
                          {"duration_ms", static_cast<double>(w.end_ns - w.start_ns) / 1e6},
                          {"requests", sink.requests(i)},
                          {"errors", sink.errors(i)},
                          {"throughput", w.throughput},
                          {"avg_latency_ms", w.avg_latency_ns / 1e6}});
  }
  options.client_json["measurement_windows"] = {
      {"interval_ms", settings.interval_ms},
      {"window_ms", static_cast<double>(controller.WindowLengthNs()) / 1e6},
      {"stability_percentage", settings.stability_percentage},
      {"stability_windows", settings.stability_windows},
      {"max_windows", settings.max_windows},
      {"windows_used", windows.size()},
      {"stable", controller.stable()},
      {"interrupted", result.interrupted},
      {"spread_percent", {{"throughput", finite_or_null(spread.throughput_percent)},
                          {"latency", finite_or_null(spread.latency_percent)}}},
      {"dropped_in_flight", dropped},
      {"windows", std::move(per_window)}};
  const std::string verdict = result.interrupted ? "interrupted"
                              : controller.stable() ? fmt::format("stable within {}%", settings.stability_percentage)
                                                    : fmt::format("NOT stable within {}%", settings.stability_percentage);
  options.client_rows.emplace_back(
      "Measurement Windows",
      fmt::format("{} x {:.0f} ms, {} (last {}: throughput spread {}, latency spread {}); {} in-flight request{} dropped",
                  windows.size(), static_cast<double>(controller.WindowLengthNs()) / 1e6, verdict,
                  std::min<size_t>(windows.size(), static_cast<size_t>(settings.stability_windows)),
                  Percent(spread.throughput_percent), Percent(spread.latency_percent), dropped, dropped == 1 ? "" : "s"));
  if (!controller.stable() && !result.interrupted) {
    spdlog::warn(
        "no {} consecutive time windows were stable within {}% in {} windows (last {}: throughput spread {}, latency "
        "spread {}): results may be unstable. Use a longer --measurement-interval, or a larger "
        "--stability-percentage if this spread is acceptable.",
        settings.stability_windows, settings.stability_percentage, windows.size(), settings.stability_windows,
        Percent(spread.throughput_percent), Percent(spread.latency_percent));
  }
}

// The client's view of itself: rows under the table, the JSON "bench.client" object, and a
// warning when its own load may have delayed timestamps.
void AddClientReport(const LoadResult& result, ResultsOptions& options) {
  const LoopSummary& loops = result.loops;
  if (loops.threads == 0) return;
  options.client_rows.emplace_back("Client Busiest Loop CPU (%)", fmt::format("{:.1f}", loops.busiest_cpu_percent));
  options.client_rows.emplace_back("Client Loop Pass p99 (ms)", fmt::format("{:.3f}", loops.pass_p99_ns / 1e6));
  options.client_rows.emplace_back("Client Loop Pass Max (ms)", fmt::format("{:.3f}", loops.pass_max_ns / 1e6));
  if (result.events > 0) {
    const double shared = 100.0 * static_cast<double>(result.events_sharing_timestamp) / static_cast<double>(result.events);
    options.client_rows.emplace_back("Events Sharing A Timestamp (%)", fmt::format("{:.2f}", shared));
    options.client_json["events_sharing_timestamp"] = {
        {"events", result.events}, {"sharing", result.events_sharing_timestamp}, {"percent", shared}};
  }
  options.client_json["client"] = {{"worker_threads", result.worker_threads},
                                   {"busiest_loop_cpu_percent", loops.busiest_cpu_percent},
                                   {"loop_passes", loops.passes},
                                   {"loop_pass_ms", {{"p50", loops.pass_p50_ns / 1e6},
                                                     {"p99", loops.pass_p99_ns / 1e6},
                                                     {"max", loops.pass_max_ns / 1e6}}}};
  // A loop busy most of the time answers sockets late; a long pass delays every read behind it.
  const double p99_ms = loops.pass_p99_ns / 1e6;
  if (loops.busiest_cpu_percent > 80) {
    spdlog::warn(
        "the client was near saturation (busiest event loop {:.0f}% CPU, loop pass p99 {:.3f} ms): timestamps may "
        "be late by up to a pass. Add --worker-threads (now {}) if cores are free, lower the load, or run bench on "
        "another machine than the server.",
        loops.busiest_cpu_percent, p99_ms, result.worker_threads);
  } else if (p99_ms > 1) {
    spdlog::warn(
        "the client's event loop passes were slow (p99 {:.3f} ms) while it used only {:.0f}% CPU: other processes "
        "(or the server) compete for its cores, so timestamps may be late by up to a pass. Run bench on free cores "
        "(taskset) or another machine.",
        p99_ms, loops.busiest_cpu_percent);
  }
}

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
  const bool key_sent = std::any_of(headers.begin(), headers.end(), IsAuthorizationHeader);
  if (key_sent && base_url.rfind("http://", 0) == 0 && !IsLoopbackUrl(base_url)) {
    spdlog::warn("the API key goes to {} over plain http://: anyone on the path can read it; use https://",
                 RedactUrl(base_url));
  }
  if (std::string why = CheckServerReady(base_url, headers, config.tls); !why.empty()) {
    spdlog::error("{}", why);
    return kExitUnreachable;
  }

  Parsed<Dataset> dataset = BuildDataset(DatasetOptionsOf(config), *tokenizer.tokenizer);
  if (!dataset.ok()) {
    spdlog::error("{}", dataset.error);
    return kExitInput;
  }
  if (dataset.value.inexact_prompts > 0) {
    spdlog::warn("{} synthetic prompts missed their exact token count by a token or two", dataset.value.inexact_prompts);
  }
  // Sessions build each turn's body from the history while they run; other runs send these.
  std::vector<std::string> bodies;
  if (!config.session_concurrency) {
    for (const auto& payload : dataset.value.payloads) bodies.push_back(payload.dump());
  }
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
  load.burstiness = config.burstiness;
  load.schedule_seed = config.random_seed;
  load.request_timeout_s = config.request_timeout_s;
  load.stall_warning_s = config.stall_warning_s;
  load.streaming = config.streaming;
  load.warmup_request_count = config.warmup_request_count;
  load.request_count = config.fixed_schedule ? trace_measured : config.request_count;
  if (config.fixed_schedule) load.fixed_schedule_ms = dataset.value.timestamps_ms;
  load.schedule_speedup = config.schedule_speedup;
  load.duration_s = config.benchmark_duration_s;
  load.drain_cancel = config.drain_cancel;
  load.worker_threads = config.worker_threads;
  load.verbose = config.verbose;
  load.interrupt_grace_s = config.interrupt_grace_s;
  std::optional<ChatSessionWorkload> sessions;
  size_t session_turns = 0;
  if (config.session_concurrency) {
    sessions.emplace(dataset.value.sessions, dataset.value.payloads, ResponseFormat::kOpenAiChat);
    for (const SessionSpec& s : dataset.value.sessions) session_turns += s.entries.size();
    load.sessions = &*sessions;
    load.concurrency = *config.session_concurrency;
    load.request_count = static_cast<int>(session_turns);
  }
  load.http_client = config.http_client == "native" ? HttpClient::kNative
                     : config.http_client == "curl" ? HttpClient::kCurl
                                                    : HttpClient::kAuto;
  load.request_id_prefix = config.request_id_prefix.empty()
                               ? fmt::format("bench-{:08x}-", std::random_device{}())  // unique per run
                               : config.request_id_prefix;
  const std::string load_shape =
      config.session_concurrency
          ? fmt::format("session concurrency {} ({} sessions, {} turns{})", *config.session_concurrency,
                        dataset.value.sessions.size(), session_turns,
                        config.warmup_request_count > 0 ? "; warm-up runs whole sessions" : "")
      : config.fixed_schedule ? fmt::format("the trace's timestamps (speedup {})", config.schedule_speedup)
      : config.request_rate
          ? fmt::format("{} requests/s ({}){}", *config.request_rate, config.request_distribution,
                        load.concurrency > 0 ? fmt::format(", at most {} in flight", load.concurrency) : "")
          : fmt::format("concurrency {}", config.concurrency);
  const std::string measured =
      config.measurement_interval_ms
          ? fmt::format("time windows of 1.2 x {} ms until the last 3 are stable within {}% (at most 10)",
                        *config.measurement_interval_ms, config.stability_percentage)
      : config.benchmark_duration_s
          ? fmt::format("{} s of measured requests (--drain {})", *config.benchmark_duration_s,
                        config.drain_cancel ? "cancel" : "wait")
          : fmt::format("{} measured requests", load.request_count);
  const HttpClient client = ResolveHttpClient(
      load.http_client, load.url, [](const char* name) -> const char* { return std::getenv(name); }, nullptr);
  spdlog::info("profiling {} at {}: {} warm-up + {}, {} worker thread(s), {} HTTP client", RedactUrl(load.url),
               load_shape, load.warmup_request_count, measured, ResolveWorkerThreads(load),
               client == HttpClient::kNative ? "native" : "libcurl");
  spdlog::debug("input_config: {}", InputConfigJson(config).dump());  // secrets redacted
  if (!config.measurement_interval_ms && config.stability_percentage != ProfileConfig().stability_percentage) {
    spdlog::warn("--stability-percentage has no effect without --measurement-interval (a request count or a "
                 "duration ends this run, as perf_analyzer's single count window is always stable)");
  }
  std::optional<WindowController> windows;
  if (config.measurement_interval_ms) {
    WindowSettings settings;
    settings.interval_ms = *config.measurement_interval_ms;
    settings.stability_percentage = config.stability_percentage;
    windows.emplace(settings);
    load.windows = &*windows;
  }
  LoadProgress progress;
  std::optional<ProgressReporter> reporter;
  if (ProgressWanted(config.no_progress, config.quiet)) {
    load.progress = &progress;
    reporter.emplace(progress, stderr);
  }
  ResultsOptions options;
  options.endpoint_type = config.endpoint_type;
  options.streaming = config.streaming;
  options.goodput = config.goodput;
  options.goodput_requested = !config.goodput_raw.empty();
  options.artifact_dir = dir.string();
  options.profile_export_file = config.profile_export_file;
  options.input_config = InputConfigJson(config);
  // The tokenizer that counted, so `bench report` on this export counts the same way.
  const std::string tokenizer_used = TokenizerUsed(config.tokenizer, tokenizer);
  options.input_config["tokenizer"]["name"] = tokenizer_used;
  options.client_json["tokenizer"] = {{"requested", config.tokenizer}, {"used", tokenizer_used}};
  options.verbose = config.verbose;
  options.quiet = config.quiet;
  options.schedule = config.fixed_schedule                    ? ScheduleKind::kFixedSchedule
                     : config.request_rate && load.concurrency > 0 ? ScheduleKind::kRateWithCap
                     : config.request_rate                      ? ScheduleKind::kRate
                                                                : ScheduleKind::kUnknown;
  const std::optional<ResponseFormat> format = ResponseFormatFromName(config.endpoint_type);
  if (!format) {
    spdlog::error("--endpoint-type '{}': no response format", config.endpoint_type);
    return kExitUsage;
  }
  MetricsAccumulator accumulator(*format, tokenizer.tokenizer.get(), MetricsOptionsOf(options));
  // The plots take their per-request values in the same pass as the metrics (bounded samples).
  std::optional<PlotDataCollector> plot_data;
  if (config.generate_plots) {
    plot_data.emplace(tokenizer.tokenizer.get());
    accumulator.SetObserver(&*plot_data);
  }

  // Requests wait in a spill file in the artifact directory during the run (memory stays
  // bounded however long it is); afterwards each becomes one line of the export and one set of
  // per-request metric values.
  load.spill_dir = dir.string();
  const fs::path export_path = dir / config.profile_export_file;
  std::ofstream export_file(export_path, std::ios::binary);
  if (!export_file) {
    spdlog::error("--artifact-dir: cannot write {}", export_path.string());
    return kExitOutput;
  }
  ProfileExportWriter writer(export_file, /*request_per_line=*/true);
  // perf_analyzer records a custom schedule (trace replay) and sessions as request_rate 0.0.
  const bool custom_schedule = config.fixed_schedule || config.session_concurrency.has_value();
  writer.BeginExperiment(config.request_rate || custom_schedule ? "request_rate" : "concurrency",
                         custom_schedule ? 0.0 : config.request_rate ? *config.request_rate : config.concurrency);
  ExportSink sink(writer, accumulator);
  const EpochAnchor anchor;
  std::optional<WindowedSink> windowed;
  if (windows) windowed.emplace(sink, *windows, anchor);
  // GPU and server telemetry, scraped from right before the load to right after it.
  const bool default_metrics_url = config.server_metrics_urls == ProfileConfig().server_metrics_urls;
  TelemetryCollector telemetry({config.server_metrics_urls, config.tls, default_metrics_url}, anchor);
  telemetry.Start();
  LoadResult result;
  try {
    result = RunLoad(load, bodies, stop, anchor, windowed ? static_cast<RecordSink&>(*windowed) : sink);
    telemetry.Stop();
  } catch (const std::exception& e) {
    spdlog::error("--artifact-dir: {}", e.what());
    return kExitOutput;
  }
  reporter.reset();  // clears the progress line before anything else is printed
  if (simulator) simulator->Stop();
  if (result.interrupted) {
    spdlog::warn("interrupted: wrote the {} requests measured so far",
                 result.recorded - (windowed ? windowed->dropped() : 0));
  }
  writer.EndExperiment(windows ? windows->Boundaries(anchor.ToEpochNs(0)) : std::vector<int64_t>{});
  writer.Finish(std::string("bench ") + BENCH_VERSION, "openai", config.endpoint);
  export_file.close();
  if (!export_file) {
    spdlog::error("cannot write {}", export_path.string());
    return kExitOutput;
  }

  AddClientReport(result, options);
  if (windows) AddWindowReport(*windows, *windowed, result, anchor, options);
  if (result.interrupted) {
    options.client_json["interrupted"] = true;
    options.client_rows.emplace_back("Interrupted", "true");
  }
  ExperimentMetrics metrics = accumulator.Finish();
  const EnergyBasis energy_basis{metrics.lists.request_count.value_or(0),
                                 std::accumulate(metrics.lists.output_sequence_length.begin(),
                                                 metrics.lists.output_sequence_length.end(), 0.0)};
  TelemetryReport telemetry_report =
      ReportTelemetry(telemetry.results(), sink.first_send_ns(), sink.last_ns(), sink.timings(), energy_basis);
  options.telemetry_stats = std::move(telemetry_report.telemetry_stats);
  if (!telemetry_report.bench_json.is_null()) options.client_json["telemetry"] = std::move(telemetry_report.bench_json);
  for (auto& row : telemetry_report.rows) options.client_rows.push_back(std::move(row));
  if (!sink.error().empty()) metrics.error = sink.error();
  const ResultsSummary summary = ExportResults(metrics, options, out);
  if (!summary.error.empty()) {
    spdlog::error("{}", summary.error);
    return summary.input_error ? kExitInput : kExitOutput;
  }
  if (plot_data) {
    PlotReport report{fmt::format("bench profile: {}", RunDirName(config)), RunFacts(options.input_config, metrics),
                      BuildRunCharts(metrics.lists, plot_data->Finish())};
    if (std::string error = WritePlotReport(dir / "plots", report); !error.empty()) {
      spdlog::error("--generate-plots: {}", error);
      return kExitOutput;
    }
    spdlog::info("plots written to {}", (dir / "plots" / "report.html").string());
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
