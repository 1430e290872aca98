// End-to-end: perf_analyzer's time windows (--measurement-interval/-p, --stability-percentage/-s)
// with the real bench binary against the in-process simulator. No wall-clock upper bounds: the
// machine is shared; the windows' own arithmetic is checked exactly against the export.

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

test::CommandResult RunIntervalSim(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--streaming", "--sim-ttft-ms", "5",
                                    "--sim-itl-ms", "1", "--isl", "10", "--osl", "5",
                                    "--artifact-dir", artifacts.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::RunBench(args);
}

int64_t EndOf(const nlohmann::json& request) {
  const auto& responses = request["response_timestamps"];
  return responses.empty() ? request["timestamp"].get<int64_t>() : responses.back().get<int64_t>();
}

// Boundaries are [start, end] pairs, back to back and increasing; every request ends inside them.
void ExpectRequestsInsideWindows(const nlohmann::json& experiment, size_t windows) {
  const auto& b = experiment["window_boundaries"];
  ASSERT_EQ(b.size(), 2 * windows) << b.dump();
  for (size_t i = 0; i < b.size(); i += 2) {
    EXPECT_LT(b[i].get<int64_t>(), b[i + 1].get<int64_t>()) << i;
    if (i > 0) {
      EXPECT_EQ(b[i].get<int64_t>(), b[i - 1].get<int64_t>()) << i;
    }
  }
  const int64_t first = b.front().get<int64_t>();
  const int64_t last = b.back().get<int64_t>();
  for (const auto& req : experiment["requests"]) {
    EXPECT_GE(EndOf(req), first) << req.dump().substr(0, 300);
    EXPECT_LE(EndOf(req), last) << req.dump().substr(0, 300);
  }
}

int64_t SumOfWindowRequests(const nlohmann::json& measurement) {
  int64_t sum = 0;
  for (const auto& w : measurement["windows"]) sum += w["requests"].get<int64_t>();
  return sum;
}

TEST(MeasurementIntervalTest, StableAtOnceMeansExactlyThreeWindowsHoldingEveryExportedRequest) {
  test::TempDir dir;
  const auto r = RunIntervalSim(dir.path(), {"--concurrency", "2", "-p", "300", "-s", "999"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-concurrency2";
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& experiment = pa["experiments"][0];
  EXPECT_EQ(experiment["experiment"]["mode"], "concurrency");
  ASSERT_FALSE(experiment["requests"].empty());
  ExpectRequestsInsideWindows(experiment, 3);
  for (const auto& req : experiment["requests"]) EXPECT_FALSE(req.contains("error")) << req.dump().substr(0, 300);

  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["measurement"], (nlohmann::json{{"mode", "interval"}, {"num", 300}}));
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["stability_percentage"], 999);
  const auto& m = gp["bench"]["measurement_windows"];
  EXPECT_EQ(m["windows_used"], 3);
  EXPECT_EQ(m["stable"], true);
  EXPECT_EQ(m["interrupted"], false);
  EXPECT_EQ(m["interval_ms"], 300);
  EXPECT_EQ(m["window_ms"], 360.0);
  ASSERT_EQ(m["windows"].size(), 3u);
  // Each window lasted at least 1.2 x T (it may overrun by a late wake-up, never end early).
  for (const auto& w : m["windows"]) EXPECT_GE(w["duration_ms"].get<double>(), 360.0) << w.dump();
  EXPECT_EQ(m["windows"][0]["start_ns"], experiment["window_boundaries"][0]);
  EXPECT_EQ(m["windows"][2]["end_ns"], experiment["window_boundaries"][5]);
  // The exported requests are exactly those assigned to the windows, and the metrics saw them all.
  EXPECT_EQ(SumOfWindowRequests(m), static_cast<int64_t>(experiment["requests"].size()));
  EXPECT_EQ(gp["request_count"]["avg"].get<double>(), static_cast<double>(experiment["requests"].size()));
  EXPECT_GE(m["dropped_in_flight"].get<int64_t>(), 0);
  EXPECT_NE(r.out.find("Measurement Windows: 3 x 360 ms, stable within 999%"), std::string::npos) << r.out;
}

