#pragma once
// GPU telemetry as GenAI-Perf records it (reference §6): the DCGM exporter's fields mapped to
// GenAI-Perf's metric names, samples kept per metric and GPU (the `gpu` label), and the
// `telemetry_stats` object of profile_export_genai_perf.json (statistics, then unit scaling).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "telemetry/prometheus.h"

namespace bench {

/// One GenAI-Perf telemetry metric and the DCGM field it is read from.
struct GpuMetricInfo {
  const char* name;        // GenAI-Perf's key, e.g. "gpu_power_usage"
  const char* unit;        // after scaling, e.g. "W"
  const char* dcgm_field;  // e.g. "DCGM_FI_DEV_POWER_USAGE"
  double scale;            // applied to every statistic at export (1 = none)
  bool constant;           // only "avg" is computed (power limit, total memory)
};

/// GenAI-Perf's TELEMETRY_METRICS, in its order (power, memory, utilization, clocks,
/// temperatures, ECC and errors, PCIe): the order of `telemetry_stats` and of the CSV rows.
const std::vector<GpuMetricInfo>& GpuMetrics();

/// Raw samples per metric (GpuMetrics() order) and GPU (first-seen order), in DCGM's units.
class GpuSamples {
 public:
  GpuSamples();
  /// Appends the mapped fields of one scrape; samples without a `gpu` label and unknown names
  /// are ignored, as GenAI-Perf does. Returns how many values were kept.
  size_t AddPage(const MetricsPage& page);
  /// Appends one raw value.
  void Add(std::string_view metric, const std::string& gpu, double value);
  /// Appends every value of `other` (GenAI-Perf merges its collectors per metric and GPU, so
  /// GPU "0" of two hosts is one series).
  void Merge(const GpuSamples& other);
  /// True when no value was kept.
  bool empty() const;
  /// The values of `metric` for `gpu` (empty when none).
  const std::vector<double>& Values(std::string_view metric, const std::string& gpu) const;

  /// GenAI-Perf's stats_dict: every metric with its "unit", then per GPU "avg", p1..p99, "min",
  /// "max", "std" (constant metrics: "avg" only), each multiplied by the metric's scale when
  /// `scale` (GenAI-Perf's scale_data; its exporter tests skip it).
  nlohmann::ordered_json Stats(bool scale = true) const;

 private:
  using PerGpu = std::vector<std::pair<std::string, std::vector<double>>>;
  std::vector<PerGpu> series_;  // parallel to GpuMetrics()
};

}  // namespace bench
