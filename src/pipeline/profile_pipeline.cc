#include "pipeline/profile_pipeline.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "dataset/inputs.h"
#include "dataset/prompt_corpus.h"
#include "dataset/sessions.h"
#include "load/connection_budget.h"
#include "load/load_engine.h"
#include "load/progress.h"
#include "pipeline/cluster_run.h"
#include "pipeline/client_report.h"
#include "pipeline/exit_code.h"
#include "pipeline/in_process_server.h"
#include "pipeline/kserve_target.h"
#include "pipeline/post_run.h"
#include "pipeline/run_sinks.h"
#include "plots/data.h"
#include "record/profile_export_writer.h"
#include "report/recorded_config.h"
#include "sim/simulator.h"
#include "telemetry/telemetry_report.h"
#include "tokenizer/default_tokenizer.h"
#include "tokenizer/tokenizer.h"
#include "transport/server_check.h"
#include "transport/server_identity.h"
#include "util/append_file.h"
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
    if (int code = StartInProcessServer(*plan.simulator, "", simulator, base_url); code != kExitOk) return code;
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
                     client == HttpClient::kNative ? "native" : client == HttpClient::kGrpc ? "gRPC" : "libcurl");
}

// The results stage's options for this run, before the load adds what it measured.
ResultsOptions ResultsOptionsOf(const RunPlan& plan, const std::string& tokenizer_used,
                                const nlohmann::ordered_json& server) {
  ResultsOptions options;
  options.endpoint_type = plan.endpoint_type;
  options.streaming = plan.load.streaming;
  options.use_server_token_count = plan.use_server_token_count;
  options.goodput = plan.goodput;
  options.goodput_requested = !plan.goodput.empty();
  options.artifact_dir = plan.run_dir.string();
  options.profile_export_file = plan.profile_export_file;
  options.input_config = plan.input_config;
  // The tokenizer that counted, so `bench report` on this export counts the same way.
  options.input_config["tokenizer"]["name"] = tokenizer_used;
  options.client_json["tokenizer"] = {{"requested", plan.tokenizer}, {"used", tokenizer_used}};
  options.client_json["server"] = server;  // which server, engine and profile was measured
  options.verbose = plan.verbose;
  options.quiet = plan.quiet;
  options.schedule = plan.schedule;
  return options;
}

// The export file, opened before the load so a directory that cannot be written ends the run
// before it starts; logged when it cannot be opened. An AppendFile: written around the page
// cache by a thread of its own, its blocks reserved ahead (util/append_file).
std::unique_ptr<AppendFile> OpenExport(const fs::path& path) {
  auto file = std::make_unique<AppendFile>(path.string());
  if (!*file) {
    spdlog::error("--artifact-dir: cannot write {}", path.string());
    return nullptr;
  }
  return file;
}

// An interrupted run says so in its bench file and under its table.
void MarkInterrupted(ResultsOptions& options) {
  options.client_json["interrupted"] = true;
  options.client_rows.emplace_back("Interrupted", "true");
}

// The load itself, from the common start in a cluster run, with telemetry stopped right after
// it; none (logged) when the spill could not be written.
std::optional<LoadResult> Measure(const LoadOptions& load, const std::vector<std::string>& bodies,
                                  const std::atomic<bool>& stop, const EpochAnchor& anchor, RecordSink& sink,
                                  ClusterContext* cluster, TelemetryCollector& telemetry) {
  try {
    if (cluster != nullptr) cluster->WaitForStart();
    LoadResult result = RunLoad(load, bodies, stop, anchor, sink);
    telemetry.Stop();
    return result;
  } catch (const std::exception& e) {
    spdlog::error("--artifact-dir: {}", e.what());
    return std::nullopt;
  }
}

