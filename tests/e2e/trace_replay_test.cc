// End-to-end: trace replay (--fixed-schedule) and time-based runs (--benchmark-duration) with the
// real bench binary against the in-process simulator. No wall-clock upper bounds: the machine
// is shared; only the schedule's own arithmetic is compared exactly.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

fs::path WriteFiveLineTrace(const fs::path& dir) {
  const fs::path path = dir / "trace.jsonl";
  std::ofstream f(path);
  for (int k = 0; k < 5; ++k) {
    f << "{\"timestamp\": " << k * 50 << ", \"input_length\": 20, \"output_length\": 4}\n";
  }
  return path;
}

test::CommandResult RunTraceSim(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--streaming", "--sim-ttft-ms", "5",
                                    "--sim-itl-ms", "1", "--artifact-dir", artifacts.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::RunBench(args);
}

std::vector<int64_t> SortedIntended(const nlohmann::json& requests) {
  std::vector<int64_t> out;
  for (const auto& r : requests) out.push_back(r.at("intended_timestamp").get<int64_t>());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TraceReplayTest, FixedScheduleSendsEachLineAtItsTimestampOverSpeedup) {
  test::TempDir dir;
  const fs::path trace = WriteFiveLineTrace(dir.path());
  const auto r = RunTraceSim(dir.path(), {"--input-file", "payload:" + trace.string(), "--fixed-schedule",
                                     "--schedule-speedup", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-fixed_schedule";
  ASSERT_TRUE(fs::exists(run / "profile_export.json")) << r.err;
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& experiment = pa["experiments"][0];
  EXPECT_EQ(experiment["experiment"]["mode"], "request_rate");
  EXPECT_EQ(experiment["experiment"]["value"], 0.0);
  const auto& requests = experiment["requests"];
  ASSERT_EQ(requests.size(), 5u);
  const std::vector<int64_t> intended = SortedIntended(requests);
  for (size_t k = 1; k < intended.size(); ++k) EXPECT_EQ(intended[k] - intended[k - 1], 25'000'000) << k;
  for (const auto& req : requests) {
    EXPECT_GE(req["timestamp"].get<int64_t>(), req["intended_timestamp"].get<int64_t>());
    EXPECT_FALSE(req.contains("error")) << req.dump();
  }
  const auto inputs = test::ReadJson(run / "inputs.json");
  ASSERT_EQ(inputs["data"].size(), 5u);
  EXPECT_EQ(inputs["data"][4]["timestamp"], nlohmann::json::array({200}));
  EXPECT_EQ(inputs["data"][0]["payload"][0]["max_tokens"], 4);
  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["request_count"]["avg"], 5.0);
  EXPECT_TRUE(gp["bench"].contains("schedule_lag"));
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["stimulus"]["fixed_schedule"], "");  // GenAI-Perf writes None as ""
}

