// End-to-end: `bench process-export-files` on hand-made runs with hand-computed results, and on
// two runs made at the same time against the built-in simulator.

#include <cmath>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One non-streaming chat request: prompt "alpha beta gamma" (4 tokens with the builtin
// tokenizer, `bench tokenize --tokenizer builtin --text ...`), answer "The quick brown fox"
// (5 tokens).
json ChatRequest(int64_t sent_ns, int64_t answered_ns) {
  const json body = {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "alpha beta gamma"}}}}};
  const json answer = {{"id", "1"},
                       {"object", "chat.completion"},
                       {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "The quick brown fox"}}}}}}};
  return {{"timestamp", sent_ns},
          {"request_inputs", {{"payload", body.dump()}}},
          {"response_timestamps", {answered_ns}},
          {"response_outputs", {{{"response", answer.dump()}}}}};
}

// A run directory as `bench profile` leaves it (inputs.json included, to be ignored).
void WriteRun(const fs::path& dir, const std::vector<json>& requests, double request_throughput, double gpu_power) {
  fs::create_directories(dir);
  const json run = {{"experiments", {{{"experiment", {{"mode", "concurrency"}, {"value", 2}}},
                                      {"requests", requests},
                                      {"window_boundaries", json::array()}}}},
                    {"version", "test"},
                    {"service_kind", "openai"},
                    {"endpoint", "v1/chat/completions"}};
  std::ofstream(dir / "profile_export.json") << run.dump();
  std::ofstream(dir / "inputs.json") << R"({"data": []})";
  const json genai_perf = {
      {"request_throughput", {{"unit", "requests/sec"}, {"avg", request_throughput}}},
      {"output_token_throughput", {{"unit", "tokens/sec"}, {"avg", 5 * request_throughput}}},
      {"telemetry_stats", {{"gpu_power_usage", {{"unit", "W"}, {"gpu0", {{"avg", gpu_power}}}}},
                           {"gpu_memory_used", {{"unit", "GB"}, {"gpu0", {{"avg", gpu_power / 10}}}}}}},
      {"input_config", {{"model_names", {"m"}},
                        {"subcommand", "profile"},
                        {"endpoint", {{"type", "chat"}, {"streaming", false}, {"url", dir.filename().string()}}},
                        {"perf_analyzer", {{"stimulus", {{"concurrency", 2}}}}},
                        {"input", {{"goodput", {{"request_latency", 25}}}}},
                        {"output", {{"artifact_directory", "artifacts"}, {"profile_export_file", "profile_export.json"}}},
                        {"tokenizer", {{"name", "builtin"}, {"revision", "main"}}}}}};
  std::ofstream(dir / "profile_export_genai_perf.json") << genai_perf.dump(2);
}

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kT0 = 1'700'000'000'000'000'000;

