#include "metrics/metrics.h"

#include <algorithm>
#include <numeric>

#include "metrics/metric_registry.h"
#include "util/statistics.h"

namespace bench {

std::optional<double> MetricStatistics::Get(const std::string& stat) const {
  for (const auto& [key, value] : stats) {
    if (key == stat) return value;
  }
  return std::nullopt;
}

void MetricStatistics::Erase(const std::string& stat) {
  std::erase_if(stats, [&](const auto& kv) { return kv.first == stat; });
}

const MetricStatistics* StatsReport::Find(const std::string& name) const {
  for (const auto& m : metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

MetricStatistics* StatsReport::Find(const std::string& name) {
  for (auto& m : metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

void StatsReport::Erase(const std::string& name) {
  std::erase_if(metrics, [&](const MetricStatistics& m) { return m.name == name; });
}

bool IsSystemMetric(const std::string& name) {
  const MetricInfo* m = FindMetric(name);
  return m != nullptr && m->scope == MetricScope::kRun && !m->bench_only;
}

namespace {

// The metric's row of the registry; every name used below has one.
const MetricInfo& Info(const std::string& name) { return *FindMetric(name); }

void AddDistribution(StatsReport& report, const std::string& name, const std::vector<double>& values,
                     bool scale_to_ms) {
  if (values.empty()) return;
  const MetricInfo& info = Info(name);
  MetricStatistics m{name, std::string(info.unit), ComputeStatistics(values), true};
  if (scale_to_ms && info.time) {
    // GenAI-Perf multiplies by (1/1e6) rather than dividing by 1e6; keep the same operation so
    // the exported doubles are bit-identical.
    constexpr double kNsToMs = 1.0 / 1e6;
    for (auto& kv : m.stats) kv.second *= kNsToMs;
  }
  report.metrics.push_back(std::move(m));
}

void AddSystem(StatsReport& report, const std::string& name, const std::optional<double>& value) {
  if (!value) return;
  report.metrics.push_back(MetricStatistics{name, std::string(Info(name).unit), {{"avg", *value}}, true});
}

}  // namespace

StatsReport ComputeStatsReport(const MetricLists& lists, bool scale_to_ms) {
  StatsReport r;
  AddSystem(r, "request_throughput", lists.request_throughput);
  AddDistribution(r, "request_latency", lists.request_latency, scale_to_ms);
  AddSystem(r, "request_goodput", lists.request_goodput);
  AddSystem(r, "request_count", lists.request_count);
  AddDistribution(r, "time_to_first_token", lists.time_to_first_token, scale_to_ms);
  AddDistribution(r, "time_to_second_token", lists.time_to_second_token, scale_to_ms);
  const double itl_sum =
      std::accumulate(lists.inter_token_latency.begin(), lists.inter_token_latency.end(), 0.0);
  if (itl_sum != 0) {
    AddDistribution(r, "inter_token_latency", lists.inter_token_latency, scale_to_ms);
  }
  AddSystem(r, "output_token_throughput", lists.output_token_throughput);
  AddDistribution(r, "output_token_throughput_per_user", lists.output_token_throughput_per_user, scale_to_ms);
  AddDistribution(r, "output_sequence_length", lists.output_sequence_length,
                  scale_to_ms);
  AddDistribution(r, "input_sequence_length", lists.input_sequence_length, scale_to_ms);
  AddDistribution(r, "image_throughput", lists.image_throughput, scale_to_ms);
  AddDistribution(r, "image_latency", lists.image_latency, scale_to_ms);
  return r;
}

}  // namespace bench
