#include "report/exporter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace bench {
namespace {

std::vector<std::string> Names(const std::vector<MetricRow>& rows) {
  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r.name);
  return names;
}

TEST(ExporterTest, FormatStatValueMatchesPythonCommaTwoDecimals) {
  // Python: f"{v:,.2f}".
  EXPECT_EQ(FormatStatValue(1234567.891), "1,234,567.89");
  EXPECT_EQ(FormatStatValue(-1234.5), "-1,234.50");
  EXPECT_EQ(FormatStatValue(-0.001), "-0.00");
  EXPECT_EQ(FormatStatValue(999.995), "1,000.00");
  EXPECT_EQ(FormatStatValue(123.0), "123.00");
  EXPECT_EQ(FormatStatValue(0.0), "0.00");
  EXPECT_EQ(FormatStatValue(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatStatValue(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatStatValue(std::nan("")), "nan");
}

TEST(ExporterTest, LabelsFollowPythonTitle) {
  EXPECT_EQ(MetricLabel("time_to_first_token", "ms"), "Time To First Token (ms)");
  EXPECT_EQ(MetricLabel("output_token_throughput_per_user", "tokens/sec/user"),
            "Output Token Throughput Per User (tokens/sec/user)");
  EXPECT_EQ(MetricLabel("request_throughput", "per sec"), "Request Throughput (per sec)");
  EXPECT_EQ(MetricLabel("gpu_clock_sm", "MHz"), "Gpu Clock Sm (MHz)");
  EXPECT_EQ(PythonTitle("gpu0abc x1y"), "Gpu0Abc X1Y");
}

TEST(ExporterTest, FetchStatIsNaForMissingOrInvalid) {
  StatsReport report;
  report.metrics.push_back({"request_latency", "ms", {{"avg", 1525.0}}, true});
  report.metrics.push_back({"input_sequence_length", "tokens", {{"avg", 1.0}}, false});
  EXPECT_EQ(FetchStat(report, "request_latency", "avg"), "1,525.00");
  EXPECT_EQ(FetchStat(report, "request_latency", "p99"), "N/A");
  EXPECT_EQ(FetchStat(report, "time_to_first_token", "avg"), "N/A");
  EXPECT_EQ(FetchStat(report, "input_sequence_length", "avg"), "N/A");
}

TEST(ExporterTest, RowsDependOnEndpointTypeStreamingAndGoodput) {
  ExportContext llm;
  llm.endpoint_type = "chat";
  llm.streaming = true;
  EXPECT_EQ(Names(RequestMetricRows(llm)),
            (std::vector<std::string>{"time_to_first_token", "time_to_second_token",
                                      "request_latency", "inter_token_latency",
                                      "output_token_throughput_per_user",
                                      "output_sequence_length", "input_sequence_length"}));
  llm.streaming = false;
  EXPECT_EQ(Names(RequestMetricRows(llm)),
            (std::vector<std::string>{"request_latency", "output_sequence_length",
                                      "input_sequence_length"}));
  EXPECT_EQ(Names(SystemMetricRows(llm)),
            (std::vector<std::string>{"output_token_throughput", "request_throughput",
                                      "request_count"}));
  llm.goodput_requested = true;
  EXPECT_EQ(Names(SystemMetricRows(llm)),
            (std::vector<std::string>{"output_token_throughput", "request_throughput",
                                      "request_goodput", "request_count"}));

  ExportContext embeddings;
  embeddings.endpoint_type = "embeddings";
  EXPECT_EQ(Names(RequestMetricRows(embeddings)), (std::vector<std::string>{"request_latency"}));
  EXPECT_EQ(Names(SystemMetricRows(embeddings)),
            (std::vector<std::string>{"request_throughput", "request_count"}));

  ExportContext images;
  images.endpoint_type = "image_retrieval";
  const auto rows = RequestMetricRows(images);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(MetricLabel(rows[1].name, rows[1].unit), "Image Throughput (images/sec)");
  EXPECT_EQ(MetricLabel(rows[2].name, rows[2].unit), "Image Latency (ms/image)");
}

TEST(ExporterTest, TitlesByEndpointType) {
  EXPECT_EQ(ConsoleTitle("chat"), "NVIDIA GenAI-Perf | LLM Metrics");
  EXPECT_EQ(ConsoleTitle("kserve"), "NVIDIA GenAI-Perf | LLM Metrics");
  EXPECT_EQ(ConsoleTitle("embeddings"), "NVIDIA GenAI-Perf | Embeddings Metrics");
  EXPECT_EQ(ConsoleTitle("rankings"), "NVIDIA GenAI-Perf | Rankings Metrics");
  EXPECT_EQ(ConsoleTitle("image_retrieval"), "NVIDIA GenAI-Perf | Image Retrieval Metrics");
  EXPECT_EQ(ConsoleTitle("multimodal"), "NVIDIA GenAI-Perf | Multi-Modal Metrics");
}

}  // namespace
}  // namespace bench
