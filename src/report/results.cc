#include "report/results.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "report/artifacts.h"
#include "report/bench_json_exporter.h"
#include "report/console_exporter.h"
#include "report/csv_exporter.h"
#include "metrics/goodput.h"
#include "report/json_exporter.h"
#include "report/reasoning_report.h"
#include "metrics/metric_registry.h"
#include "metrics/metrics.h"
#include "metrics/profile_metrics.h"
#include "record/response_parser.h"
#include "util/python_json.h"
#include "util/rich_table.h"
#include "util/statistics.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// GenAI-Perf's --endpoint-type for a response format, which picks the console title and rows.
std::string EndpointTypeOf(ResponseFormat format) {
  switch (format) {
    case ResponseFormat::kOpenAiChat: return "chat";
    case ResponseFormat::kOpenAiCompletions: return "completions";
    case ResponseFormat::kOpenAiMultimodal: return "multimodal";
    case ResponseFormat::kOpenAiEmbeddings: return "embeddings";
    case ResponseFormat::kRankings:
    case ResponseFormat::kHuggingFaceRankings: return "rankings";
    case ResponseFormat::kImageRetrieval: return "image_retrieval";
    case ResponseFormat::kHuggingFaceGenerate: return "huggingface_generate";
    case ResponseFormat::kTritonGenerate: return "generate";
    case ResponseFormat::kTriton: return "kserve";
    case ResponseFormat::kTritonCApi: return "tensorrtllm_engine";
    case ResponseFormat::kDynamicGrpc: return "dynamic_grpc";
    case ResponseFormat::kOpenAiResponses: return "responses";
  }
  return "chat";
}

bool WriteWith(const Exporter& exporter, const StatsReport& report, const ExportContext& context,
               const fs::path& path, std::string& error) {
  std::ofstream f(path, std::ios::binary);
  exporter.Export(report, context, f);
  f.close();
  if (!f) error = fmt::format("cannot write {}", path.string());
  return static_cast<bool>(f);
}

// A document as json.dump(indent=2) writes it (the JSON and bench exporters' layout), built once
// and kept as the run's document.
bool WriteJson(const nlohmann::ordered_json& doc, const fs::path& path, std::string& error) {
  std::ofstream f(path, std::ios::binary);
  f << PythonJsonDumps(doc, 2);
  f.close();
  if (!f) error = fmt::format("cannot write {}", path.string());
  return static_cast<bool>(f);
}

nlohmann::ordered_json MsStatistics(const std::vector<double>& values_ns) {
  nlohmann::ordered_json stats = {{"unit", "ms"}};
  for (const auto& [name, value] : ComputeStatistics(values_ns)) stats[name] = value * (1.0 / 1e6);
  return stats;
}

std::string Ms(double value_ms) { return fmt::format("{:.3f}", value_ms); }

// Open-loop runs: the schedule's JSON block and rows; warns when requests left materially late.
void AddScheduleReport(const ExperimentMetrics& m, ScheduleKind schedule, ExportContext& context) {
  if (m.schedule_lag.empty()) return;
  nlohmann::ordered_json& extra = context.extra;
  // A bench figure: its statistics under its key, and one row per statistic shown.
  const auto add = [&](const char* key, const std::vector<double>& values_ns, std::initializer_list<const char*> shown) {
    const MetricInfo& info = *FindMetric(key);
    extra[key] = MsStatistics(values_ns);
    for (const char* stat : shown) context.bench_rows.emplace_back(StatLabel(info, stat), Ms(extra[key][stat].get<double>()));
  };
  add("schedule_lag", m.schedule_lag, {"p50", "p99", "max"});
  const double p99_ms = extra["schedule_lag"]["p99"].get<double>();
  const double max_ms = extra["schedule_lag"]["max"].get<double>();
  if (!m.time_to_first_token_from_intended.empty()) {
    add("time_to_first_token_from_intended", m.time_to_first_token_from_intended, {"p99"});
    add("request_latency_from_intended", m.request_latency_from_intended, {"p99"});
  }
  if (p99_ms > 1.0 || max_ms > 10.0) {
    // Name only the flags the run used: a trace replay has neither a rate nor a cap.
    std::string who = "The client", what = "its schedule", fix = "add --worker-threads";
    if (schedule == ScheduleKind::kRate) {
      what = "--request-rate";
      fix = "lower the rate or add --worker-threads";
    } else if (schedule == ScheduleKind::kRateWithCap) {
      who = "The client or the --concurrency cap";
      what = "--request-rate";
      fix = "lower the rate, raise the cap, or add --worker-threads";
    } else if (schedule == ScheduleKind::kFixedSchedule) {
      what = "the --fixed-schedule trace";
      fix = "lower --schedule-speedup or add --worker-threads";
    }
    spdlog::warn(
        "requests left late: schedule lag p99 {:.3f} ms, max {:.3f} ms. {} could not keep up with {}; "
        "latencies measured from the actual send hide this backlog (see the 'From Intended' rows). To fix: {}.",
        p99_ms, max_ms, who, what, fix);
  }
}


}  // namespace

