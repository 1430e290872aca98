#include "plots/charts.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

TEST(PlotChartsTest, FileStemsAreGenAiPerfsTitleLowerCasedWithUnderscores) {
  EXPECT_EQ(ChartFileStem("Time to First Token"), "time_to_first_token");
  EXPECT_EQ(ChartFileStem("Token-to-Token Latency vs Output Token Position"),
            "token-to-token_latency_vs_output_token_position");
  // Unlike GenAI-Perf, nothing that cannot be part of a plain file name survives.
  EXPECT_EQ(ChartFileStem("Throughput (tokens/s) vs ../ISL"), "throughput_tokenss_vs_isl");
}

TEST(PlotChartsTest, BoxPlotDrawsBoxWhiskersMeanAndOutliers) {
  const Chart c = BoxPlotChart("Request Latency", "Request Latency (ms)", std::vector<double>{3, 100, 1, 4, 2});
  EXPECT_EQ(c.file_stem, "request_latency");
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"box\""), 1u);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"median\""), 1u);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"mean\""), 1u);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"whisker\""), 4u);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"out\""), 1u);
  EXPECT_NE(c.svg.find("n 5   min 1.00   p25 2.00   median 3.00   p75 4.00   max 100.00   mean 22.00"),
            std::string::npos);
  EXPECT_NE(c.svg.find("(1 outliers)"), std::string::npos);
}

TEST(PlotChartsTest, BoxPlotCapsTheOutliersItDrawsAndSaysSo) {
  std::vector<double> v(3000, 10);  // IQR 0: every other value is an outlier
  for (int i = 0; i < 400; ++i) v.push_back(1000 + i);
  const Chart c = BoxPlotChart("Time to First Token", "ms", v, 100);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"out\""), 100u);
  EXPECT_NE(c.svg.find("100 of 400 outliers drawn"), std::string::npos);
}

TEST(PlotChartsTest, EmptyChartsSayWhy) {
  EXPECT_NE(BoxPlotChart("T", "ms", {}).svg.find("no successful request"), std::string::npos);
  ScatterSpec s;
  s.title = "T";
  s.empty_message = "not streaming";
  EXPECT_NE(ScatterChart(s).svg.find("not streaming"), std::string::npos);
  EXPECT_NE(TimelineChart("T", PlotData{}).svg.find("no request"), std::string::npos);
}

TEST(PlotChartsTest, ScatterThinsPointsEvenlyAndSaysHowMany) {
  std::vector<double> x, y;
  for (int i = 0; i < 5000; ++i) {
    x.push_back(i % 100);
    y.push_back(i);
  }
  ScatterSpec s;
  s.title = "TTFT vs ISL";
  s.x = x;
  s.y = y;
  s.max_points = 2000;
  s.line = {{0, 0}, {99, 4999}};
  s.line_label = "mean";
  const Chart c = ScatterChart(s);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"pt\""), 2000u);
  EXPECT_EQ(test::Occurrences(c.svg, "<polyline"), 1u);
  EXPECT_NE(c.svg.find("2000 of 5000 points drawn"), std::string::npos);
}

TEST(PlotChartsTest, HeatmapDrawsOneCellPerNonEmptyBinWithItsCount) {
  const std::vector<double> isl = {100, 100, 101, 103, 103};
  const std::vector<double> osl = {50, 52, 50, 50, 50};
  const Chart c = HeatmapChart("H", "ISL", "OSL", BinHeatmap(isl, osl, 20));
  EXPECT_EQ(test::Occurrences(c.svg, "<title>input "), 4u);  // four non-empty cells, each with a tooltip
  EXPECT_NE(c.svg.find("<title>input 103, output 50: 2 requests</title>"), std::string::npos) << c.svg;
  EXPECT_NE(c.svg.find("5 requests in 4 x 3 bins"), std::string::npos);
  // Wider bins are labelled with the integer range they hold.
  const std::vector<double> wide_x = {100, 149};
  const std::vector<double> wide_y = {1, 1};
  EXPECT_NE(HeatmapChart("H", "ISL", "OSL", BinHeatmap(wide_x, wide_y, 20)).svg.find(">100\u2013104<"),
            std::string::npos);
}

TEST(PlotChartsTest, TimelineDrawsWaitAndGenerationPerRequestAndFailuresInRed) {
  PlotData d;
  d.timeline = {{2'000'000'000, 2'100'000'000, 2'900'000'000, TimelineBar::Kind::kOk},
                {1'000'000'000, 1'050'000'000, 1'500'000'000, TimelineBar::Kind::kOk},
                {1'200'000'000, 1'300'000'000, 1'300'000'000, TimelineBar::Kind::kFailed}};
  d.timeline_total = 3;
  d.first_send_ns = 1'000'000'000;
  d.last_end_ns = 2'900'000'000;
  const Chart c = TimelineChart("Request Timeline", d);
  EXPECT_TRUE(c.wide);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"wait\""), 3u);  // two bars + the legend
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"gen\""), 3u);
  EXPECT_EQ(test::Occurrences(c.svg, "class=\"fail\""), 2u);
  // Sorted by send time: the request sent at 0 s comes first.
  const size_t first = c.svg.find("sent at 0.000 s; TTFT 50.00 ms; latency 500.00 ms");
  const size_t last = c.svg.find("sent at 1.000 s; TTFT 100.00 ms; latency 900.00 ms");
  ASSERT_NE(first, std::string::npos) << c.svg;
  ASSERT_NE(last, std::string::npos);
  EXPECT_LT(first, last);
  EXPECT_NE(c.svg.find("3 requests."), std::string::npos);
  EXPECT_NE(c.svg.find("1 drawn requests failed"), std::string::npos);
}

}  // namespace
}  // namespace bench
