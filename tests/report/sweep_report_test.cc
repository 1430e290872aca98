#include "report/sweep_report.h"

#include <sstream>

#include <gtest/gtest.h>

namespace bench {
namespace {

PointSummary Point(std::string name, std::string value, double scale) {
  PointSummary p;
  p.config_name = std::move(name);
  p.parameter = "num_dataset_entries";
  p.value = value;
  p.run_dir = "gpt2-openai-chat-num_dataset_entries" + value;
  p.load_value = "1";
  p.num_dataset_entries = std::stoi(value);
  p.ttft_p99 = 33.5449 * scale;
  p.ttft_avg = 30 * scale;
  p.itl_p99 = 7.16;
  p.itl_avg = 7.0;
  p.request_latency_p99 = 779.75;
  p.request_latency_avg = 700;
  p.osl_p99 = 132.1;
  p.isl_p99 = 201.99;  // int() truncates: 201
  p.output_token_throughput = 1149.6249;
  p.request_throughput = 1.3249;
  return p;
}

// Layout of the example in GenAI-Perf's docs/analyze.md (reference §5.2): csv.writer rows
// with CRLF ends, f"{v:.2f}" values, a blank row, then the GPU table header.
TEST(SweepReportTest, CsvHasGenAiPerfsAnalyzeLayout) {
  std::ostringstream out;
  WriteAnalyzeCsv({Point("gpt2_run_config_0", "100", 1), Point("gpt2_run_config_1", "150", 2)}, false, out);
  EXPECT_EQ(out.str(),
            "Config Name,Concurrency,ISL,Num Dataset Entries,p99 Time To First Token (ms),"
            "p99 Inter Token Latency (ms),p99 Request Latency (ms),p99 Output Sequence Length (tokens),"
            "Avg. Output Token Throughput (tokens/sec),Request Throughput (requests/sec)\r\n"
            "gpt2_run_config_0,1,201,100,33.54,7.16,779.75,132.10,1149.62,1.32\r\n"
            "gpt2_run_config_1,1,201,150,67.09,7.16,779.75,132.10,1149.62,1.32\r\n"
            "\r\n"
            "Config Name,GPU,p99 GPU Power Usage (W),p99 GPU Energy Consumption (MJ),p99 GPU Utilization (%),"
            "p99 GPU Memory Used (GB),Avg. GPU Power Limit (W),Avg. GPU Total Memory (GB)\r\n");
}

TEST(SweepReportTest, RequestRateColumnAndUnmeasuredMetrics) {
  PointSummary p;
  p.config_name = "m_run_config_0";
  p.load_value = "2.5";
  p.num_dataset_entries = 100;
  p.request_throughput = 2.5;
  std::ostringstream out;
  WriteAnalyzeCsv({p}, true, out);
  const std::string csv = out.str();
  EXPECT_EQ(csv.substr(0, 26), "Config Name,Request Rate,I");
  // Without --streaming there is no TTFT/ITL: N/A, not GenAI-Perf's misleading 0.00.
  EXPECT_NE(csv.find("\r\nm_run_config_0,2.5,N/A,100,N/A,N/A,N/A,N/A,N/A,2.50\r\n"), std::string::npos) << csv;
}

TEST(SweepReportTest, MetricsAreReadFromTheGenAiPerfJson) {
  const auto doc = nlohmann::json::parse(R"({
    "request_throughput": {"unit": "requests/sec", "avg": 12.5},
    "request_latency": {"unit": "ms", "avg": 80.0, "p99": 95.5},
    "time_to_first_token": {"unit": "ms", "avg": 20.0, "p99": 22.0},
    "inter_token_latency": {"unit": "ms", "avg": 5.0, "p99": 5.5},
    "output_token_throughput": {"unit": "tokens/sec", "avg": 600.0},
    "output_sequence_length": {"unit": "tokens", "avg": 48.0, "p99": 50.0},
    "input_sequence_length": {"unit": "tokens", "avg": 100.0, "p99": 100.0},
    "bench": {"errors": {"total_requests": 12, "failed_requests": 2}}})");
  PointSummary s;
  ReadPointMetrics(doc, s);
  EXPECT_EQ(s.request_throughput, 12.5);
  EXPECT_EQ(s.request_latency_p99, 95.5);
  EXPECT_EQ(s.ttft_avg, 20.0);
  EXPECT_EQ(s.itl_p99, 5.5);
  EXPECT_EQ(s.output_token_throughput, 600.0);
  EXPECT_EQ(s.osl_p99, 50.0);
  EXPECT_EQ(s.isl_p99, 100.0);
  EXPECT_EQ(s.failed_requests, 2);

  PointSummary none;
  ReadPointMetrics(nlohmann::json::parse(R"({"request_throughput": {"avg": 1.0}})"), none);
  EXPECT_FALSE(none.ttft_avg.has_value());
  EXPECT_EQ(none.failed_requests, 0);
}

TEST(SweepReportTest, CheckpointFormRoundTrips) {
  PointSummary p = Point("gpt2_run_config_3", "150", 1);
  p.ttft_avg.reset();
  p.failed_requests = 4;
  const PointSummary q = PointSummaryFromJson(nlohmann::json::parse(PointSummaryToJson(p).dump()));
  EXPECT_EQ(q.config_name, p.config_name);
  EXPECT_EQ(q.value, "150");
  EXPECT_EQ(q.run_dir, p.run_dir);
  EXPECT_EQ(q.num_dataset_entries, 150);
  EXPECT_EQ(q.ttft_p99, p.ttft_p99);
  EXPECT_FALSE(q.ttft_avg.has_value());
  EXPECT_EQ(q.failed_requests, 4);
}

TEST(SweepReportTest, SummaryTableHasOneRowPerPoint) {
  const std::string table =
      SweepSummaryTable({Point("a", "100", 1), Point("b", "150", 2)}, "num_dataset_entries", 140);
  EXPECT_NE(table.find("Sweep summary: num_dataset_entries (times in ms)"), std::string::npos) << table;
  for (const char* header : {"requests/s", "output tokens/s", "TTFT avg", "TTFT p99", "ITL avg", "ITL p99",
                             "latency avg", "latency p99", "errors"}) {
    EXPECT_NE(table.find(header), std::string::npos) << header << "\n" << table;
  }
  EXPECT_NE(table.find("1,149.62"), std::string::npos) << table;
  EXPECT_NE(table.find("67.09"), std::string::npos) << table;
}

}  // namespace
}  // namespace bench
