#include "bench/results.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bench/artifacts.h"
#include "bench/console_exporter.h"
#include "bench/csv_exporter.h"
#include "bench/goodput.h"
#include "bench/json_exporter.h"
#include "bench/metrics.h"
#include "bench/profile_metrics.h"
#include "bench/response_parser.h"
#include "bench/rich_table.h"
#include "bench/statistics.h"

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

nlohmann::ordered_json MsStatistics(const std::vector<double>& values_ns) {
  nlohmann::ordered_json stats = {{"unit", "ms"}};
  for (const auto& [name, value] : ComputeStatistics(values_ns)) stats[name] = value * (1.0 / 1e6);
  return stats;
}

// Open-loop runs (bench addition): how late each request left compared with its schedule, and
// TTFT / request latency measured from the intended send time, which include that lateness
// (coordinated omission corrected, as wrk2 does). Null when no request has an intended time.
nlohmann::ordered_json ScheduleReport(const Experiment& experiment, ResponseFormat format) {
  std::vector<double> lag_ns, ttft_ns, latency_ns;
  for (const RequestRecord& r : experiment.requests) {
    if (!r.intended_timestamp_ns) continue;
    lag_ns.push_back(static_cast<double>(r.timestamp_ns - *r.intended_timestamp_ns));
    if (r.error) continue;
    const ProcessedResponses kept = PreprocessResponses(format, r.response_outputs, r.response_timestamps);
    if (kept.timestamps.empty()) continue;
    ttft_ns.push_back(static_cast<double>(kept.timestamps.front() - *r.intended_timestamp_ns));
    latency_ns.push_back(static_cast<double>(kept.timestamps.back() - *r.intended_timestamp_ns));
  }
  if (lag_ns.empty()) return nullptr;
  nlohmann::ordered_json report = {{"schedule_lag", MsStatistics(lag_ns)}};
  if (!ttft_ns.empty()) {
    report["time_to_first_token_from_intended"] = MsStatistics(ttft_ns);
    report["request_latency_from_intended"] = MsStatistics(latency_ns);
  }
  const double p99_ms = report["schedule_lag"]["p99"].get<double>();
  const double max_ms = report["schedule_lag"]["max"].get<double>();
  if (p99_ms > 1.0 || max_ms > 10.0) {
    spdlog::warn(
        "requests left late: schedule lag p99 {:.3f} ms, max {:.3f} ms. The client or the --concurrency cap "
        "could not keep up with --request-rate; latencies measured from the actual send hide this "
        "backlog (see bench.request_latency_from_intended in the JSON). Lower the rate, raise the cap, "
        "or add --worker-threads.",
        p99_ms, max_ms);
  } else {
    spdlog::info("schedule lag: p99 {:.3f} ms, max {:.3f} ms", p99_ms, max_ms);
  }
  return report;
}

}  // namespace

ResultsSummary AnalyzeAndExport(const ProfileExport& data, const Tokenizer* tokenizer,
                                const ResultsOptions& options, std::ostream& out) {
  ResultsSummary summary;
  if (data.experiments.empty()) {
    summary.error = "the profile export holds no experiment";
    summary.input_error = true;
    return summary;
  }
  MetricsOptions metrics_options;
  metrics_options.endpoint_type = options.endpoint_type;
  for (const auto& [name, value] : options.goodput) metrics_options.goodput.push_back({name, value});
  const ExperimentMetrics metrics =
      ComputeExperimentMetrics(data, data.experiments.front(), tokenizer, metrics_options);
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
  if (auto schedule = ScheduleReport(data.experiments.front(), metrics.format); !schedule.is_null()) {
    context.extra = std::move(schedule);
  }
  for (const auto& [id, lists] : metrics.sessions) {
    context.sessions.emplace_back(id, ComputeStatsReport(lists, /*scale_to_ms=*/true));
  }

  ConsoleExporter(DetectConsoleWidth()).Export(report, context, out);
  const fs::path dir = options.artifact_dir;
  std::string error;
  if (!WriteWith(JsonExporter(), report, context, dir / GenAiPerfFileName(options.profile_export_file, "json"), error) ||
      !WriteWith(CsvExporter(), report, context, dir / GenAiPerfFileName(options.profile_export_file, "csv"), error)) {
    summary.error = error;
  }
  summary.successful_requests = metrics.lists.request_count ? static_cast<size_t>(*metrics.lists.request_count) : 0;
  summary.failed_requests = metrics.errors.failed_requests;
  return summary;
}

}  // namespace bench
