#include "telemetry/gpu_telemetry.h"

#include <unordered_map>

#include "util/statistics.h"

namespace bench {
namespace {

// Memory: DCGM reports MiB, GenAI-Perf prints GB (1 MiB = 1.048576e-3 GB); energy: mJ -> MJ;
// SM activity is a ratio; PCIe counters are bytes per second -> KB/s.
constexpr double kMiBToGB = 1.048576e-3;

int IndexOf(std::string_view metric) {
  static const std::unordered_map<std::string_view, int> index = [] {
    std::unordered_map<std::string_view, int> m;
    for (size_t i = 0; i < GpuMetrics().size(); ++i) m.emplace(GpuMetrics()[i].name, static_cast<int>(i));
    return m;
  }();
  const auto it = index.find(metric);
  return it == index.end() ? -1 : it->second;
}

int IndexOfField(std::string_view field) {
  static const std::unordered_map<std::string_view, int> index = [] {
    std::unordered_map<std::string_view, int> m;
    for (size_t i = 0; i < GpuMetrics().size(); ++i) m.emplace(GpuMetrics()[i].dcgm_field, static_cast<int>(i));
    return m;
  }();
  const auto it = index.find(field);
  return it == index.end() ? -1 : it->second;
}

}  // namespace

const std::vector<GpuMetricInfo>& GpuMetrics() {
  static const std::vector<GpuMetricInfo> metrics = {
      {"gpu_power_usage", "W", "DCGM_FI_DEV_POWER_USAGE", 1, false},
      {"gpu_power_limit", "W", "DCGM_FI_DEV_POWER_MGMT_LIMIT", 1, true},
      {"energy_consumption", "MJ", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", 1e-9, false},
      {"total_gpu_memory", "GB", "DCGM_FI_DEV_FB_TOTAL", kMiBToGB, true},
      {"gpu_memory_used", "GB", "DCGM_FI_DEV_FB_USED", kMiBToGB, false},
      {"gpu_memory_free", "GB", "DCGM_FI_DEV_FB_FREE", kMiBToGB, false},
      {"gpu_utilization", "%", "DCGM_FI_DEV_GPU_UTIL", 1, false},
      {"sm_utilization", "%", "DCGM_FI_PROF_SM_ACTIVE", 100, false},
      {"memory_copy_utilization", "%", "DCGM_FI_DEV_MEM_COPY_UTIL", 1, false},
      {"video_encoder_utilization", "%", "DCGM_FI_DEV_ENC_UTIL", 1, false},
      {"video_decoder_utilization", "%", "DCGM_FI_DEV_DEC_UTIL", 1, false},
      {"gpu_clock_sm", "MHz", "DCGM_FI_DEV_SM_CLOCK", 1, false},
      {"gpu_clock_memory", "MHz", "DCGM_FI_DEV_MEM_CLOCK", 1, false},
      {"gpu_temperature", "C", "DCGM_FI_DEV_GPU_TEMP", 1, false},
      {"gpu_memory_temperature", "C", "DCGM_FI_DEV_MEMORY_TEMP", 1, false},
      {"total_ecc_sbe_volatile", "errors", "DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", 1, false},
      {"total_ecc_dbe_volatile", "errors", "DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", 1, false},
      {"total_ecc_sbe_aggregate", "errors", "DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", 1, false},
      {"total_ecc_dbe_aggregate", "errors", "DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", 1, false},
      {"xid_last_error", "errors", "DCGM_FI_DEV_XID_ERRORS", 1, false},
      {"power_throttle_duration", "us", "DCGM_FI_DEV_POWER_VIOLATION", 1, false},
      {"thermal_throttle_duration", "us", "DCGM_FI_DEV_THERMAL_VIOLATION", 1, false},
      {"retired_pages_sbe", "pages", "DCGM_FI_DEV_RETIRED_SBE", 1, false},
      {"retired_pages_dbe", "pages", "DCGM_FI_DEV_RETIRED_DBE", 1, false},
      {"total_nvlink_crc_flit_errors", "errors", "DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", 1, false},
      {"total_nvlink_crc_data_errors", "errors", "DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL", 1, false},
      {"pcie_transmit_throughput", "KB/s", "DCGM_FI_PROF_PCIE_TX_BYTES", 1.0 / 1024, false},
      {"pcie_receive_throughput", "KB/s", "DCGM_FI_PROF_PCIE_RX_BYTES", 1.0 / 1024, false},
      {"pcie_replay_counter", "retries", "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", 1, false},
  };
  return metrics;
}

GpuSamples::GpuSamples() : series_(GpuMetrics().size()) {}

size_t GpuSamples::AddPage(const MetricsPage& page) {
  size_t kept = 0;
  for (const PromSample& sample : page.samples) {
    const int metric = IndexOfField(sample.name);
    if (metric < 0) continue;
    const std::optional<std::string_view> gpu = LabelValue(sample, "gpu");
    // GenAI-Perf skips a line whose gpu label is missing or empty.
    if (!gpu || gpu->empty()) continue;
    Add(GpuMetrics()[metric].name, std::string(*gpu), sample.value);
    ++kept;
  }
  return kept;
}

void GpuSamples::Add(std::string_view metric, const std::string& gpu, double value) {
  const int i = IndexOf(metric);
  if (i < 0) return;
  PerGpu& per_gpu = series_[i];
  for (auto& [id, values] : per_gpu) {
    if (id == gpu) {
      values.push_back(value);
      return;
    }
  }
  per_gpu.push_back({gpu, {value}});
}

void GpuSamples::Merge(const GpuSamples& other) {
  for (size_t m = 0; m < series_.size(); ++m) {
    for (const auto& [gpu, values] : other.series_[m]) {
      for (double v : values) Add(GpuMetrics()[m].name, gpu, v);
    }
  }
}

bool GpuSamples::empty() const {
  for (const PerGpu& per_gpu : series_) {
    if (!per_gpu.empty()) return false;
  }
  return true;
}

const std::vector<double>& GpuSamples::Values(std::string_view metric, const std::string& gpu) const {
  static const std::vector<double> kNone;
  const int i = IndexOf(metric);
  if (i < 0) return kNone;
  for (const auto& [id, values] : series_[i]) {
    if (id == gpu) return values;
  }
  return kNone;
}

nlohmann::ordered_json GpuSamples::Stats(bool scale) const {
  nlohmann::ordered_json stats = nlohmann::ordered_json::object();
  for (size_t m = 0; m < series_.size(); ++m) {
    const GpuMetricInfo& info = GpuMetrics()[m];
    nlohmann::ordered_json metric = {{"unit", info.unit}};
    const double factor = scale ? info.scale : 1.0;
    for (const auto& [gpu, values] : series_[m]) {
      nlohmann::ordered_json per_gpu = nlohmann::ordered_json::object();
      if (info.constant) {
        per_gpu["avg"] = Mean(values) * factor;
      } else {
        for (const auto& [name, value] : ComputeStatistics(values)) per_gpu[name] = value * factor;
      }
      metric[gpu] = std::move(per_gpu);
    }
    stats[info.name] = std::move(metric);
  }
  return stats;
}

}  // namespace bench