// The export's trailer, then the file closed; false (logged) when it could not be written.
bool CloseExport(ProfileExportWriter& writer, AppendFile& file, const fs::path& path, const std::string& endpoint,
                 const std::string& service_kind) {
  writer.Finish(std::string("bench ") + BENCH_VERSION, service_kind, endpoint);
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
// In a cluster run (`cluster` set, this is rank 0): `load` is rank 0's share; the load starts at
// the common start, then the other ranks' records join rank 0's in the same sink.
RunResult MeasureAndReport(const RunPlan& plan, LoadOptions& load, const std::vector<std::string>& bodies,
                           const TokenizerLoadResult& tokenizer, std::optional<Simulator>& simulator,
                           const nlohmann::ordered_json& server, const std::atomic<bool>& stop, std::ostream& out,
                           ClusterContext* cluster) {
  RunResult run;
  run.run_dir = plan.run_dir;
  LoadInstruments instruments(plan, load);
  std::optional<WindowController>& windows = instruments.windows;
  ResultsOptions options = ResultsOptionsOf(plan, TokenizerUsed(plan.tokenizer, tokenizer), server);
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
  const std::unique_ptr<AppendFile> export_file = OpenExport(export_path);
  if (!export_file) {
    run.exit_code = kExitOutput;
    return run;
  }
  ProfileExportWriter writer(*export_file, /*request_per_line=*/true);
  writer.BeginExperiment(plan.experiment_mode, plan.experiment_value);
  ExportSink sink(writer, accumulator);
  const EpochAnchor anchor = cluster != nullptr ? cluster->Anchor() : EpochAnchor();
  std::optional<WindowedSink> windowed;
  if (windows) windowed.emplace(sink, *windows, anchor);
  std::vector<RankTally> tallies(1);
  TallySink own(sink, tallies[0]);  // rank 0's own records, counted for the cluster report
  RecordSink& load_sink = windowed ? static_cast<RecordSink&>(*windowed)
                          : cluster != nullptr ? static_cast<RecordSink&>(own)
                                               : sink;
  // GPU and server telemetry, scraped from right before the load to right after it.
  TelemetryCollector telemetry(plan.telemetry, anchor);
  telemetry.Start();
  std::optional<LoadResult> measured = Measure(load, bodies, stop, anchor, load_sink, cluster, telemetry);
  if (!measured) {
    run.exit_code = kExitOutput;
    return run;
  }
  LoadResult& result = *measured;
  instruments.reporter.reset();  // clears the progress line before anything else is printed
  if (simulator) simulator->Stop();
  const LoadResult own_result = result;
  GatherResult gathered;
  if (cluster != nullptr) gathered = GatherRanks(*cluster, sink, tallies, result);
  run.interrupted = result.interrupted;
  if (result.interrupted) {
    spdlog::warn("interrupted: wrote the {} requests measured so far",
                 result.recorded - (windowed ? windowed->dropped() : 0));
  }
  writer.EndExperiment(windows ? windows->Boundaries(anchor.ToEpochNs(0)) : std::vector<int64_t>{});
  if (!CloseExport(writer, *export_file, export_path, plan.endpoint, IsKservePlan(plan) ? "triton" : "openai")) {
    run.exit_code = kExitOutput;
    return run;
  }

  AddClientReport(result, options);
  if (cluster != nullptr) AddClusterReport(*cluster, own_result, tallies, gathered, options);
  if (windows) AddWindowReport(*windows, *windowed, result, anchor, options);
  if (result.interrupted) MarkInterrupted(options);
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

// What a run needs before its load: the tokenizer, the target, the dataset's bodies and the
// load options (rank 0 of a cluster run and a single process: all of it, and inputs.json;
// another rank: only the target, checked from its own machine, and the load options).
struct Prepared {
  TokenizerLoadResult tokenizer;
  nlohmann::ordered_json server;  // which server, engine and profile (rank 0 only)
  std::optional<Simulator> simulator;
  std::optional<KserveSimulator> kserve_simulator;  // --endpoint-type kserve --simulator
  Dataset dataset;
  LoadOptions load;
  std::vector<std::string> bodies;
  std::optional<ChatSessionWorkload> sessions;
  size_t session_turns = 0;
  // The embedded tokenizer's parse and the corpus's encoding (synthetic prompts) on a second
  // thread while the target is checked and probed; waited for when this is destroyed.
  std::future<void> tokenizer_warm_up;
};

// Everything up to the load, as exit codes: usage, input, server and output errors end here.
int Prepare(const RunPlan& plan, bool root, Prepared& p) {
  if (root) {
    p.tokenizer = LoadTokenizer(plan.tokenizer, plan.tokenizer_revision);
    if (!p.tokenizer.tokenizer) {
      spdlog::error("--tokenizer: {}", p.tokenizer.error);
      return kExitInput;
    }
    if (!p.tokenizer.warning.empty()) spdlog::warn("{}", p.tokenizer.warning);
    // Both are done on first use, once (call_once, CorpusTokens::For's lock); a failure here
    // (never, for embedded bytes that tests check) throws again at that use, on this thread.
    const bool is_default = p.tokenizer.tokenizer->Name() == kDefaultTokenizerName;
    const bool synthetic = plan.dataset.input_file.empty();
    if (is_default || synthetic) {
      p.tokenizer_warm_up = std::async(std::launch::async, [&tokenizer = *p.tokenizer.tokenizer, is_default, synthetic] {
        try {
          if (is_default) DefaultTokenizer();
          if (synthetic) CorpusTokens::For(tokenizer);
        } catch (const std::exception&) {
        }
      });
    }
  }
  std::string base_url;
  const int started = IsKservePlan(plan) ? StartKserveTarget(plan, p.kserve_simulator, base_url)
                                         : StartTarget(plan, p.simulator, base_url);
  if (started != kExitOk) return started;
  // Which server, engine and profile this run measures, for the bench file; never blocks the run.
  // (Its probes are HTTP pages; a gRPC server has none of them.)
  if (root && !IsKservePlan(plan)) p.server = ProbeServerIdentity(base_url, plan.load.headers, plan.load.tls);
  p.load = plan.load;
  p.load.url = JoinUrl(base_url, plan.endpoint);
  if (p.load.request_id_prefix.empty()) p.load.request_id_prefix = fmt::format("bench-{:08x}-", std::random_device{}());
  if (!root) return kExitOk;  // the bodies come from rank 0

  Parsed<Dataset> dataset = BuildDataset(plan.dataset, *p.tokenizer.tokenizer);
  if (!dataset.ok()) {
    spdlog::error("{}", dataset.error);
    return kExitInput;
  }
  p.dataset = std::move(dataset.value);
  if (p.dataset.inexact_prompts > 0) {
    spdlog::warn("{} synthetic prompts missed their exact token count by a token or two", p.dataset.inexact_prompts);
  }
  // Sessions build each turn's body from the history while they run; other runs send these.
  if (plan.dataset.session_concurrency) {
    p.sessions.emplace(p.dataset.sessions, p.dataset.payloads, ResponseFormat::kOpenAiChat);
    for (const SessionSpec& s : p.dataset.sessions) p.session_turns += s.entries.size();
    p.load.sessions = &*p.sessions;
    p.load.request_count = static_cast<int>(p.session_turns);
  } else {
    for (const auto& payload : p.dataset.payloads) p.bodies.push_back(payload.dump());
  }
  if (plan.dataset.fixed_schedule) {
    const int trace_measured = static_cast<int>(p.bodies.size()) - p.load.warmup_request_count;
    if (trace_measured < 1) {
      spdlog::error("--warmup-request-count {}: leaves no measured request in the {} lines of {}",
                    p.load.warmup_request_count, p.bodies.size(), plan.dataset.input_file);
      return kExitUsage;
    }
    p.load.request_count = trace_measured;
    p.load.fixed_schedule_ms = p.dataset.timestamps_ms;
  }

  WarnIfReplacingOtherRun(plan);
  std::error_code ec;
  fs::create_directories(plan.run_dir, ec);
  std::string write_error;
  if (ec || !WriteFile(plan.run_dir / "inputs.json", InputsJson(p.dataset), write_error)) {
    spdlog::error("--artifact-dir: cannot write {}: {}", plan.run_dir.string(), ec ? ec.message() : write_error);
    return kExitOutput;
  }
  spdlog::info("{}", LoadShape(plan, p.load, p.dataset, p.session_turns));
  spdlog::debug("input_config: {}", plan.input_config.dump());  // secrets redacted
  return kExitOk;
}

// A rank other than 0: its share of the load from the common start, its records forwarded to
// rank 0; returns rank 0's exit code.
int MeasureAndForward(const std::vector<std::string>& bodies, const std::atomic<bool>& stop,
                      ClusterContext& context) {
  Cluster& cluster = *context.cluster;
  LoadOptions load = context.share.load;
  load.spill_dir = "";  // the temp dir: this machine may not have rank 0's artifact directory
  ForwardSink sink(cluster);
  const EpochAnchor anchor = context.Anchor();
  LoadResult result;
  try {
    context.WaitForStart();
    result = RunLoad(load, bodies, stop, anchor, sink);
  } catch (const std::exception& e) {
    spdlog::error("rank {}: {}", cluster.rank(), e.what());
    cluster.Abort(kExitOutput);
  }
  if (!sink.Finish(RankSummary(context, result))) {
    spdlog::error("rank {}: could not send its records to rank 0", cluster.rank());
    cluster.Abort(kExitNoSuccess);
  }
  std::string code;
  if (!cluster.Broadcast(code, /*timeout_s=*/-1)) return kExitNoSuccess;
  return std::atoi(code.c_str());
}

// A cluster run's checks that need no communication (every rank decides the same).
std::string ClusterUsageError(const RunPlan& plan, const Cluster& cluster) {
  if (plan.simulator) return "a cluster run needs --url: each rank would start its own in-process simulator";
  const LoadKind kind{plan.dataset.session_concurrency.has_value(), plan.dataset.fixed_schedule, plan.windows.has_value()};
  return CheckSplittable(plan.load, kind, cluster.size());
}

// Rank 0 and the other ranks from the agreed setup to the exit code.
RunResult RunClusterLoad(const RunPlan& plan, Prepared& p, const std::atomic<bool>& stop, std::ostream& out,
                         Cluster& cluster) {
  RunResult run;
  run.run_dir = plan.run_dir;
  ClusterContext context;
  if (!ShareBodies(cluster, p.bodies) || !SynchroniseRanks(cluster, p.load, context)) {
    spdlog::error("cluster: rank {} lost the others before the load (bodies, clocks or start)", cluster.rank());
    cluster.Abort(kExitUnreachable);
  }
  if (cluster.rank() != 0) {
    run.exit_code = MeasureAndForward(p.bodies, stop, context);
    return run;
  }
  const ClockOffset worst = *std::max_element(context.offsets.begin(), context.offsets.end(),
                                              [](const ClockOffset& a, const ClockOffset& b) {
                                                return a.uncertainty_ns < b.uncertainty_ns;
                                              });
  spdlog::info("cluster: {} ranks, clocks aligned within {:.1f} us; rank 0 sends {} of it",
               cluster.size(), static_cast<double>(worst.uncertainty_ns) / 1e3,
               context.share.load.request_rate
                   ? fmt::format("{} requests/s", *context.share.load.request_rate)
                   : fmt::format("concurrency {}", context.share.load.concurrency));
  LoadOptions load = context.share.load;
  run = MeasureAndReport(plan, load, p.bodies, p.tokenizer, p.simulator, p.server, stop, out, &context);
  // The other ranks wait in their sends until rank 0 gathers; one that never got there, or a
  // lost rank, cannot be waited for: the launcher ends them all with rank 0's code.
  if (!context.gathered || context.lost) cluster.Abort(run.exit_code == kExitOk ? kExitNoSuccess : run.exit_code);
  std::string code = std::to_string(run.exit_code);
  cluster.Broadcast(code, kSetupTimeoutS);
  return run;
}

}  // namespace

RunResult RunProfile(const RunPlan& plan, const std::atomic<bool>& stop, std::ostream& out, Cluster* cluster) {
  RunResult run;
  run.run_dir = plan.run_dir;
  const bool root = cluster == nullptr || cluster->rank() == 0;
  if (cluster != nullptr) {
    if (const std::string why = ClusterUsageError(plan, *cluster); !why.empty()) {
      if (root) spdlog::error("{}", why);
      run.exit_code = kExitUsage;
      return run;
    }
    // The other ranks' progress and information lines would repeat rank 0's.
    if (!root && !plan.verbose) spdlog::set_level(spdlog::level::warn);
  }
  Prepared p;
  run.exit_code = Prepare(plan, root, p);
  if (cluster != nullptr) run.exit_code = AgreeOnSetup(*cluster, run.exit_code);
  if (run.exit_code != kExitOk) return run;
  if (cluster != nullptr) return RunClusterLoad(plan, p, stop, out, *cluster);
  // Alone, this process holds every stream: its descriptors and local ports must fit them.
  const std::string no_room = PlanConnections(p.load, p.simulator.has_value() || p.kserve_simulator.has_value(),
                                              ResolveWorkerThreads(p.load), SystemConnectionEnvironment());
  if (!no_room.empty()) {
    spdlog::error("{}", no_room);
    run.exit_code = kExitUsage;
    return run;
  }
  return MeasureAndReport(plan, p.load, p.bodies, p.tokenizer, p.simulator, p.server, stop, out, nullptr);
}

}  // namespace bench
