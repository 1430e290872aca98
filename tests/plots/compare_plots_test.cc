#include "plots/compare_plots.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

TEST(ComparePlotsTest, OnePercentileCurvePerRunForEachMetricAnyRunHas) {
  const auto base = nlohmann::ordered_json::parse(R"({
      "request_latency": {"unit": "ms", "avg": 9, "p1": 1, "p50": 5, "p99": 9, "min": 0, "max": 100},
      "time_to_first_token": {"unit": "ms", "p25": 2, "p75": 3}})");
  const auto cand = nlohmann::ordered_json::parse(R"({
      "request_latency": {"unit": "ms", "p1": 2, "p5": 3, "p50": 6, "p99": 12}})");
  const std::vector<Chart> charts = BuildCompareCharts({{"baseline", base}, {"candidate 1", cand}});
  ASSERT_EQ(charts.size(), 2u);  // no run has ITL or per-user throughput
  EXPECT_EQ(charts[0].file_stem, "time_to_first_token_percentiles");
  EXPECT_EQ(charts[1].file_stem, "request_latency_percentiles");
  // Baseline p1, p50, p99 and candidate p1, p5, p50, p99 (min, max and avg are not percentiles).
  EXPECT_EQ(test::Occurrences(charts[1].svg, "<circle"), 7u);
  EXPECT_NE(charts[1].svg.find(">candidate 1</text>"), std::string::npos);
  EXPECT_EQ(test::Occurrences(charts[0].svg, "<circle"), 2u);
}

TEST(ComparePlotsTest, CompareWritesThePageIntoPlotsDir) {
  test::TempDir dir;
  for (const char* c : {"1", "2"}) {
    ASSERT_EQ(test::RunBench({"profile", "--simulator", "--streaming", "--concurrency", c, "--request-count", "6",
                              "--osl", "10", "--artifact-dir", (dir.path() / c).string(), "--quiet"})
                  .exit_code,
              0);
  }
  const auto run_dir = [&](const char* c) {
    return fs::directory_iterator(dir.path() / c)->path().string();
  };
  const fs::path plots = dir.path() / "cmp";
  const auto r = test::RunBench({"compare", run_dir("1"), run_dir("2"), "--generate-plots", "--plots-dir",
                                 plots.string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = test::ReadFile(plots / "report.html");
  EXPECT_EQ(test::Occurrences(html, "<svg "), 4u);
  EXPECT_NE(html.find("<td>candidate 1</td>"), std::string::npos);
  EXPECT_TRUE(fs::exists(plots / "time_to_first_token_percentiles.svg"));
  // Without the flag nothing is written (bench runs in this process's working directory).
  EXPECT_EQ(test::RunBench({"compare", run_dir("1"), run_dir("2"), "--quiet"}).exit_code, 0);
  EXPECT_FALSE(fs::exists("compare/report.html"));
}

}  // namespace
}  // namespace bench
