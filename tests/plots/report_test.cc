#include "plots/report.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kStems = {
    "time_to_first_token",
    "request_latency",
    "distribution_of_input_sequence_lengths_to_output_sequence_lengths",
    "time_to_first_token_vs_input_sequence_lengths",
    "token-to-token_latency_vs_output_token_position",
    "request_timeline",
};

// Nothing in the page may make a browser fetch anything or run anything.
void ExpectSelfContained(const std::string& html) {
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("https:"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("@font-face"), std::string::npos);
  // The only URL is the SVG namespace name, which is never fetched.
  EXPECT_EQ(test::Occurrences(html, "http:"), test::Occurrences(html, "http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find("href="), std::string::npos);
}

TEST(PlotReportTest, PlotsNeedAnEndpointWithTokens) {
  EXPECT_TRUE(PlotsSupported(ResponseFormat::kOpenAiChat));
  EXPECT_TRUE(PlotsSupported(ResponseFormat::kOpenAiCompletions));
  EXPECT_TRUE(PlotsSupported(ResponseFormat::kTritonCApi));
  // GenAI-Perf rejects --generate-plots for these.
  EXPECT_FALSE(PlotsSupported(ResponseFormat::kOpenAiEmbeddings));
  EXPECT_FALSE(PlotsSupported(ResponseFormat::kRankings));
  EXPECT_FALSE(PlotsSupported(ResponseFormat::kHuggingFaceRankings));
  EXPECT_FALSE(PlotsSupported(ResponseFormat::kImageRetrieval));
  EXPECT_FALSE(PlotsSupported(ResponseFormat::kDynamicGrpc));
}

TEST(PlotReportTest, PageHoldsEveryChartInlineAndEscapesTheFacts) {
  MetricLists lists;
  lists.time_to_first_token = {1e6, 2e6, 3e6};
  lists.request_latency = {10e6, 12e6, 14e6};
  lists.input_sequence_length = {100, 100, 120};
  lists.output_sequence_length = {50, 40, 50};
  PlotReport report{"run <1>", {{"Model", "a&b"}}, BuildRunCharts(lists, PlotData{})};
  ASSERT_EQ(report.charts.size(), kStems.size());
  for (size_t i = 0; i < kStems.size(); ++i) EXPECT_EQ(report.charts[i].file_stem, kStems[i]);
  const std::string html = RenderPlotReportHtml(report);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<h1>run &lt;1&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find("<td>a&amp;b</td>"), std::string::npos);
  EXPECT_EQ(test::Occurrences(html, "<svg "), kStems.size());
  for (const std::string& stem : kStems) EXPECT_NE(html.find("id=\"" + stem + "\""), std::string::npos) << stem;
  ExpectSelfContained(html);
  // No stream data: the token chart and the timeline say so instead of drawing nothing.
  EXPECT_NE(html.find("no request kept two responses"), std::string::npos);
  EXPECT_NE(html.find(">no request</text>"), std::string::npos);
}

TEST(PlotReportTest, FactsComeFromTheInputConfigAndTheMetrics) {
  const auto config = nlohmann::ordered_json::parse(R"({"model_names": ["m1", "m2"],
      "endpoint": {"type": "chat", "streaming": true, "url": "localhost:8000"},
      "perf_analyzer": {"stimulus": {"concurrency": 4}}})");
  ExperimentMetrics m;
  m.lists.request_latency = {1, 2};
  m.errors.failed_requests = 1;
  m.benchmark_duration_s = 2.5;
  m.lists.request_throughput = 0.8;
  const auto facts = RunFacts(config, m);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"Model", "m1, m2"},
      {"Endpoint", "chat at localhost:8000"},
      {"Streaming", "true"},
      {"Load", "concurrency 4"},
      {"Requests", "2 with a response, 1 failed"},
      {"Benchmark duration", "2.50 s"},
      {"Request throughput", "0.80 requests/s"},
  };
  EXPECT_EQ(facts, want);
}

TEST(PlotReportTest, WritesThePageAndOneSvgPerChart) {
  test::TempDir dir;
  PlotReport report{"t", {}, BuildRunCharts(MetricLists{}, PlotData{})};
  ASSERT_EQ(WritePlotReport(dir.path() / "plots", report), "");
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "plots" / "report.html"));
  for (const std::string& stem : kStems) {
    const std::string svg = test::ReadFile(dir.path() / "plots" / (stem + ".svg"));
    EXPECT_EQ(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=", 0), 0u) << stem;
  }
  // A file where the directory should be: a one-line error, not an exception.
  test::TempDir other;
  std::ofstream(other.path() / "plots") << "not a directory";
  EXPECT_NE(WritePlotReport(other.path() / "plots", report), "");
}

// End to end: the real binary against its in-process simulator.
class GeneratePlotsTest : public testing::Test {
 protected:
  static fs::path RunDir(const fs::path& artifacts) {
    for (const auto& e : fs::directory_iterator(artifacts)) {
      if (e.is_directory()) return e.path();
    }
    return {};
  }
};