TEST(TraceReplayTest, WarmUpIsTheFirstLinesAndTheMeasuredScheduleStartsAtTheNext) {
  test::TempDir dir;
  const fs::path trace = WriteFiveLineTrace(dir.path());
  const auto r = RunTraceSim(dir.path(), {"--input-file", "payload:" + trace.string(), "--fixed-schedule", "true",
                                     "--warmup-request-count", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-fixed_schedule" / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 3u);  // lines - warm-up
  const std::vector<int64_t> intended = SortedIntended(requests);
  for (size_t k = 1; k < intended.size(); ++k) EXPECT_EQ(intended[k] - intended[k - 1], 50'000'000) << k;
}

TEST(TraceReplayTest, TooMuchWarmUpForTheTraceIsAUsageError) {
  test::TempDir dir;
  const fs::path trace = WriteFiveLineTrace(dir.path());
  const auto r = RunTraceSim(dir.path(), {"--input-file", "payload:" + trace.string(), "--fixed-schedule",
                                     "--warmup-request-count", "5"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--warmup-request-count"), std::string::npos) << r.err;
}

TEST(TraceReplayTest, PayloadInputWithoutAStimulusRunsAtConcurrencyOneWithNoStimulusInTheName) {
  test::TempDir dir;
  const fs::path trace = WriteFiveLineTrace(dir.path());
  // "false" really turns the schedule off (GenAI-Perf's type=bool would treat it as true).
  const auto r = RunTraceSim(dir.path(), {"--input-file", "payload:" + trace.string(), "--fixed-schedule", "false",
                                     "--request-count", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat" / "profile_export.json");
  EXPECT_EQ(pa["experiments"][0]["experiment"]["mode"], "concurrency");
  EXPECT_EQ(pa["experiments"][0]["experiment"]["value"], 1);
  EXPECT_EQ(pa["experiments"][0]["requests"].size(), 3u);
}

TEST(TraceReplayTest, ABadTraceLineIsAnInputErrorNamingFileLineAndField) {
  test::TempDir dir;
  const fs::path trace = dir.path() / "bad.jsonl";
  std::ofstream(trace) << "{\"timestamp\": 0, \"text\": \"hi\"}\n{\"timestamp\": \"soon\", \"text\": \"hi\"}\n";
  const auto r = RunTraceSim(dir.path(), {"--input-file", "payload:" + trace.string(), "--fixed-schedule"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find(trace.string() + ":2: field 'timestamp': expected an integer"), std::string::npos) << r.err;
}

TEST(TraceReplayTest, BenchmarkDurationClosedLoopSendsUntilTheDeadline) {
  test::TempDir dir;
  const auto r = RunTraceSim(dir.path(), {"--concurrency", "2", "--benchmark-duration", "0.5", "--isl", "10",
                                     "--osl", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-concurrency2" / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  EXPECT_GE(requests.size(), 2u);
  for (const auto& req : requests) EXPECT_FALSE(req.contains("error")) << req.dump();  // --drain wait
}

TEST(TraceReplayTest, BenchmarkDurationWithDrainCancelFinishesNothingAfterTheDeadline) {
  test::TempDir dir;
  // ~5 + 30 ms per request: several finish inside 0.5 s, and two are in flight at the deadline.
  const auto r = RunTraceSim(dir.path(), {"--concurrency", "2", "--benchmark-duration", "0.5", "--drain", "cancel",
                                     "--isl", "10", "--osl", "30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-concurrency2" / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_FALSE(requests.empty());
  // The deadline is 0.5 s after the phase start, which is no later than the first send.
  int64_t first_send = requests[0]["timestamp"].get<int64_t>();
  for (const auto& req : requests) first_send = std::min(first_send, req["timestamp"].get<int64_t>());
  const int64_t deadline_bound = first_send + 500'000'000;
  int finished = 0;
  for (const auto& req : requests) {
    if (req.contains("error")) {
      EXPECT_EQ(req["error"]["kind"], "cancelled") << req.dump();
      continue;
    }
    ++finished;
    ASSERT_FALSE(req["response_timestamps"].empty());
    EXPECT_LE(req["response_timestamps"].back().get<int64_t>(), deadline_bound) << req.dump();
  }
  EXPECT_GT(finished, 0);
}

TEST(TraceReplayTest, BenchmarkDurationWithRequestRateSchedulesOnlyBeforeTheDeadline) {
  test::TempDir dir;
  const auto r = RunTraceSim(dir.path(), {"--request-rate", "20", "--benchmark-duration", "0.5", "--isl", "10",
                                     "--osl", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-request_rate20.0" / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 10u);  // offsets 0, 50, ..., 450 ms
  const std::vector<int64_t> intended = SortedIntended(requests);
  EXPECT_EQ(intended.back() - intended.front(), 450'000'000);
}

TEST(TraceReplayTest, ConflictingModesAndBadValuesAreUsageErrorsNamingTheFlag) {
  test::TempDir dir;
  const fs::path trace = WriteFiveLineTrace(dir.path());
  const std::string payload = "payload:" + trace.string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--input-file", payload, "--fixed-schedule", "--request-rate", "5"}, "--fixed-schedule and --request-rate"},
      {{"--input-file", payload, "--fixed-schedule", "--concurrency", "2"}, "--fixed-schedule and --concurrency"},
      {{"--input-file", payload, "--fixed-schedule", "--request-count", "3"}, "--request-count"},
      {{"--input-file", payload, "--fixed-schedule", "--benchmark-duration", "1"}, "--benchmark-duration"},
      {{"--input-file", trace.string(), "--fixed-schedule"}, "--fixed-schedule: requires --input-file payload:"},
      {{"--fixed-schedule"}, "--fixed-schedule: requires --input-file payload:"},
      {{"--input-file", payload, "--fixed-schedule", "maybe"}, "--fixed-schedule: expected true or false"},
      {{"--input-file", payload, "--fixed-schedule", "--schedule-speedup", "0"}, "--schedule-speedup"},
      {{"--input-file", payload, "--fixed-schedule", "--schedule-speedup=-2"}, "--schedule-speedup"},
      {{"--schedule-speedup", "2"}, "--schedule-speedup: requires --fixed-schedule"},
      {{"--benchmark-duration", "0"}, "--benchmark-duration: must be greater than 0"},
      {{"--benchmark-duration=-1"}, "--benchmark-duration"},
      {{"--benchmark-duration", "1", "--request-count", "5"}, "--benchmark-duration and --request-count"},
      {{"--drain", "cancel"}, "--drain: requires --benchmark-duration"},
      {{"--benchmark-duration", "1", "--drain", "later"}, "--drain"},
      {{"--request-rate", "0"}, "--request-rate"},
      {{"--request-rate=-3"}, "--request-rate"},
      {{"--input-file", "payload:" + (dir.path() / "missing.jsonl").string()}, "--input-file"},
  };
  for (const auto& [args, expected] : cases) {
    const auto r = RunTraceSim(dir.path(), args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined << "\n" << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << joined << "\n" << r.err;
  }
}

}  // namespace
}  // namespace bench
