// `bench report` on GenAI-Perf's image retrieval cases (its ImageRetrievalProfileDataParser
// tests, reference §2.2): the statistics of profile_export_genai_perf.json, the console table's
// title and rows and the CSV rows, all from the exporters a profile run uses.
#include <cmath>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

struct Case {
  const char* name;
  std::vector<std::string> goodput;  // --goodput arguments
};

class ReportImageRetrievalTest : public testing::TestWithParam<Case> {};

// GenAI-Perf's "{:,.2f}" as a CSV field (quoted when it holds a comma); v >= 0.
std::string CsvTwoDecimals(double v) {
  std::string s = fmt::format("{:.2f}", v);
  for (int at = static_cast<int>(s.find('.')) - 3; at > 0; at -= 3) s.insert(size_t(at), ",");
  return s.find(',') == std::string::npos ? s : "\"" + s + "\"";
}

TEST_P(ReportImageRetrievalTest, ReproducesGenAiPerfsStatisticsTableAndCsv) {
  const fs::path case_dir = test::CasesDir() / GetParam().name;
  test::TempDir dir;
  fs::copy_file(case_dir / "input_profile_export.json", dir.path() / "profile_export.json");
  std::vector<std::string> args = {"report", "--profile-export", (dir.path() / "profile_export.json").string()};
  if (!GetParam().goodput.empty()) {
    args.push_back("--goodput");
    args.insert(args.end(), GetParam().goodput.begin(), GetParam().goodput.end());
  }
  const auto r = test::RunBench(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto expected = test::ReadJson(case_dir / "expected.json")["experiments"][0]["statistics_as_exported"];
  const auto got = test::ReadJson(dir.path() / "profile_export_genai_perf.json");
  for (const auto& [metric, stats] : expected.items()) {
    ASSERT_TRUE(got.contains(metric)) << metric;
    EXPECT_EQ(got[metric]["unit"], stats["unit"]) << metric;
    for (const auto& [stat, value] : stats.items()) {
      if (stat == "unit") continue;
      const double want = value.get<double>();
      EXPECT_NEAR(got[metric][stat].get<double>(), want, std::abs(want) * 1e-12) << metric << "." << stat;
    }
  }
  for (const auto& [metric, value] : got.items()) {
    if (metric == "input_config" || metric == "bench") continue;
    EXPECT_TRUE(expected.contains(metric)) << "unexpected metric " << metric;
  }
  // The table: GenAI-Perf's title, no token rows, the image rows in display units.
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | Image Retrieval Metrics"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Token"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Image Throughput (images/sec)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Image Latency (ms/image)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Request Goodput") != std::string::npos, !GetParam().goodput.empty()) << r.out;
  const std::string csv = test::ReadFile(dir.path() / "profile_export_genai_perf.csv");
  for (const char* label : {"Image Throughput (images/sec)", "Image Latency (ms/image)"}) {
    const std::string key = std::string(label).find("Throughput") != std::string::npos ? "image_throughput"
                                                                                         : "image_latency";
    const std::string row = std::string(label) + "," + CsvTwoDecimals(expected[key]["avg"].get<double>()) + ",";
    EXPECT_NE(csv.find(row), std::string::npos) << row << "\n" << csv;
  }
  EXPECT_NE(csv.find("Request Throughput (per sec)"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("Request Goodput (per sec)") != std::string::npos, !GetParam().goodput.empty()) << csv;
}

INSTANTIATE_TEST_SUITE_P(GenAiPerfCases, ReportImageRetrievalTest,
                         testing::Values(Case{"image_retrieval", {}},
                                         Case{"image_retrieval_goodput",
                                              {"image_latency:1.25e-6", "request_latency:2.5e-6"}}),
                         [](const testing::TestParamInfo<Case>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace bench
