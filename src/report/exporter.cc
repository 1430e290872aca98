#include "report/exporter.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace bench {
namespace {

// Which GenAI-Perf Metrics class a run's statistics come from (the parser is chosen by
// endpoint type): the class fixes the rows, whether or not the statistics exist.
enum class MetricsClass { kBase, kLlm, kImageRetrieval };

MetricsClass ClassFor(const std::string& endpoint_type) {
  if (endpoint_type == "embeddings" || endpoint_type == "rankings" || endpoint_type == "nvclip" ||
      endpoint_type == "template" || endpoint_type == "dynamic_grpc") {
    return MetricsClass::kBase;
  }
  if (endpoint_type == "image_retrieval") return MetricsClass::kImageRetrieval;
  return MetricsClass::kLlm;
}

bool IsStreamingOnly(const std::string& name) {
  return name == "time_to_first_token" || name == "time_to_second_token" ||
         name == "inter_token_latency" || name == "output_token_throughput_per_user";
}

}  // namespace

std::vector<MetricRow> RequestMetricRows(const ExportContext& context) {
  std::vector<MetricRow> rows;
  switch (ClassFor(context.endpoint_type)) {
    case MetricsClass::kLlm:
      // LLMMetrics.request_metrics: TTFT and TTST ahead of the base request_latency.
      rows = {{"time_to_first_token", "ms"},
              {"time_to_second_token", "ms"},
              {"request_latency", "ms"},
              {"inter_token_latency", "ms"},
              {"output_token_throughput_per_user", "tokens/sec/user"},
              {"output_sequence_length", "tokens"},
              {"input_sequence_length", "tokens"}};
      break;
    case MetricsClass::kImageRetrieval:
      rows = {{"request_latency", "ms"},
              {"image_throughput", "images/sec"},
              {"image_latency", "ms/image"}};
      break;
    case MetricsClass::kBase:
      rows = {{"request_latency", "ms"}};
      break;
  }
  // _should_skip: embeddings skips nothing; otherwise streaming-only rows need --streaming.
  if (context.endpoint_type != "embeddings" && !context.streaming) {
    std::erase_if(rows, [](const MetricRow& r) { return IsStreamingOnly(r.name); });
  }
  return rows;
}

std::vector<MetricRow> SystemMetricRows(const ExportContext& context) {
  std::vector<MetricRow> rows;
  if (ClassFor(context.endpoint_type) == MetricsClass::kLlm) {
    rows.push_back({"output_token_throughput", "tokens/sec"});
  }
  rows.push_back({"request_throughput", "per sec"});
  if (context.goodput_requested) rows.push_back({"request_goodput", "per sec"});
  rows.push_back({"request_count", "count"});
  return rows;
}

std::string PythonTitle(const std::string& text) {
  std::string out = text;
  bool previous_cased = false;
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u)) {
      c = static_cast<char>(previous_cased ? std::tolower(u) : std::toupper(u));
      previous_cased = true;
    } else {
      previous_cased = false;
    }
  }
  return out;
}

std::string MetricLabel(const std::string& name, const std::string& unit) {
  std::string spaced = name;
  for (char& c : spaced) {
    if (c == '_') c = ' ';
  }
  const std::string title = PythonTitle(spaced);
  return unit.empty() ? title : title + " (" + unit + ")";
}

std::string FormatStatValue(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // fmt's fixed formatting is exactly rounded like Python's; only the grouping is added here.
  std::string fixed = fmt::format("{:.2f}", value);
  const size_t digits_begin = fixed[0] == '-' ? 1 : 0;
  const size_t dot = fixed.find('.');
  std::string grouped;
  const size_t int_len = dot - digits_begin;
  for (size_t i = 0; i < int_len; ++i) {
    if (i > 0 && (int_len - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(fixed[digits_begin + i]);
  }
  return fixed.substr(0, digits_begin) + grouped + fixed.substr(dot);
}

std::string FetchStat(const StatsReport& report, const std::string& name,
                      const std::string& stat) {
  const MetricStatistics* metric = report.Find(name);
  if (metric == nullptr || !metric->valid) return "N/A";
  const std::optional<double> value = metric->Get(stat);
  return value ? FormatStatValue(*value) : "N/A";
}

std::string ConsoleTitle(const std::string& endpoint_type) {
  std::string title = "NVIDIA GenAI-Perf | ";
  if (endpoint_type == "embeddings") return title + "Embeddings Metrics";
  if (endpoint_type == "rankings") return title + "Rankings Metrics";
  if (endpoint_type == "image_retrieval") return title + "Image Retrieval Metrics";
  if (endpoint_type == "multimodal" || endpoint_type == "vision") {
    return title + "Multi-Modal Metrics";
  }
  return title + "LLM Metrics";
}

}  // namespace bench
