#pragma once
// Loads one GenAI-Perf exporter conformance case (tests/data/genai-perf-cases/export_*):
// input_metrics.json's raw lists -> StatsReport (unscaled, as the upstream tests feed the
// exporters), its stats mutations, and the argv flags the exporters read. Header-only because
// the test target only globs *_test.cc.

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/exporter.h"
#include "metrics/metrics.h"

namespace bench::testing {

inline std::filesystem::path GenAiPerfCasesDir() {
  return std::filesystem::path(BENCH_TEST_DATA_DIR) / "genai-perf-cases";
}

inline std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

struct ExporterCase {
  StatsReport report;
  ExportContext context;
  int console_width = 100;
};

inline std::vector<double> ListOrEmpty(const nlohmann::json& metrics, const char* key) {
  if (!metrics.contains(key)) return {};
  return metrics.at(key).get<std::vector<double>>();
}

inline std::optional<double> FirstOrNone(const nlohmann::json& metrics, const char* key) {
  const std::vector<double> values = ListOrEmpty(metrics, key);
  if (values.empty()) return std::nullopt;
  return values.front();
}

inline void ApplyMutation(StatsReport& report, const nlohmann::json& mutation) {
  const std::string op = mutation.at("op");
  const std::vector<std::string> path = mutation.at("path");
  if (op == "delete") {
    if (path.size() == 1) {
      report.Erase(path[0]);
    } else if (MetricStatistics* m = report.Find(path[0])) {
      m->Erase(path[1]);
    }
    return;
  }
  if (op == "set" && path.size() == 1) {
    MetricStatistics* m = report.Find(path[0]);
    if (m == nullptr) {
      report.metrics.push_back(MetricStatistics{path[0], "", {}, true});
      m = &report.metrics.back();
    }
    const nlohmann::json& value = mutation.at("value");
    if (!value.is_object()) {
      m->valid = false;  // GenAI-Perf: a non-dict statistics entry -> every cell N/A
      return;
    }
    m->stats.clear();
    for (const auto& [key, v] : value.items()) {
      if (key == "unit") {
        m->unit = v.get<std::string>();
      } else if (v.is_number()) {
        m->stats.emplace_back(key, v.get<double>());
      }
    }
    return;
  }
  throw std::runtime_error("unsupported mutation " + mutation.dump());
}

inline ExporterCase LoadExporterCase(const std::string& name) {
  const nlohmann::json input =
      nlohmann::json::parse(ReadFileBytes(GenAiPerfCasesDir() / name / "input_metrics.json"));
  const nlohmann::json& m = input.at("metrics");

  MetricLists lists;
  lists.request_latency = ListOrEmpty(m, "request_latencies");
  lists.time_to_first_token = ListOrEmpty(m, "time_to_first_tokens");
  lists.time_to_second_token = ListOrEmpty(m, "time_to_second_tokens");
  lists.inter_token_latency = ListOrEmpty(m, "inter_token_latencies");
  lists.output_token_throughput_per_user = ListOrEmpty(m, "output_token_throughputs_per_user");
  lists.output_sequence_length = ListOrEmpty(m, "output_sequence_lengths");
  lists.input_sequence_length = ListOrEmpty(m, "input_sequence_lengths");
  lists.image_latency = ListOrEmpty(m, "image_latencies");
  lists.image_throughput = ListOrEmpty(m, "image_throughputs");
  lists.request_throughput = FirstOrNone(m, "request_throughputs");
  lists.output_token_throughput = FirstOrNone(m, "output_token_throughputs");
  lists.request_goodput = FirstOrNone(m, "request_goodputs");
  // Upstream Statistics derives request_count from the request latencies.
  if (!lists.request_latency.empty()) {
    lists.request_count = static_cast<double>(lists.request_latency.size());
  }

  ExporterCase c;
  c.report = ComputeStatsReport(lists, /*scale_to_ms=*/false);
  const nlohmann::json& mutations = input.at("stats_dict_mutations_before_export");
  if (mutations.is_array()) {
    for (const auto& mutation : mutations) ApplyMutation(c.report, mutation);
  }

  const std::vector<std::string> argv = input.at("argv");
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--endpoint-type" && i + 1 < argv.size()) c.context.endpoint_type = argv[i + 1];
    if (argv[i] == "--streaming") c.context.streaming = true;
    if (argv[i] == "--goodput") c.context.goodput_requested = true;
    if (argv[i] == "--verbose" || argv[i] == "-v") c.context.verbose = true;
  }
  if (input.at("console_width").is_number()) c.console_width = input.at("console_width");
  return c;
}

}  // namespace bench::testing
