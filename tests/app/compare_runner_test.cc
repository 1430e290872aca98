// `bench compare`: two simulator runs end to end, and GenAI-Perf JSON files without per-request data.

#include "app/compare_runner.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// Runs the simulator with `ttft_ms`, writing under `dir`; returns the run's artifact directory.
fs::path SimulatedRun(const fs::path& dir, const std::string& ttft_ms) {
  const auto r = test::RunBench({"profile", "--simulator", "--streaming", "--concurrency", "2", "--request-count",
                                 "24", "--isl", "10", "--osl", "4", "--sim-ttft-ms", ttft_ms, "--sim-itl-ms", "1",
                                 "--quiet", "--artifact-dir", dir.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir / "bench-sim-openai-chat-concurrency2";
}

TEST(CompareRunnerTest, SlowerCandidateIsASignificantRegression) {
  test::TempDir dir;
  const fs::path base = SimulatedRun(dir.path() / "base", "10");
  const fs::path slow = SimulatedRun(dir.path() / "slow", "40");
  const auto r = test::RunBench({"compare", base.string(), slow.string(), "--max-regression", "5%"});
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.out.find("time_to_first_token (ms)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("REGRESSION"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("p (Mann-Whitney)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("regression beyond --max-regression 5%: avg(time_to_first_token)"), std::string::npos)
      << r.err;
  // Reversed, the candidate is faster: no regression on latency.
  const auto faster = test::RunBench({"compare", slow.string(), base.string(), "--max-regression", "5%", "--metrics",
                                      "time_to_first_token,request_latency"});
  EXPECT_EQ(faster.exit_code, 0) << faster.out << faster.err;
  EXPECT_NE(faster.out.find("better"), std::string::npos) << faster.out;
  // Without --max-regression, compare only reports.
  EXPECT_EQ(test::RunBench({"compare", base.string(), slow.string(), "--quiet"}).exit_code, 0);
}

TEST(CompareRunnerTest, SameConfigurationPasses) {
  test::TempDir dir;
  // A long TTFT so that a busy machine's scheduling delays (a few ms) stay far inside the
  // tolerance: the test is about the verdict, not about this machine's quietness.
  const fs::path a = SimulatedRun(dir.path() / "a", "200");
  const fs::path b = SimulatedRun(dir.path() / "b", "200");
  // Base artifact dirs work too (one run inside each).
  const auto r = test::RunBench({"compare", (dir.path() / "a").string(), (dir.path() / "b").string(),
                                 "--max-regression", "10%", "--metrics", "time_to_first_token,request_latency"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("REGRESSION"), std::string::npos) << r.out;
}

void WriteGenAiPerfJson(const fs::path& path, double ttft_avg, double throughput) {
  std::ofstream f(path);
  f << nlohmann::json{
           {"time_to_first_token", {{"unit", "ms"}, {"avg", ttft_avg}, {"p50", ttft_avg}, {"p99", ttft_avg * 1.5}}},
           {"output_sequence_length", {{"unit", "tokens"}, {"avg", 100.0}, {"p50", 100.0}, {"p99", 100.0}}},
           {"output_token_throughput", {{"unit", "tokens/sec"}, {"avg", throughput}}},
           {"input_config", {{"model", {"m"}}}}}
           .dump(2);
}

TEST(CompareRunnerTest, GenAiPerfJsonFilesUsePointEstimates) {
  test::TempDir dir;
  WriteGenAiPerfJson(dir.path() / "base_genai_perf.json", 100.0, 1000.0);
  WriteGenAiPerfJson(dir.path() / "cand_genai_perf.json", 103.0, 900.0);
  const auto r = test::RunBench({"compare", (dir.path() / "base_genai_perf.json").string(),
                                 (dir.path() / "cand_genai_perf.json").string(), "--max-regression", "5%"});
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;  // throughput -10%: beyond 5%
  EXPECT_NE(r.out.find("+3.00%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-10.00%"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("avg(output_token_throughput) 1000.00 -> 900.00 tokens/sec (-10.00%)"), std::string::npos)
      << r.err;
  // TTFT +3% and +3% at p99 stay within 10%.
  const auto lenient = test::RunBench({"compare", (dir.path() / "base_genai_perf.json").string(),
                                       (dir.path() / "cand_genai_perf.json").string(), "--max-regression", "10%"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.out << lenient.err;
}

TEST(CompareRunnerTest, BadInputsAreReported) {
  test::TempDir dir;
  auto r = test::RunBench({"compare", (dir.path() / "missing").string(), (dir.path() / "x").string()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no such file or directory"), std::string::npos) << r.err;
  r = test::RunBench({"compare", dir.path().string(), dir.path().string()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no *_genai_perf.json inside"), std::string::npos) << r.err;
  r = test::RunBench({"compare", dir.path().string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = test::RunBench({"compare", "a", "b", "--max-regression", "lots"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--max-regression 'lots'"), std::string::npos) << r.err;
}

TEST(CompareRunnerTest, BetterDirection) {
  EXPECT_EQ(BetterDirection("time_to_first_token", "ms"), -1);
  EXPECT_EQ(BetterDirection("error_rate", "%"), -1);
  EXPECT_EQ(BetterDirection("output_token_throughput", "tokens/sec"), 1);
  EXPECT_EQ(BetterDirection("request_goodput", "requests/sec"), 1);
  EXPECT_EQ(BetterDirection("output_sequence_length", "tokens"), 0);
}

}  // namespace
}  // namespace bench
