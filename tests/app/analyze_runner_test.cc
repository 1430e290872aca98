// End-to-end: `bench analyze` against the in-process simulator on 127.0.0.1:0.

#include "app/analyze_runner.h"

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// Tiny, fast points: 4 requests of 8 prompt tokens and 4 output tokens, 1 ms per token.
std::vector<std::string> SweepArgs(const fs::path& artifacts, std::vector<std::string> sweep,
                                   const std::string& ttft_ms = "1") {
  std::vector<std::string> args = {"analyze", "--simulator", "--streaming", "--request-count", "4",
                                    "--osl", "4", "--isl", "8", "--num-dataset-entries", "4",
                                    "--sim-ttft-ms", ttft_ms, "--sim-itl-ms", "1",
                                    "--artifact-dir", artifacts.string()};
  args.insert(args.end(), sweep.begin(), sweep.end());
  return args;
}

std::vector<std::string> CsvLines(const fs::path& file) {
  std::vector<std::string> lines;
  const std::string text = test::ReadFile(file);
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find("\r\n", start);
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(AnalyzeRunnerTest, SweepPointConfigSetsTheParameterNameAndRequestCount) {
  AnalyzeConfig a;
  a.profile.models = {"M"};
  a.sweep.type = SweepType::kConcurrency;
  ProfileConfig p = SweepPointConfig(a, 16);
  EXPECT_EQ(p.concurrency, 16);
  EXPECT_EQ(p.request_count, 32);  // max(10, 2 x concurrency) for each point
  EXPECT_EQ(p.sweep_point->value, "16");
  a.profile.request_count = 5;
  a.profile.request_count_given = true;
  EXPECT_EQ(SweepPointConfig(a, 16).request_count, 5);

  a.sweep.type = SweepType::kRequestRate;
  p = SweepPointConfig(a, 2.5);
  EXPECT_EQ(p.request_rate, 2.5);
  EXPECT_EQ(p.sweep_point->parameter, "request_rate");

  a.sweep.type = SweepType::kInputSequenceLength;
  a.profile.synthetic_input_tokens_clip = std::pair<int, int>{10, 20};
  p = SweepPointConfig(a, 128);
  EXPECT_EQ(p.synthetic_input_tokens_mean, 128);
  EXPECT_FALSE(p.synthetic_input_tokens_clip.has_value());

  EXPECT_EQ(CheckpointPath(a.profile), fs::path("artifacts/checkpoint/checkpoint.json"));
  a.profile.checkpoint_dir = "/tmp/cp";
  EXPECT_EQ(CheckpointPath(a.profile), fs::path("/tmp/cp/checkpoint.json"));
}

TEST(AnalyzeRunnerTest, ConcurrencySweepWritesOneRunPerPointTheCsvAndTheSummary) {
  test::TempDir dir;
  const auto r = test::RunBench(SweepArgs(dir.path(), {"--sweep-type", "concurrency", "--sweep-list", "1,2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (int c : {1, 2}) {
    const fs::path run = dir.path() / ("bench-sim-openai-chat-concurrency" + std::to_string(c));
    ASSERT_TRUE(fs::exists(run / "profile_export_genai_perf.json")) << run;
    const auto pa = test::ReadJson(run / "profile_export.json");
    EXPECT_EQ(pa["experiments"][0]["experiment"]["value"], c);
    EXPECT_EQ(pa["experiments"][0]["requests"].size(), 4u);
    const auto gp = test::ReadJson(run / "profile_export_genai_perf.json");
    EXPECT_EQ(gp["input_config"]["subcommand"], "analyze");
  }
  const auto lines = CsvLines(dir.path() / "analyze_export_genai_perf.csv");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].substr(0, 48), "Config Name,Concurrency,ISL,Num Dataset Entries,");
  EXPECT_EQ(lines[1].substr(0, 27), "bench-sim_run_config_0,1,8,");
  EXPECT_EQ(lines[2].substr(0, 27), "bench-sim_run_config_1,2,8,");
  EXPECT_EQ(lines[3], "");
  EXPECT_EQ(lines[4].substr(0, 16), "Config Name,GPU,");
  // Each point's GenAI-Perf table, then one summary with a row per point.
  EXPECT_EQ(Count(r.out, "NVIDIA GenAI-Perf | LLM Metrics"), 2) << r.out;
  EXPECT_NE(r.out.find("Sweep summary: concurrency (times in ms)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("analyze: sweeping concurrency over 2 point(s): 1, 2"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "checkpoint")) << "no checkpoint without --enable-checkpointing";
}

TEST(AnalyzeRunnerTest, LinearRequestRateRangeAndInputLengthSweep) {
  test::TempDir dir;
  auto r = test::RunBench(SweepArgs(dir.path() / "rate", {"--sweep-type", "request_rate", "--sweep-range", "20:40:20"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "rate" / "bench-sim-openai-chat-request_rate20"));
  EXPECT_TRUE(fs::exists(dir.path() / "rate" / "bench-sim-openai-chat-request_rate40"));
  auto lines = CsvLines(dir.path() / "rate" / "analyze_export_genai_perf.csv");
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0].substr(0, 25), "Config Name,Request Rate,");
  EXPECT_EQ(lines[2].substr(0, 26), "bench-sim_run_config_1,40,");

  r = test::RunBench(SweepArgs(dir.path() / "isl", {"--sweep-type", "input_sequence_length", "--sweep-list", "6,12"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--synthetic-input-tokens-mean is ignored"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "isl" / "bench-sim-openai-chat-input_sequence_length6"));
  lines = CsvLines(dir.path() / "isl" / "analyze_export_genai_perf.csv");
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[1].substr(0, 27), "bench-sim_run_config_0,1,6,");  // ISL = int(p99 ISL)
  EXPECT_EQ(lines[2].substr(0, 28), "bench-sim_run_config_1,1,12,");
}

TEST(AnalyzeRunnerTest, CheckpointSkipsFinishedPointsOnARerun) {
  test::TempDir dir;
  auto r = test::RunBench(SweepArgs(dir.path(), {"--sweep-list", "1", "--enable-checkpointing"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path checkpoint = dir.path() / "checkpoint" / "checkpoint.json";
  ASSERT_TRUE(fs::exists(checkpoint));
  const fs::path first = dir.path() / "bench-sim-openai-chat-concurrency1" / "profile_export.json";
  const std::string first_export = test::ReadFile(first);

  // The same command with one more point: the first is skipped, in one stderr line.
  r = test::RunBench(SweepArgs(dir.path(), {"--sweep-list", "1,2", "--enable-checkpointing"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Count(r.err, "skipping"), 1) << r.err;
  EXPECT_NE(r.err.find("1 of 2 points already measured (concurrency 1), skipping them"), std::string::npos) << r.err;
  EXPECT_EQ(Count(r.err, "profiling http"), 1) << r.err;
  EXPECT_EQ(test::ReadFile(first), first_export) << "the finished point was measured again";
  auto lines = CsvLines(dir.path() / "analyze_export_genai_perf.csv");
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[1].substr(0, 25), "bench-sim_run_config_0,1,");
  EXPECT_EQ(lines[2].substr(0, 25), "bench-sim_run_config_1,2,");
  EXPECT_NE(r.out.find("Sweep summary"), std::string::npos);
  const auto cp = test::ReadJson(checkpoint);
  EXPECT_EQ(cp["points"].size(), 2u);

  // A different workload is not the same point.
  r = test::RunBench(SweepArgs(dir.path(), {"--sweep-list", "1", "--enable-checkpointing", "--random-seed", "3"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("skipping"), std::string::npos) << r.err;
}

// Starts bench in the background with stdout/stderr in files under `dir`.
pid_t StartBench(const std::vector<std::string>& args, const fs::path& dir) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int out_fd = open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    setenv("HF_HUB_OFFLINE", "1", 1);
    std::vector<std::string> copy = args;
    std::string binary = BENCH_BINARY;
    std::vector<char*> argv{binary.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

TEST(AnalyzeRunnerTest, CtrlCStopsTheSweepAndLeavesTheInterruptedPointUnfinished) {
  test::TempDir dir;
  // Slow points (4 requests of ~150 ms) so that the interrupt lands inside the second one.
  const std::vector<std::string> args =
      SweepArgs(dir.path() / "a", {"--sweep-list", "1,2,3", "--enable-checkpointing"}, "150");
  const pid_t pid = StartBench(args, dir.path());
  const fs::path first = dir.path() / "a" / "bench-sim-openai-chat-concurrency1";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  bool exited = false;
  while (!fs::exists(first / "profile_export_genai_perf.json") && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited) {
    kill(pid, SIGINT);
    waitpid(pid, &status, 0);
  }
  const std::string err = test::ReadFile(dir.path() / "stderr");
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130) << err;
  EXPECT_NE(err.find("interrupted: 1 of 3 points finished; rerun the same command to continue"), std::string::npos)
      << err;
  const auto cp = test::ReadJson(dir.path() / "a" / "checkpoint" / "checkpoint.json");
  ASSERT_EQ(cp["points"].size(), 1u);
  EXPECT_EQ(cp["points"][0]["summary"]["value"], "1");
  EXPECT_FALSE(fs::exists(dir.path() / "a" / "bench-sim-openai-chat-concurrency3"));
  EXPECT_EQ(CsvLines(dir.path() / "a" / "analyze_export_genai_perf.csv").size(), 4u);  // one point row

  // Rerunning continues with the interrupted point.
  const auto r = test::RunBench(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 of 3 points already measured (concurrency 1), skipping them"), std::string::npos) << r.err;
  EXPECT_EQ(test::ReadJson(dir.path() / "a" / "checkpoint" / "checkpoint.json")["points"].size(), 3u);
}

TEST(AnalyzeRunnerTest, BadSweepsAreOneLineUsageErrors) {
  test::TempDir dir;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--sweep-range", "10:1"}, "bench: error: --sweep-range '10:1': min 10 is greater than max 1\n"},
      {{"--sweep-list", ""}, "bench: error: --sweep-list: empty (expected comma-separated values, e.g. 1,2,4)\n"},
      {{"--sweep-type", "tokens"},
       "bench: error: --sweep-type 'tokens': expected one of concurrency, request_rate, input_sequence_length, "
       "num_dataset_entries, batch_size\n"},
      {{"--sweep-type", "concurrency", "--request-rate", "5"},
       "bench: error: --sweep-type concurrency: cannot be combined with --request-rate (sweep request_rate, or drop "
       "it)\n"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args = {"analyze", "--simulator", "--artifact-dir", dir.path().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = test::RunBench(args);
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_EQ(r.err, message);
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(AnalyzeRunnerTest, ProfileAcceptsGenAiPerfsCheckpointFlags) {
  const auto r = test::RunBench({"profile", "--help"});
  EXPECT_NE(r.out.find("--enable-checkpointing"), std::string::npos);
  EXPECT_NE(r.out.find("--checkpoint-dir"), std::string::npos);
}

}  // namespace
}  // namespace bench
