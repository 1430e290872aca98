#pragma once
// Metric lists per run and their statistics — the contract between the metrics stage
// (metrics.cc) and the exporters (console/CSV/JSON).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bench {

/// Raw per-request metric lists, in ns for times (reference §2.1–2.2).
struct MetricLists {
  std::vector<double> request_latency;                 // ns
  std::vector<double> time_to_first_token;             // ns
  std::vector<double> time_to_second_token;            // ns
  std::vector<double> inter_token_latency;             // ns (rounded half-even)
  std::vector<double> output_token_throughput_per_user;  // tokens/s
  std::vector<double> output_sequence_length;          // tokens
  std::vector<double> input_sequence_length;           // tokens
  std::vector<double> image_latency;                   // ns per image (image retrieval)
  std::vector<double> image_throughput;                // images/s (image retrieval)
  // System metrics: one value per run.
  std::optional<double> request_throughput;       // requests/s over ALL exported requests
  std::optional<double> output_token_throughput;  // tokens/s
  std::optional<double> request_goodput;          // requests/s, only with --goodput
  std::optional<double> request_count;            // requests with >= 1 kept response
  double benchmark_duration_s = 0;
};

/// Statistics of one metric. `stats` keeps GenAI-Perf's key order (avg, p1..p99, min, max, std);
/// a key may be missing. `valid == false` marks a metric whose statistics are unusable
/// (every cell renders as N/A).
struct MetricStatistics {
  std::string name;  // JSON key, e.g. "time_to_first_token"
  std::string unit;  // JSON unit, e.g. "ms", "requests/sec"
  std::vector<std::pair<std::string, double>> stats;
  bool valid = true;

  std::optional<double> Get(const std::string& stat) const;
  void Erase(const std::string& stat);
};

/// All statistics of one run, in Metrics.data order (reference §4.4).
struct StatsReport {
  std::vector<MetricStatistics> metrics;

  const MetricStatistics* Find(const std::string& name) const;
  MetricStatistics* Find(const std::string& name);
  void Erase(const std::string& name);
};

/// Failed requests of a run, for the footer under the table and the JSON (a bench addition).
struct ErrorSummary {
  size_t total_requests = 0;   // all exported requests
  size_t failed_requests = 0;  // requests carrying an error
  std::vector<std::pair<std::string, size_t>> counts_by_kind;  // ("http_status", 3), ... sorted by kind name
  std::vector<std::string> first_messages;  // first distinct "kind: message" lines, at most 5
};

/// True for system metrics (one value per run; avg only; N/A in other console columns).
bool IsSystemMetric(const std::string& name);

/// Statistics over `lists`. When `scale_to_ms` is set, time metrics are multiplied by 1/1e6
/// exactly as GenAI-Perf's OutputReporter.scale_data does; exporter tests use unscaled lists.
/// Empty lists are omitted; inter_token_latency is omitted when its sum is 0.
StatsReport ComputeStatsReport(const MetricLists& lists, bool scale_to_ms);

}  // namespace bench
