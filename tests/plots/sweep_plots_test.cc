#include "plots/sweep_plots.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

PointSummary Point(const std::string& value, double rps, double tps, std::optional<double> ttft) {
  PointSummary p;
  p.parameter = "concurrency";
  p.value = value;
  p.run_dir = "m-openai-chat-concurrency" + value;
  p.request_throughput = rps;
  p.output_token_throughput = tps;
  p.ttft_avg = ttft;
  p.ttft_p99 = ttft ? std::optional<double>(*ttft * 2) : std::nullopt;
  p.request_latency_avg = 100;
  p.request_latency_p99 = 150;
  return p;
}

TEST(SweepPlotsTest, OneCurvePointPerMeasuredSweepPoint) {
  // The second point has no TTFT (as a non-streaming point would): its TTFT points are left out.
  const std::vector<PointSummary> points = {Point("1", 5, 500, 20), Point("2", 9, 900, std::nullopt),
                                            Point("4", 15, 1500, 30)};
  const std::vector<Chart> charts = BuildSweepCharts(points, "concurrency");
  ASSERT_EQ(charts.size(), 4u);
  EXPECT_EQ(charts[0].file_stem, "time_to_first_token_vs_output_token_throughput");
  EXPECT_EQ(charts[1].file_stem, "inter_token_latency_vs_output_token_throughput");
  EXPECT_EQ(charts[2].file_stem, "request_latency_vs_request_throughput");
  EXPECT_EQ(charts[3].file_stem, "output_token_throughput_vs_concurrency");
  // avg and p99 curves of two points each (+ one legend line per curve).
  EXPECT_EQ(test::Occurrences(charts[0].svg, "<circle"), 4u);
  EXPECT_EQ(test::Occurrences(charts[0].svg, "<polyline"), 2u);
  EXPECT_NE(charts[0].svg.find(">4</text>"), std::string::npos);  // the p99 points carry the swept value
  EXPECT_NE(charts[1].svg.find("not measured (needs --streaming for TTFT and ITL)"), std::string::npos);
  EXPECT_EQ(test::Occurrences(charts[2].svg, "<circle"), 6u);
  EXPECT_EQ(test::Occurrences(charts[3].svg, "<circle"), 3u);
  EXPECT_NE(charts[3].svg.find(">1500</text>"), std::string::npos);
  const auto facts = SweepFacts(points, "concurrency");
  ASSERT_EQ(facts.size(), 4u);
  EXPECT_EQ(facts[0].second, "concurrency over 3 point(s)");
  EXPECT_EQ(facts[3], (std::pair<std::string, std::string>{"concurrency 4",
                                                           "m-openai-chat-concurrency4/plots/report.html"}));
}

TEST(SweepPlotsTest, AnalyzeWritesTheSweepPageAndEachPointsOwnReport) {
  test::TempDir dir;
  const auto r = test::RunBench({"analyze", "--simulator", "--streaming", "--sweep-type", "concurrency",
                                 "--sweep-list", "1,2", "--request-count", "6", "--osl", "10", "--generate-plots",
                                 "--artifact-dir", dir.path().string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = test::ReadFile(dir.path() / "plots" / "report.html");
  ASSERT_FALSE(html.empty());
  EXPECT_EQ(test::Occurrences(html, "<svg "), 4u);
  EXPECT_NE(html.find("<h1>bench analyze: concurrency sweep</h1>"), std::string::npos);
  size_t point_reports = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    if (fs::exists(e.path() / "plots" / "report.html") && e.path().filename() != "plots") ++point_reports;
  }
  EXPECT_EQ(point_reports, 2u);
}

}  // namespace
}  // namespace bench