TEST(MeasurementIntervalTest, AnUnreachableStabilityRunsToTheCapOfTenWindowsAndWarns) {
  test::TempDir dir;
  // 0.0001% would need three windows of equal throughput to the nanosecond: never.
  const auto r = RunIntervalSim(dir.path(), {"--concurrency", "2", "-p", "50", "-s", "0.0001", "--sim-jitter", "0.3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-concurrency2";
  const auto pa = test::ReadJson(run / "profile_export.json");
  ExpectRequestsInsideWindows(pa["experiments"][0], 10);
  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  const auto& m = gp["bench"]["measurement_windows"];
  EXPECT_EQ(m["windows_used"], 10);
  EXPECT_EQ(m["stable"], false);
  EXPECT_EQ(m["stability_percentage"], 0.0001);
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["stability_percentage"], 0.0001);
  EXPECT_NE(r.err.find("results may be unstable"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("NOT stable within 0.0001%"), std::string::npos) << r.out;
}

TEST(MeasurementIntervalTest, OpenLoopRequestsKeepTheirScheduleInsideTheWindows) {
  test::TempDir dir;
  const auto r = RunIntervalSim(dir.path(), {"--request-rate", "40", "-p", "200"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-request_rate40.0";
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& experiment = pa["experiments"][0];
  EXPECT_EQ(experiment["experiment"]["mode"], "request_rate");
  ASSERT_FALSE(experiment["requests"].empty());
  ExpectRequestsInsideWindows(experiment, 3);
  for (const auto& req : experiment["requests"]) EXPECT_TRUE(req.contains("intended_timestamp"));
  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["bench"]["measurement_windows"]["windows_used"], 3);
  EXPECT_EQ(SumOfWindowRequests(gp["bench"]["measurement_windows"]),
            static_cast<int64_t>(experiment["requests"].size()));
}

TEST(MeasurementIntervalTest, FailedRequestsAreExportedInTheirWindowButNotJudgedAsThroughput) {
  test::TempDir dir;
  const auto r = RunIntervalSim(dir.path(), {"--concurrency", "2", "-p", "150", "--sim-fault-rate", "http_500=0.3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-concurrency2";
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& experiment = pa["experiments"][0];
  ExpectRequestsInsideWindows(experiment, 3);
  int64_t failed = 0;
  for (const auto& req : experiment["requests"]) failed += req.contains("error") ? 1 : 0;
  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  const auto& m = gp["bench"]["measurement_windows"];
  int64_t window_errors = 0;
  double judged = 0;  // successful requests the stability check counted
  for (const auto& w : m["windows"]) {
    window_errors += w["errors"].get<int64_t>();
    judged += w["throughput"].get<double>() * w["duration_ms"].get<double>() / 1000.0;
  }
  ASSERT_GT(failed, 0);  // 30% of a few dozen requests
  EXPECT_EQ(window_errors, failed);
  EXPECT_EQ(SumOfWindowRequests(m), static_cast<int64_t>(experiment["requests"].size()));
  // The judged count holds the successes only (up to a request finishing on a boundary).
  const double successes = static_cast<double>(experiment["requests"].size()) - static_cast<double>(failed);
  EXPECT_NEAR(judged, successes, 3.0);
  EXPECT_LT(judged, static_cast<double>(experiment["requests"].size()) - 0.5);
}

TEST(MeasurementIntervalTest, WarmUpRequestsStayOutOfTheWindows) {
  test::TempDir dir;
  const auto r = RunIntervalSim(dir.path(), {"--concurrency", "2", "-p", "100", "--warmup-request-count", "6"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-concurrency2";
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& experiment = pa["experiments"][0];
  ExpectRequestsInsideWindows(experiment, 3);
  // Measured requests are sent after the first window opened (the warm-up ended before it).
  const int64_t first = experiment["window_boundaries"][0].get<int64_t>();
  for (const auto& req : experiment["requests"]) EXPECT_GE(req["timestamp"].get<int64_t>(), first);
}

TEST(MeasurementIntervalTest, AnInterruptKeepsTheClosedWindowsAndDropsWhatWasInFlight) {
  test::TempDir dir;
  const fs::path artifacts = dir.path();
  const fs::path run = artifacts / "bench-sim-openai-chat-concurrency4";
  // ~100 ms requests, windows of 120 ms that never become stable: the run would take 1.2 s.
  const std::vector<std::string> args = {
      "profile", "--simulator", "--streaming", "--concurrency", "4", "-p", "100", "-s", "0.0001",
      "--isl", "10", "--osl", "5", "--sim-ttft-ms", "50", "--sim-itl-ms", "10", "--artifact-dir", artifacts.string()};
  const auto r = test::RunBenchWhile(args, [&](pid_t pid) {
    for (int i = 0; i < 1200 && !fs::exists(run / "inputs.json"); ++i) usleep(50'000);
    usleep(600'000);
    kill(pid, SIGINT);
  });
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& experiment = pa["experiments"][0];
  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  const auto& m = gp["bench"]["measurement_windows"];
  EXPECT_EQ(m["interrupted"], true);
  EXPECT_EQ(m["stable"], false);
  const int windows = m["windows_used"].get<int>();
  EXPECT_LT(windows, 10);
  // Four requests are always in flight in a closed loop: the interrupt drops them.
  EXPECT_GE(m["dropped_in_flight"].get<int64_t>(), 1);
  EXPECT_EQ(experiment["window_boundaries"].size(), 2u * static_cast<size_t>(windows));
  if (windows > 0) ExpectRequestsInsideWindows(experiment, static_cast<size_t>(windows));
  for (const auto& req : experiment["requests"]) EXPECT_FALSE(req.contains("error")) << req.dump().substr(0, 300);
  EXPECT_EQ(gp["bench"]["interrupted"], true);
}

TEST(MeasurementIntervalTest, BenchmarkDurationSaysSoInTheMeasurementBlock) {
  test::TempDir dir;
  const auto r = RunIntervalSim(dir.path(), {"--concurrency", "2", "--benchmark-duration", "0.3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto gp = test::ReadRunJson(dir.path() / "bench-sim-openai-chat-concurrency2" /
                                 "profile_export_genai_perf.json");
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["measurement"],
            (nlohmann::json{{"mode", "benchmark_duration"}, {"num", 0.3}}));
  EXPECT_FALSE(gp["bench"].contains("measurement_windows"));
}

TEST(MeasurementIntervalTest, BadValuesAndConflictsAreOneLineUsageErrorsNamingTheFlags) {
  test::TempDir dir;
  const fs::path trace = dir.path() / "trace.jsonl";
  std::ofstream(trace) << "{\"timestamp\": 0, \"input_length\": 20, \"output_length\": 4}\n";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"-p", "0"}, "--measurement-interval: must be greater than 0 ms"},
      {{"--measurement-interval", "-5"}, "--measurement-interval: must be greater than 0 ms"},
      {{"-p", "abc"}, "--measurement-interval"},
      {{"-p", "1.5"}, "--measurement-interval"},
      {{"-s", "0"}, "--stability-percentage: must be greater than 0"},
      {{"-p", "100", "--stability-percentage=-1"}, "--stability-percentage: must be greater than 0"},
      {{"-p", "100", "-s", "x"}, "--stability-percentage"},
      {{"-p", "100", "--request-count", "5"}, "--measurement-interval and --request-count cannot be combined"},
      {{"-p", "100", "--benchmark-duration", "1"}, "--measurement-interval and --benchmark-duration cannot be combined"},
      {{"-p", "100", "--drain", "cancel"}, "--drain: requires --benchmark-duration"},
      {{"-p", "100", "--input-file", "payload:" + trace.string(), "--fixed-schedule"},
       "--measurement-interval cannot be used with --fixed-schedule"},
  };
  for (const auto& [args, expected] : cases) {
    const auto r = RunIntervalSim(dir.path(), args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined << "\n" << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << joined << "\n" << r.err;
    EXPECT_EQ(test::Occurrences(r.err, "\n"), 1u) << joined << "\n" << r.err;
  }
}

}  // namespace
}  // namespace bench