TEST(ProcessExportFilesTest, MergesTwoRunsWithHandComputedResults) {
  test::TempDir dir;
  const fs::path runs = dir.path() / "runs";
  // Latencies 10 and 30 ms on host-a, 20 and 40 ms on host-b; spans [0, 50] and [5, 70] ms.
  WriteRun(runs / "host-a", {ChatRequest(kT0, kT0 + 10 * kMs), ChatRequest(kT0 + 20 * kMs, kT0 + 50 * kMs)}, 40.0, 100.0);
  WriteRun(runs / "host-b", {ChatRequest(kT0 + 5 * kMs, kT0 + 25 * kMs), ChatRequest(kT0 + 30 * kMs, kT0 + 70 * kMs)}, 30.0,
           200.0);
  fs::create_directories(runs / "notes");  // no run in it: skipped
  const auto r = test::RunBench({"process-export-files", "-d", runs.string(), "--artifact-dir", (dir.path() / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path merged = dir.path() / "out" / "m-openai-chat-concurrency2";
  const json got = test::ReadRunJson(merged / "profile_export_genai_perf.json");

  // Latencies {10, 30, 20, 40} ms: mean 25, numpy percentiles on the sorted 10, 20, 30, 40.
  const json& latency = got["request_latency"];
  EXPECT_DOUBLE_EQ(latency["avg"].get<double>(), 25.0);
  EXPECT_DOUBLE_EQ(latency["min"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(latency["max"].get<double>(), 40.0);
  EXPECT_NEAR(latency["p50"].get<double>(), 25.0, 1e-12);
  EXPECT_NEAR(latency["p75"].get<double>(), 32.5, 1e-12);
  EXPECT_NEAR(latency["p99"].get<double>(), 39.7, 1e-12);
  EXPECT_NEAR(latency["std"].get<double>(), std::sqrt(125.0), 1e-12);
  EXPECT_EQ(got["request_count"]["avg"], 4.0);
  EXPECT_EQ(got["output_sequence_length"]["avg"], 5.0);
  EXPECT_EQ(got["input_sequence_length"]["avg"], 4.0);
  // Throughputs over the union of the spans, 70 ms: 4 requests and 20 tokens.
  EXPECT_NEAR(got["request_throughput"]["avg"].get<double>(), 4 / 0.070, 1e-9);
  EXPECT_NEAR(got["output_token_throughput"]["avg"].get<double>(), 20 / 0.070, 1e-9);
  // The first run's goodput constraint, 25 ms, over the union: 2 good requests.
  EXPECT_NEAR(got["request_goodput"]["avg"].get<double>(), 2 / 0.070, 1e-9);
  // GenAI-Perf's numbers beside them: the sums of the runs' own throughputs.
  EXPECT_DOUBLE_EQ(got["bench"]["merge"]["request_throughput_sum"].get<double>(), 70.0);
  EXPECT_DOUBLE_EQ(got["bench"]["merge"]["output_token_throughput_sum"].get<double>(), 350.0);
  // Shared time [5, 50] ms over the combined [0, 70] ms.
  EXPECT_NEAR(got["bench"]["merge"]["overlap_percent"].get<double>(), 100.0 * 45 / 70, 1e-9);
  EXPECT_EQ(got["bench"]["merge"]["runs"].size(), 2u);
  // Telemetry: mean power, maximum memory.
  EXPECT_DOUBLE_EQ(got["telemetry_stats"]["gpu_power_usage"]["gpu0"]["avg"].get<double>(), 150.0);
  EXPECT_DOUBLE_EQ(got["telemetry_stats"]["gpu_memory_used"]["gpu0"]["avg"].get<double>(), 20.0);
  EXPECT_EQ(got["input_config"]["subcommand"], "process-export-files");
  EXPECT_EQ(got["input_config"]["process"]["input_path"], runs.string());

  // The merged export holds every request, host-a's first.
  const json exported = test::ReadJson(merged / "profile_export.json");
  ASSERT_EQ(exported["experiments"][0]["requests"].size(), 4u);
  EXPECT_EQ(exported["experiments"][0]["requests"][2]["timestamp"].get<int64_t>(), kT0 + 5 * kMs);
  EXPECT_TRUE(fs::exists(merged / "profile_export_genai_perf.csv"));
  EXPECT_NE(r.out.find("Sum Of Runs' Request Throughput (per sec): 70.00"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("overlap in time for only 64%"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("skipping"), std::string::npos) << r.err;
}

TEST(ProcessExportFilesTest, ErrorsAreInputOrUsageErrors) {
  test::TempDir dir;
  fs::create_directories(dir.path() / "empty" / "x");
  auto r = test::RunBench({"process-export-files", "-d", (dir.path() / "empty").string()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no run found"), std::string::npos) << r.err;

  r = test::RunBench({"process-export-files", "-d", (dir.path() / "missing").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;

  WriteRun(dir.path() / "runs" / "a", {ChatRequest(kT0, kT0 + kMs)}, 1, 1);
  std::ofstream(dir.path() / "runs" / "a" / "profile_export.json") << "{\"experiments\": 3}";
  r = test::RunBench({"process-export-files", "-d", (dir.path() / "runs").string(), "--artifact-dir",
                      (dir.path() / "out").string()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("experiments"), std::string::npos) << r.err;

  // The merged run may not land on top of an input run.
  WriteRun(dir.path() / "base" / "m-openai-chat-concurrency2", {ChatRequest(kT0, kT0 + kMs)}, 1, 1);
  r = test::RunBench({"process-export-files", "-d", (dir.path() / "base").string(), "--artifact-dir",
                      (dir.path() / "base").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--artifact-dir"), std::string::npos) << r.err;
}

TEST(ProcessExportFilesTest, MergesTwoSimultaneousSimulatorRuns) {
  test::TempDir dir;
  // Two clients at once, as on two machines; each its own simulator (a server per client here).
  auto profile = [&](const std::string& host, test::CommandResult& result) {
    result = test::RunBench({"profile", "--simulator", "--streaming", "--concurrency", "2", "--request-count", "8",
                             "--isl", "32", "--osl", "8", "--random-seed", host == "a" ? "1" : "2", "--quiet",
                             "--artifact-dir", (dir.path() / host).string()});
  };
  test::CommandResult a, b;
  std::thread ta(profile, "a", std::ref(a));
  std::thread tb(profile, "b", std::ref(b));
  ta.join();
  tb.join();
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const fs::path runs = dir.path() / "runs";
  json per_run[2];
  int i = 0;
  for (const char* host : {"a", "b"}) {
    const fs::path run_dir = *fs::directory_iterator(dir.path() / host);
    fs::create_directories(runs / host);
    for (const auto& f : fs::directory_iterator(run_dir)) fs::copy_file(f.path(), runs / host / f.path().filename());
    per_run[i++] = test::ReadJson(run_dir / "profile_export_genai_perf.json");
  }
  const auto r = test::RunBench({"process-export-files", "-d", runs.string(), "--artifact-dir", (dir.path() / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json got = test::ReadRunJson(dir.path() / "out" / "bench-sim-openai-chat-concurrency2" / "profile_export_genai_perf.json");
  EXPECT_EQ(got["request_count"]["avg"], 16.0);
  for (const char* metric : {"request_latency", "time_to_first_token", "inter_token_latency"}) {
    // Equal request counts: the merged mean is the mean of the runs' means; the extremes are theirs.
    const double mean = (per_run[0][metric]["avg"].get<double>() + per_run[1][metric]["avg"].get<double>()) / 2;
    EXPECT_NEAR(got[metric]["avg"].get<double>(), mean, std::abs(mean) * 1e-9) << metric;
    EXPECT_EQ(got[metric]["min"], std::min(per_run[0][metric]["min"], per_run[1][metric]["min"])) << metric;
    EXPECT_EQ(got[metric]["max"], std::max(per_run[0][metric]["max"], per_run[1][metric]["max"])) << metric;
  }
  EXPECT_EQ(got["output_sequence_length"]["avg"], 8.0);
  const double sum = per_run[0]["request_throughput"]["avg"].get<double>() + per_run[1]["request_throughput"]["avg"].get<double>();
  EXPECT_DOUBLE_EQ(got["bench"]["merge"]["request_throughput_sum"].get<double>(), sum);
  // Runs that ran together: the merged throughput is close to the sum (not equal: the spans differ a little).
  EXPECT_GT(got["request_throughput"]["avg"].get<double>(), 0.5 * sum);
  EXPECT_LE(got["request_throughput"]["avg"].get<double>(), sum * 1.0001);
}

}  // namespace
}  // namespace bench
