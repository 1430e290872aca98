#include "report/sweep_report.h"

#include <cmath>

#include <fmt/format.h>

#include "report/csv_exporter.h"
#include "report/exporter.h"
#include "report/telemetry_export.h"
#include "util/rich_table.h"

namespace bench {
namespace {

std::optional<double> Stat(const nlohmann::json& doc, const char* metric, const char* stat) {
  const auto m = doc.find(metric);
  if (m == doc.end() || !m->is_object()) return std::nullopt;
  const auto v = m->find(stat);
  if (v == m->end() || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

// The summary's metric fields with the keys the checkpoint stores them under.
struct MetricField {
  const char* key;
  std::optional<double> PointSummary::*field;
};
constexpr MetricField kMetricFields[] = {
    {"request_throughput", &PointSummary::request_throughput},
    {"output_token_throughput", &PointSummary::output_token_throughput},
    {"time_to_first_token_avg", &PointSummary::ttft_avg},
    {"time_to_first_token_p99", &PointSummary::ttft_p99},
    {"inter_token_latency_avg", &PointSummary::itl_avg},
    {"inter_token_latency_p99", &PointSummary::itl_p99},
    {"request_latency_avg", &PointSummary::request_latency_avg},
    {"request_latency_p99", &PointSummary::request_latency_p99},
    {"output_sequence_length_p99", &PointSummary::osl_p99},
    {"input_sequence_length_p99", &PointSummary::isl_p99},
};

// GenAI-Perf's analyze CSV writes f"{v:.2f}" (no thousands separator).
std::string Csv2f(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : "N/A"; }
// The console table uses the profile table's {:,.2f}.
std::string Table2f(const std::optional<double>& v) { return v ? FormatStatValue(*v) : "N/A"; }

}  // namespace

void ReadPointMetrics(const nlohmann::json& doc, PointSummary& s) {
  s.request_throughput = Stat(doc, "request_throughput", "avg");
  s.output_token_throughput = Stat(doc, "output_token_throughput", "avg");
  s.ttft_avg = Stat(doc, "time_to_first_token", "avg");
  s.ttft_p99 = Stat(doc, "time_to_first_token", "p99");
  s.itl_avg = Stat(doc, "inter_token_latency", "avg");
  s.itl_p99 = Stat(doc, "inter_token_latency", "p99");
  s.request_latency_avg = Stat(doc, "request_latency", "avg");
  s.request_latency_p99 = Stat(doc, "request_latency", "p99");
  s.osl_p99 = Stat(doc, "output_sequence_length", "p99");
  s.isl_p99 = Stat(doc, "input_sequence_length", "p99");
  const auto failed = doc.value("/bench/errors/failed_requests"_json_pointer, nlohmann::json());
  s.failed_requests = failed.is_number_integer() ? failed.get<int64_t>() : 0;
  s.gpus = AnalyzeGpuColumns(doc);
}

nlohmann::ordered_json PointSummaryToJson(const PointSummary& s) {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const MetricField& m : kMetricFields) {
    metrics[m.key] = (s.*m.field) ? nlohmann::ordered_json(*(s.*m.field)) : nlohmann::ordered_json();
  }
  return {{"config_name", s.config_name},
          {"parameter", s.parameter},
          {"value", s.value},
          {"run_dir", s.run_dir},
          {"load_value", s.load_value},
          {"num_dataset_entries", s.num_dataset_entries},
          {"failed_requests", s.failed_requests},
          {"metrics", std::move(metrics)},
          {"gpus", s.gpus}};
}

PointSummary PointSummaryFromJson(const nlohmann::json& j) {
  PointSummary s;
  if (!j.is_object()) return s;
  s.config_name = j.value("config_name", "");
  s.parameter = j.value("parameter", "");
  s.value = j.value("value", "");
  s.run_dir = j.value("run_dir", "");
  s.load_value = j.value("load_value", "");
  s.num_dataset_entries = j.value("num_dataset_entries", 0);
  s.failed_requests = j.value("failed_requests", int64_t{0});
  if (const auto gpus = j.find("gpus"); gpus != j.end() && gpus->is_object()) s.gpus = *gpus;
  const auto metrics = j.find("metrics");
  if (metrics != j.end() && metrics->is_object()) {
    for (const MetricField& m : kMetricFields) {
      const auto v = metrics->find(m.key);
      if (v != metrics->end() && v->is_number()) s.*m.field = v->get<double>();
    }
  }
  return s;
}

void WriteAnalyzeCsv(const std::vector<PointSummary>& points, bool request_rate_column, std::ostream& out) {
  out << CsvRow({"Config Name", request_rate_column ? "Request Rate" : "Concurrency", "ISL", "Num Dataset Entries",
                 "p99 Time To First Token (ms)", "p99 Inter Token Latency (ms)", "p99 Request Latency (ms)",
                 "p99 Output Sequence Length (tokens)", "Avg. Output Token Throughput (tokens/sec)",
                 "Request Throughput (requests/sec)"});
  for (const PointSummary& p : points) {
    // int(p99 ISL) truncates toward zero, as Python's int() does.
    const std::string isl = p.isl_p99 ? fmt::format("{}", static_cast<long long>(std::trunc(*p.isl_p99))) : "N/A";
    out << CsvRow({p.config_name, p.load_value, isl, std::to_string(p.num_dataset_entries), Csv2f(p.ttft_p99),
                   Csv2f(p.itl_p99), Csv2f(p.request_latency_p99), Csv2f(p.osl_p99), Csv2f(p.output_token_throughput),
                   Csv2f(p.request_throughput)});
  }
  out << CsvRow({});
  // GenAI-Perf writes the GPU table's header even when it has no telemetry rows.
  out << CsvRow({"Config Name", "GPU", "p99 GPU Power Usage (W)", "p99 GPU Energy Consumption (MJ)",
                 "p99 GPU Utilization (%)", "p99 GPU Memory Used (GB)", "Avg. GPU Power Limit (W)",
                 "Avg. GPU Total Memory (GB)"});
  std::vector<std::pair<std::string, nlohmann::ordered_json>> gpu_points;
  for (const PointSummary& p : points) gpu_points.emplace_back(p.config_name, p.gpus);
  WriteAnalyzeGpuRows(gpu_points, out);
}

std::string SweepSummaryTable(const std::vector<PointSummary>& points, const std::string& parameter, int width) {
  RichTable table(fmt::format("Sweep summary: {} (times in ms)", parameter));
  table.AddColumn({parameter, Justify::kRight, std::nullopt, false});
  for (const char* header : {"requests/s", "output tokens/s", "TTFT avg", "TTFT p99", "ITL avg", "ITL p99",
                             "latency avg", "latency p99", "errors"}) {
    table.AddColumn({header, Justify::kRight, std::nullopt, true});
  }
  for (const PointSummary& p : points) {
    table.AddRow({p.value, Table2f(p.request_throughput), Table2f(p.output_token_throughput), Table2f(p.ttft_avg),
                  Table2f(p.ttft_p99), Table2f(p.itl_avg), Table2f(p.itl_p99), Table2f(p.request_latency_avg),
                  Table2f(p.request_latency_p99), std::to_string(p.failed_requests)});
  }
  return table.Render(width);
}

}  // namespace bench
