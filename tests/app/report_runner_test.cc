// End-to-end: `bench report` on perf_analyzer exports from GenAI-Perf's own unit tests, with
// the real Llama-2 tokenizer, must reproduce GenAI-Perf's profile_export_genai_perf.json values.

#include <cmath>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

const fs::path kLlama2 = fs::path(BENCH_SHARED_REFERENCE_DIR) / "tokenizers" / "llama2" / "tokenizer.json";

class ReportConformanceTest : public testing::TestWithParam<std::string> {};

TEST_P(ReportConformanceTest, ReproducesGenAiPerfStatistics) {
  if (!fs::exists(kLlama2)) GTEST_SKIP() << "Llama-2 tokenizer not found at " << kLlama2;
  const fs::path case_dir = test::CasesDir() / GetParam();
  test::TempDir dir;
  fs::copy_file(case_dir / "input_profile_export.json", dir.path() / "profile_export.json");
  const auto r = test::RunBench({"report", "--profile-export", (dir.path() / "profile_export.json").string(),
                                 "--tokenizer", kLlama2.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf |"), std::string::npos) << r.out;
  const auto got = test::ReadJson(dir.path() / "profile_export_genai_perf.json");
  const auto expected = test::ReadJson(case_dir / "expected.json")["experiments"][0]["statistics_as_exported"];
  ASSERT_TRUE(expected.is_object());
  int compared = 0;
  for (const auto& [metric, stats] : expected.items()) {
    ASSERT_TRUE(got.contains(metric)) << metric;
    EXPECT_EQ(got[metric]["unit"], stats["unit"]) << metric;
    for (const auto& [stat, value] : stats.items()) {
      if (stat == "unit") continue;
      const double want = value.get<double>();
      const double have = got[metric][stat].get<double>();
      // GenAI-Perf's exported doubles are reproduced to the last bit or within 1e-12.
      EXPECT_NEAR(have, want, std::abs(want) * 1e-12) << metric << "." << stat;
      ++compared;
    }
  }
  EXPECT_GT(compared, 20);
  // No metric GenAI-Perf omits may appear (empty lists are omitted).
  for (const auto& [metric, value] : got.items()) {
    if (metric == "input_config" || metric == "sessions" || metric == "bench") continue;
    EXPECT_TRUE(expected.contains(metric)) << "unexpected metric " << metric;
  }
}

INSTANTIATE_TEST_SUITE_P(GenAiPerfCases, ReportConformanceTest,
                         testing::Values("llm_openai_chat_streaming", "llm_openai_multimodal_streaming",
                                         "llm_openai_chat_multiturn_session", "llm_huggingface_generate",
                                         "llm_triton_kserve_trtllm_two_experiments",
                                         "llm_tensorrtllm_engine_c_api"));

// The base-metric fixtures (embeddings, NIM rankings, TEI rerank) need no tokenizer; each was
// recorded with the goodput constraint request_latency:2.5e-6 ms, so `bench report` is given it.
class ReportBaseMetricsTest : public testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(ReportBaseMetricsTest, ReproducesGenAiPerfStatisticsAndTitle) {
  const auto& [name, title] = GetParam();
  const fs::path case_dir = test::CasesDir() / name;
  test::TempDir dir;
  fs::copy_file(case_dir / "input_profile_export.json", dir.path() / "profile_export.json");
  const auto r = test::RunBench({"report", "--profile-export", (dir.path() / "profile_export.json").string(),
                                 "--goodput", "request_latency:2.5e-06"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | " + title), std::string::npos) << r.out;
  const auto got = test::ReadJson(dir.path() / "profile_export_genai_perf.json");
  const auto expected = test::ReadJson(case_dir / "expected.json")["experiments"][0]["statistics_as_exported"];
  ASSERT_TRUE(expected.contains("request_goodput"));
  int compared = 0;
  for (const auto& [metric, stats] : expected.items()) {
    ASSERT_TRUE(got.contains(metric)) << metric;
    EXPECT_EQ(got[metric]["unit"], stats["unit"]) << metric;
    for (const auto& [stat, value] : stats.items()) {
      if (stat == "unit") continue;
      const double want = value.get<double>();
      EXPECT_NEAR(got[metric][stat].get<double>(), want, std::abs(want) * 1e-12) << metric << "." << stat;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 1 + 13 + 1 + 1);  // throughput, 13 latency statistics, goodput, count
  for (const auto& [metric, value] : got.items()) {
    if (metric == "input_config" || metric == "bench") continue;
    EXPECT_TRUE(expected.contains(metric)) << "unexpected metric " << metric;
  }
}

INSTANTIATE_TEST_SUITE_P(GenAiPerfCases, ReportBaseMetricsTest,
                         testing::Values(std::pair<std::string, std::string>{"embeddings_openai", "Embeddings Metrics"},
                                         std::pair<std::string, std::string>{"rankings_nim", "Rankings Metrics"},
                                         std::pair<std::string, std::string>{"rankings_huggingface_tei",
                                                                             "Rankings Metrics"}));

TEST(ReportRunnerTest, MalformedExportIsAnInputErrorNamingTheField) {
  test::TempDir dir;
  const fs::path bad = dir.path() / "bad.json";
  {
    std::ofstream f(bad);
    f << R"({"experiments":[{"experiment":{"mode":"concurrency","value":1},"requests":[{"timestamp":"x"}]}]})";
  }
  const auto r = test::RunBench({"report", "--profile-export", bad.string(), "--tokenizer", "builtin"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("timestamp"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "bad_genai_perf.json"));
}

TEST(ReportRunnerTest, WritesBesideTheExportByDefaultAndHonoursArtifactDir) {
  if (!fs::exists(kLlama2)) GTEST_SKIP() << "Llama-2 tokenizer not found at " << kLlama2;
  test::TempDir dir;
  fs::copy_file(test::CasesDir() / "llm_openai_chat_streaming" / "input_profile_export.json",
                dir.path() / "my_export.json");
  const auto r = test::RunBench({"report", "-f", (dir.path() / "my_export.json").string(), "--tokenizer",
                                 kLlama2.string(), "--artifact-dir", (dir.path() / "out").string(),
                                 "--goodput", "time_to_first_token:1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto got = test::ReadJson(dir.path() / "out" / "my_export_genai_perf.json");
  // Both requests have TTFT of a few ns, far below 1 ms: goodput = all requests / duration.
  EXPECT_DOUBLE_EQ(got["request_goodput"]["avg"].get<double>(), got["request_throughput"]["avg"].get<double>());
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "my_export_genai_perf.csv"));
  EXPECT_NE(r.out.find("Request Goodput (per sec)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

// A report rerun in place recomputes GenAI-Perf's files exactly as the live run wrote them and
// keeps what only the live run measured (the client's own load, ...) in the bench file.
TEST(ReportInPlaceTest, MatchesTheLiveRunAndKeepsItsClientFigures) {
  test::TempDir dir;
  const auto live = test::RunBench({"profile", "--simulator", "--streaming", "--request-count", "12", "--osl", "8",
                                    "--concurrency", "2", "--artifact-dir", dir.path().string(), "-q"});
  ASSERT_EQ(live.exit_code, 0) << live.err;
  fs::path run;
  for (const auto& e : fs::directory_iterator(dir.path())) run = e.path();
  const std::string genai_perf = test::ReadFile(run / "profile_export_genai_perf.json");
  const std::string csv = test::ReadFile(run / "profile_export_genai_perf.csv");
  const auto before = test::ReadJson(run / "profile_export_bench.json");
  ASSERT_TRUE(before.contains("client")) << before.dump();
  const auto r = test::RunBench({"report", "--profile-export", (run / "profile_export.json").string(), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::ReadFile(run / "profile_export_genai_perf.json"), genai_perf);
  EXPECT_EQ(test::ReadFile(run / "profile_export_genai_perf.csv"), csv);
  const auto after = test::ReadJson(run / "profile_export_bench.json");
  EXPECT_EQ(after["client"], before["client"]);
  EXPECT_EQ(after["events_sharing_timestamp"], before["events_sharing_timestamp"]);
  EXPECT_EQ(after["tokenizer"], before["tokenizer"]);
}

}  // namespace
}  // namespace bench