MetricsOptions MetricsOptionsOf(const ResultsOptions& options) {
  MetricsOptions metrics_options;
  metrics_options.endpoint_type = options.endpoint_type;
  metrics_options.use_server_token_count = options.use_server_token_count;
  for (const auto& [name, value] : options.goodput) metrics_options.goodput.push_back({name, value});
  return metrics_options;
}

ExperimentMetrics ComputeMetrics(const ProfileExport& data, const Tokenizer* tokenizer, const ResultsOptions& options,
                                 RequestObserver* observer) {
  const MetricsOptions metrics_options = MetricsOptionsOf(options);
  if (data.experiments.empty()) {
    ExperimentMetrics m;
    m.error = "the profile export holds no experiment";
    return m;
  }
  return ComputeExperimentMetrics(data, data.experiments.front(), tokenizer, metrics_options, observer);
}

ResultsSummary ExportResults(const ExperimentMetrics& metrics, const ResultsOptions& options, std::ostream& out) {
  ResultsSummary summary;
  if (!metrics.error.empty()) {
    summary.error = metrics.error;
    summary.input_error = true;
    return summary;
  }
  if (metrics.lists.request_goodput && *metrics.lists.request_goodput == kInvalidGoodput) {
    spdlog::warn("--goodput: a metric name is not valid for this endpoint type; goodput is reported as -1");
  }

  const StatsReport report = ComputeStatsReport(metrics.lists, /*scale_to_ms=*/true);
  ExportContext context;
  context.endpoint_type = options.endpoint_type.empty() ? EndpointTypeOf(metrics.format) : options.endpoint_type;
  context.streaming = options.streaming;
  context.goodput_requested = options.goodput_requested;
  context.verbose = options.verbose;
  context.errors = metrics.errors;
  context.input_config = options.input_config;
  context.telemetry_stats = options.telemetry_stats;
  AddScheduleReport(metrics, options.schedule, context);
  AddReasoningReport(metrics.reasoning, options.streaming, context);
  for (const auto& [label, value] : options.client_rows) context.bench_rows.emplace_back(label, value);
  if (options.client_json.is_object()) {
    for (auto it = options.client_json.begin(); it != options.client_json.end(); ++it) context.extra[it.key()] = it.value();
  }
  for (const auto& [id, lists] : metrics.sessions) {
    context.sessions.emplace_back(id, ComputeStatsReport(lists, /*scale_to_ms=*/true));
  }

  context.quiet = options.quiet;
  ConsoleExporter(DetectConsoleWidth()).Export(report, context, out);
  const fs::path dir = options.artifact_dir;
  if (options.quiet && metrics.errors.failed_requests > 0) {
    // The footer the table would carry, as one line on stderr.
    spdlog::warn("{} of {} requests failed; details in {}", metrics.errors.failed_requests,
                 metrics.errors.total_requests, (dir / BenchFileName(options.profile_export_file)).string());
  }
  nlohmann::ordered_json genai_perf = BuildGenAiPerfJson(report, context);
  nlohmann::ordered_json bench = BuildBenchJson(context);
  std::string error;
  if (!WriteJson(genai_perf, dir / GenAiPerfFileName(options.profile_export_file, "json"), error) ||
      !WriteWith(CsvExporter(), report, context, dir / GenAiPerfFileName(options.profile_export_file, "csv"), error) ||
      !WriteJson(bench, dir / BenchFileName(options.profile_export_file), error)) {
    summary.error = error;
  }
  genai_perf["bench"] = std::move(bench);
  summary.document = std::move(genai_perf);
  summary.stats = report;
  summary.successful_requests = metrics.lists.request_count ? static_cast<size_t>(*metrics.lists.request_count) : 0;
  summary.failed_requests = metrics.errors.failed_requests;
  return summary;
}

}  // namespace bench
