// A script written for GenAI-Perf must work unchanged on bench's artifacts: the seed command's
// run directory, profile_export_genai_perf.json read as users read it, the CSV read as a reader
// that knows GenAI-Perf's two tables, and bench's own file beside them (reference §4.1-§4.5).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> SeedCommand(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--streaming", "--concurrency", "10",
                                   "--request-count", "20", "--synthetic-input-tokens-mean", "200",
                                   "--output-tokens-mean", "100", "--sim-ttft-ms", "2", "--sim-itl-ms", "0.05",
                                   "--artifact-dir", artifacts.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> DirEntries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> CrlfLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t at = 0;
  for (size_t end = text.find("\r\n"); end != std::string::npos; at = end + 2, end = text.find("\r\n", at)) {
    lines.push_back(text.substr(at, end - at));
  }
  EXPECT_EQ(at, text.size()) << "text after the last CRLF";
  return lines;
}

class GenAiPerfArtifactsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    run_ = new test::CommandResult(test::RunBench(SeedCommand(dir_->path(), {"-q"})));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
  }
  static fs::path RunDir() { return dir_->path() / "bench-sim-openai-chat-concurrency10"; }
  static test::TempDir* dir_;
  static test::CommandResult* run_;
};
test::TempDir* GenAiPerfArtifactsTest::dir_ = nullptr;
test::CommandResult* GenAiPerfArtifactsTest::run_ = nullptr;

TEST_F(GenAiPerfArtifactsTest, TheSeedCommandWritesGenAiPerfsDirectoryAndFiles) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  EXPECT_EQ(DirEntries(dir_->path()), (std::vector<std::string>{"bench-sim-openai-chat-concurrency10"}));
  EXPECT_EQ(DirEntries(RunDir()),
            (std::vector<std::string>{"inputs.json", "profile_export.json", "profile_export_bench.json",
                                      "profile_export_genai_perf.csv", "profile_export_genai_perf.json"}));
}

// {k: v["avg"] for k, v in d.items() if k != "input_config"}: every other top-level key is a
// metric with an "avg", and the keys are exactly GenAI-Perf's for a streaming chat run.
TEST_F(GenAiPerfArtifactsTest, EveryTopLevelKeyButInputConfigIsAMetricWithAnAverage) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const nlohmann::ordered_json d = test::ReadOrderedJson(RunDir() / "profile_export_genai_perf.json");
  std::vector<std::string> keys;
  for (const auto& [k, v] : d.items()) {
    keys.push_back(k);
    if (k == "input_config") continue;
    ASSERT_TRUE(v.is_object() && v.contains("avg") && v["avg"].is_number()) << k << ": " << v.dump();
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"request_throughput", "request_latency", "request_count",
                                            "time_to_first_token", "time_to_second_token", "inter_token_latency",
                                            "output_token_throughput", "output_token_throughput_per_user",
                                            "output_sequence_length", "input_sequence_length", "input_config"}));
  std::vector<std::string> config_keys;
  for (const auto& [k, v] : d["input_config"].items()) config_keys.push_back(k);
  EXPECT_EQ(config_keys, (std::vector<std::string>{"model_names", "subcommand", "verbose", "template_filename",
                                                   "analyze", "endpoint", "perf_analyzer", "input", "output",
                                                   "tokenizer", "process"}));
}

// A reader that knows GenAI-Perf's two tables and nothing after them.
TEST_F(GenAiPerfArtifactsTest, TheCsvHoldsGenAiPerfsTwoTablesOnly) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const std::vector<std::string> lines = CrlfLines(test::ReadFile(RunDir() / "profile_export_genai_perf.csv"));
  std::vector<std::string> labels;
  for (const std::string& line : lines) labels.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(labels, (std::vector<std::string>{"Metric", "Time To First Token (ms)", "Time To Second Token (ms)",
                                              "Request Latency (ms)", "Inter Token Latency (ms)",
                                              "Output Token Throughput Per User (tokens/sec/user)",
                                              "Output Sequence Length (tokens)", "Input Sequence Length (tokens)", "",
                                              "Metric", "Output Token Throughput (tokens/sec)",
                                              "Request Throughput (per sec)", "Request Count (count)"}));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "Metric,avg,min,max,p99,p95,p90,p75,p50,p25,p10,p5,p1");
  EXPECT_EQ(lines.back(), "Request Count (count),20.00");
}

TEST_F(GenAiPerfArtifactsTest, BenchsAdditionsAreInTheirOwnFile) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const nlohmann::ordered_json b = test::ReadOrderedJson(RunDir() / "profile_export_bench.json");
  EXPECT_EQ(b.begin().key(), "json_schema_version");
  EXPECT_EQ(b["json_schema_version"], 1);
  EXPECT_EQ(b["client"]["worker_threads"].is_number(), true) << b.dump();
  EXPECT_EQ(b["tokenizer"].dump(), R"({"requested":"builtin","used":"builtin"})");
  EXPECT_FALSE(b.contains("errors"));
}

// -q: the table and nothing else on stdout.
TEST_F(GenAiPerfArtifactsTest, QuietPrintsTheTableOnly) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const std::string& out = run_->out;
  EXPECT_EQ(out.find("NVIDIA GenAI-Perf | LLM Metrics"), out.find_first_not_of(' ')) << out;
  EXPECT_TRUE(out.ends_with("┘\n")) << out;
  EXPECT_EQ(out.find("Client"), std::string::npos) << out;
  EXPECT_EQ(run_->err.find("Client"), std::string::npos) << run_->err;  // no warning: not on stderr either
}

TEST(GenAiPerfArtifactsFallbackTest, AnUnresolvedTokenizerIsRecordedAsBuiltinAndReportUsesIt) {
  test::TempDir dir;
  const auto r = test::RunBench(SeedCommand(dir.path(), {"--tokenizer", "/no/such/models/llama-3", "-q"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-concurrency10";
  const auto gp = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["input_config"]["tokenizer"]["name"], "builtin");
  EXPECT_EQ(test::ReadJson(run / "profile_export_bench.json")["tokenizer"].dump(),
            R"({"requested":"/no/such/models/llama-3","used":"builtin"})");
  const auto report = test::RunBench({"report", "-f", (run / "profile_export.json").string()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.err.find("using the tokenizer the run recorded: builtin"), std::string::npos) << report.err;
  const auto again = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(again["input_sequence_length"], gp["input_sequence_length"]);
  EXPECT_EQ(again["output_sequence_length"], gp["output_sequence_length"]);
}

}  // namespace
}  // namespace bench
