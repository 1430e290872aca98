#include "telemetry/gpu_telemetry.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// GenAI-Perf's collector test: one scrape of every mapped field, raw units, GPU key "0".
TEST(GpuTelemetryTest, MapsEveryDcgmFieldOfGenAiPerfsFixture) {
  const fs::path dir = test::CasesDir() / "dcgm_metrics_parse";
  const nlohmann::json expected = ReadJson(dir / "expected.json")["asserted_one_scrape_update"];
  std::string page_text = ReadText(dir / "input_metrics.txt");
  // An unmapped field and a line without a gpu label are ignored.
  page_text += "DCGM_FI_DEV_UNRELATED{gpu=\"0\"} 1\nDCGM_FI_DEV_POWER_USAGE{UUID=\"abc\"} 99\n";
  GpuSamples samples;
  EXPECT_EQ(samples.AddPage(ParsePrometheusText(page_text)), expected.size());
  size_t checked = 0;
  for (const auto& [metric, per_gpu] : expected.items()) {
    for (const auto& [gpu, values] : per_gpu.items()) {
      EXPECT_EQ(samples.Values(metric, gpu), values.get<std::vector<double>>()) << metric;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 27u);  // every field GenAI-Perf maps
  EXPECT_EQ(GpuMetrics().size(), 29u);  // plus the power limit and energy, absent from the page
}

// The dcgm-exporter's own label set (gpu, UUID, device, modelName, Hostname...).
TEST(GpuTelemetryTest, GpuKeyIsTheGpuLabelOfRealExporterLines) {
  GpuSamples samples;
  samples.AddPage(ParsePrometheusText(
      "# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n"
      "# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n"
      "DCGM_FI_DEV_POWER_USAGE{gpu=\"1\",UUID=\"GPU-5fd4f087-86f3-7a43-b711-4771313afc50\",device=\"nvidia1\","
      "modelName=\"NVIDIA A100-SXM4-80GB, rev \\\"b\\\"\",Hostname=\"node-1\"} 61.52\n"));
  EXPECT_EQ(samples.Values("gpu_power_usage", "1"), std::vector<double>{61.52});
}

// GenAI-Perf's TelemetryStatistics test: per-GPU statistics, constants avg-only, then scaling.
TEST(GpuTelemetryTest, StatisticsAndScalingMatchGenAiPerf) {
  const fs::path dir = test::CasesDir() / "telemetry_statistics_and_scaling";
  const nlohmann::json input = ReadJson(dir / "input_metrics.json")["telemetry_metrics_raw"];
  const nlohmann::json expected = ReadJson(dir / "expected.json");
  GpuSamples samples;
  for (const auto& [metric, per_gpu] : input.items()) {
    for (const auto& [gpu, values] : per_gpu.items()) {
      for (double v : values.get<std::vector<double>>()) samples.Add(metric, gpu, v);
    }
  }
  const nlohmann::ordered_json raw = samples.Stats(/*scale=*/false);
  for (const auto& [metric, per_gpu] : expected["asserted_before_scaling"].items()) {
    for (const auto& [gpu, stats] : per_gpu.items()) {
      for (const auto& [stat, value] : stats.items()) {
        if (stat == "keys_absent") {
          for (const auto& key : value) EXPECT_FALSE(raw[metric][gpu].contains(key.get<std::string>())) << metric;
        } else {
          EXPECT_NEAR(raw[metric][gpu][stat].get<double>(), value.get<double>(), 1e-9) << metric << gpu << stat;
        }
      }
    }
  }
  const nlohmann::ordered_json scaled = samples.Stats();
  for (const auto& [metric, per_gpu] : expected["asserted_after_scale_data"].items()) {
    for (const auto& [gpu, stats] : per_gpu.items()) {
      for (const auto& [stat, value] : stats.items()) {
        if (stat == "avg_rounded_2dp") {
          EXPECT_NEAR(std::round(scaled[metric][gpu]["avg"].get<double>() * 100) / 100, value.get<double>(), 1e-12);
        } else {
          EXPECT_NEAR(scaled[metric][gpu][stat].get<double>(), value.get<double>(), 1e-9) << metric << gpu;
        }
      }
    }
  }
  // Every metric carries its unit, in GenAI-Perf's order; statistics in its key order.
  EXPECT_EQ(scaled.begin().key(), "gpu_power_usage");
  EXPECT_EQ(scaled["pcie_replay_counter"].dump(), R"({"unit":"retries"})");
  std::vector<std::string> keys;
  for (const auto& [k, v] : scaled["gpu_power_usage"]["gpu0"].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"avg", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99",
                                            "min", "max", "std"}));
}

TEST(GpuTelemetryTest, MergeJoinsTheSameGpuKeyAcrossUrls) {
  GpuSamples a;
  GpuSamples b;
  a.Add("gpu_utilization", "0", 10);
  b.Add("gpu_utilization", "0", 30);
  b.Add("gpu_utilization", "1", 50);
  a.Merge(b);
  EXPECT_EQ(a.Values("gpu_utilization", "0"), (std::vector<double>{10, 30}));
  EXPECT_EQ(a.Values("gpu_utilization", "1"), std::vector<double>{50});
  EXPECT_TRUE(GpuSamples().empty());
  EXPECT_FALSE(a.empty());
}

}  // namespace
}  // namespace bench