TEST_F(GeneratePlotsTest, ProfileWritesEveryPlotAndReportRedrawsThemIdenticallyFromTheExport) {
  test::TempDir dir;
  const auto r = test::RunBench({"profile", "--simulator", "--streaming", "--concurrency", "4", "--request-count",
                                 "40", "--isl", "100", "--osl", "50", "--generate-plots", "--artifact-dir",
                                 dir.path().string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = RunDir(dir.path());
  const std::string html = test::ReadFile(run / "plots" / "report.html");
  ASSERT_FALSE(html.empty()) << r.err;
  for (const char* title : {"Time to First Token", "Request Latency",
                            "Distribution of Input Sequence Lengths to Output Sequence Lengths",
                            "Time to First Token vs Input Sequence Lengths",
                            "Token-to-Token Latency vs Output Token Position", "Request Timeline"}) {
    EXPECT_NE(html.find(std::string(">") + title + "</text>"), std::string::npos) << title;
  }
  for (const std::string& stem : kStems) {
    EXPECT_NE(html.find("<figure id=\"" + stem + "\""), std::string::npos) << stem;
    EXPECT_TRUE(fs::is_regular_file(run / "plots" / (stem + ".svg"))) << stem;
  }
  ExpectSelfContained(html);
  EXPECT_NE(html.find("<td>40 with a response, 0 failed</td>"), std::string::npos);
  // 40 requests of 50 one-token chunks: up to 49 chunk latencies each, all drawn (fewer when a
  // loaded machine delivers several chunks in one read, which then count as one response).
  const std::string itl = test::ReadFile(run / "plots" / "token-to-token_latency_vs_output_token_position.svg");
  const size_t points = test::Occurrences(itl, "class=\"pt\"");
  EXPECT_LE(points, 40u * 49);
  EXPECT_GE(points, 40u * 49 / 2);
  EXPECT_NE(itl.find(std::to_string(points) + " points."), std::string::npos);
  // 40 timeline bars.
  const std::string timeline = test::ReadFile(run / "plots" / "request_timeline.svg");
  EXPECT_EQ(test::Occurrences(timeline, "class=\"gen\""), 40u + 1);  // + the legend
  const std::string heatmap =
      test::ReadFile(run / "plots" / "distribution_of_input_sequence_lengths_to_output_sequence_lengths.svg");
  EXPECT_NE(heatmap.find("<title>input 100, output 50: 40 requests</title>"), std::string::npos) << heatmap;
  EXPECT_EQ(test::ReadJson(run / "profile_export_genai_perf.json")["input_config"]["output"]["generate_plots"], true);

  // `bench report` re-reads the export: the same per-request values give the same charts.
  const fs::path redo = dir.path() / "redo";
  const auto rep = test::RunBench({"report", "-f", (run / "profile_export.json").string(), "--generate-plots",
                                   "--artifact-dir", redo.string(), "--quiet"});
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  for (const std::string& stem : kStems) {
    EXPECT_EQ(test::ReadFile(redo / "plots" / (stem + ".svg")), test::ReadFile(run / "plots" / (stem + ".svg")))
        << stem;
  }
}

TEST_F(GeneratePlotsTest, NonStreamingRunsSayThereIsNoTokenLatencyAndNoFlagMeansNoPlots) {
  test::TempDir dir;
  const auto r = test::RunBench({"profile", "--simulator", "--request-count", "10", "--isl", "20", "--osl", "5",
                                 "--generate-plots", "--artifact-dir", dir.path().string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = test::ReadFile(RunDir(dir.path()) / "plots" / "report.html");
  EXPECT_NE(html.find("no request kept two responses (streaming runs only)"), std::string::npos);

  test::TempDir plain;
  ASSERT_EQ(test::RunBench({"profile", "--simulator", "--request-count", "10", "--isl", "20", "--osl", "5",
                            "--artifact-dir", plain.path().string(), "--quiet"})
                .exit_code,
            0);
  EXPECT_FALSE(fs::exists(RunDir(plain.path()) / "plots"));
}

TEST_F(GeneratePlotsTest, ReportRejectsPlotsForAnEndpointWithoutTokensAsGenAiPerfDoes) {
  test::TempDir dir;
  fs::copy_file(test::CasesDir() / "embeddings_openai" / "input_profile_export.json",
                dir.path() / "profile_export.json");
  const auto r = test::RunBench({"report", "-f", (dir.path() / "profile_export.json").string(), "--generate-plots"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--generate-plots: not supported for OPENAI_EMBEDDINGS exports"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "plots"));
  // Without the flag the same export is fine.
  EXPECT_EQ(test::RunBench({"report", "-f", (dir.path() / "profile_export.json").string(), "--quiet"}).exit_code, 0);
}

}  // namespace
}  // namespace bench
