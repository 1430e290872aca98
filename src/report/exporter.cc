#include "report/exporter.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "metrics/metric_registry.h"

namespace bench {
namespace {

// Which GenAI-Perf Metrics class a run's statistics come from (the parser is chosen by
// endpoint type): the class fixes the rows, whether or not the statistics exist.
MetricFamily ClassFor(const std::string& endpoint_type) {
  if (endpoint_type == "embeddings" || endpoint_type == "rankings" || endpoint_type == "nvclip" ||
      endpoint_type == "template" || endpoint_type == "dynamic_grpc") {
    return MetricFamily::kBase;
  }
  if (endpoint_type == "image_retrieval") return MetricFamily::kImageRetrieval;
  return MetricFamily::kLlm;
}

}  // namespace

std::vector<MetricRow> RequestMetricRows(const ExportContext& context) {
  const MetricFamily family = ClassFor(context.endpoint_type);
  // _should_skip: embeddings skips nothing; otherwise streaming-only rows need --streaming.
  const bool streaming_rows = context.endpoint_type == "embeddings" || context.streaming;
  std::vector<MetricRow> rows;
  for (const MetricInfo& m : Metrics()) {
    if (m.scope != MetricScope::kRequest || !InClass(m, family)) continue;
    if (m.streaming_only && !streaming_rows) continue;
    rows.push_back({std::string(m.key), std::string(m.row_unit)});
  }
  return rows;
}

std::vector<MetricRow> SystemMetricRows(const ExportContext& context) {
  const MetricFamily family = ClassFor(context.endpoint_type);
  std::vector<MetricRow> rows;
  for (const MetricInfo& m : Metrics()) {
    if (m.scope != MetricScope::kRun || !InClass(m, family)) continue;
    if (m.key == "request_goodput" && !context.goodput_requested) continue;
    rows.push_back({std::string(m.key), std::string(m.row_unit)});
  }
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
