// Finding, merging and summarising runs for process-export-files, against GenAI-Perf's own
// unit-test data where it exists (telemetry, throughput sums).

#include "report/export_merge.h"

#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

void Touch(const fs::path& path) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << "{}";
}

TEST(FindRunsTest, PairsEachExportWithItsGenAiPerfJsonAndSkipsTheRest) {
  test::TempDir dir;
  // A bench artifact directory: inputs.json must not be taken for the export.
  Touch(dir.path() / "b" / "inputs.json");
  Touch(dir.path() / "b" / "profile_export.json");
  Touch(dir.path() / "b" / "profile_export_genai_perf.json");
  Touch(dir.path() / "a" / "custom.json");
  Touch(dir.path() / "a" / "custom_genai_perf.json");
  Touch(dir.path() / "c" / "profile_export.json");  // no *_genai_perf.json
  Touch(dir.path() / "loose_genai_perf.json");      // not in a subdirectory
  const RunSearch search = FindRuns(dir.path());
  ASSERT_EQ(search.runs.size(), 2u);
  EXPECT_EQ(search.runs[0].profile_export, dir.path() / "a" / "custom.json");  // sorted by name
  EXPECT_EQ(search.runs[0].genai_perf_json, dir.path() / "a" / "custom_genai_perf.json");
  EXPECT_EQ(search.runs[1].profile_export, dir.path() / "b" / "profile_export.json");
  EXPECT_EQ(search.skipped, std::vector<std::string>{"c"});
  EXPECT_TRUE(search.ambiguous.empty());
}

TEST(FindRunsTest, ReportsADirectoryWithSeveralPairs) {
  test::TempDir dir;
  for (const char* stem : {"x", "y"}) {
    Touch(dir.path() / "r" / (std::string(stem) + ".json"));
    Touch(dir.path() / "r" / (std::string(stem) + "_genai_perf.json"));
  }
  const RunSearch search = FindRuns(dir.path());
  ASSERT_EQ(search.runs.size(), 1u);
  EXPECT_EQ(search.runs[0].profile_export.filename(), "x.json");
  EXPECT_EQ(search.ambiguous, std::vector<std::string>{"r"});
}

RequestRecord Request(int64_t sent, std::vector<int64_t> responses) {
  RequestRecord r;
  r.timestamp_ns = sent;
  r.response_timestamps = std::move(responses);
  return r;
}

ProfileExport MakeRun(const std::string& version, std::vector<RequestRecord> requests) {
  ProfileExport p;
  p.version = version;
  p.endpoint = "v1/" + version;
  Experiment e;
  e.mode = "concurrency";
  e.value = 2;
  e.requests = std::move(requests);
  e.window_boundaries = {1, 2};
  p.experiments.push_back(std::move(e));
  return p;
}

TEST(AppendRunTest, ConcatenatesRequestsAndKeepsTheFirstRunsDocument) {
  ProfileExport merged;
  AppendRun(merged, MakeRun("a", {Request(1, {2}), Request(3, {4})}));
  AppendRun(merged, MakeRun("b", {Request(5, {6})}));
  ASSERT_EQ(merged.experiments.size(), 1u);
  EXPECT_EQ(merged.version, "a");
  EXPECT_EQ(merged.endpoint, "v1/a");
  const auto& requests = merged.experiments[0].requests;
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].timestamp_ns, 1);
  EXPECT_EQ(requests[2].timestamp_ns, 5);
}

TEST(MergeTelemetryTest, MatchesGenAiPerfsAggregator) {
  const fs::path dir = test::CasesDir() / "telemetry_stats_aggregator_multi_run";
  const auto input = test::ReadOrderedJson(dir / "input_metrics.json");
  const auto expected = test::ReadJson(dir / "expected.json")["asserted"];
  std::vector<nlohmann::ordered_json> runs(input["telemetry_stats_per_run"].begin(), input["telemetry_stats_per_run"].end());
  const nlohmann::ordered_json merged = MergeTelemetry(runs);
  ASSERT_TRUE(merged.is_object());
  for (const auto& [metric, gpus] : expected.items()) {
    for (const auto& [gpu, stats] : gpus.items()) {
      EXPECT_DOUBLE_EQ(merged[metric][gpu]["avg"].get<double>(), stats["avg"].get<double>()) << metric;
    }
  }
  EXPECT_TRUE(MergeTelemetry({}).is_null());
}

TEST(SumRunThroughputsTest, MatchesGenAiPerfsSumAndLeavesMissingMetricsUnset) {
  const fs::path dir = test::CasesDir() / "merged_profile_throughput_sum";
  const auto input = test::ReadJson(dir / "input_metrics.json")["cases"][0]["throughput_metrics_dict"];
  const auto expected = test::ReadJson(dir / "expected.json")["asserted"]["valid"];
  std::vector<RunSummary> runs(input["request_throughput"].size());
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].request_throughput = input["request_throughput"][i].get<double>();
    runs[i].output_token_throughput = input["output_token_throughput"][i].get<double>();
  }
  const ThroughputSums sums = SumRunThroughputs(runs);
  EXPECT_DOUBLE_EQ(*sums.request_throughput, expected["request_throughputs"][0].get<double>());
  EXPECT_DOUBLE_EQ(*sums.output_token_throughput, expected["output_token_throughputs"][0].get<double>());
  // GenAI-Perf reports 0 when no run has the metric; bench leaves the sum out.
  const ThroughputSums none = SumRunThroughputs({RunSummary{}});
  EXPECT_FALSE(none.request_throughput);
}

TEST(SummarizeRunTest, ReadsAveragesTelemetryAndInputConfig) {
  const auto doc = nlohmann::ordered_json::parse(R"({
    "request_throughput": {"unit": "requests/sec", "avg": 12.5},
    "request_latency": {"unit": "ms", "avg": 3},
    "telemetry_stats": {"gpu_power_usage": {"unit": "W", "gpu0": {"avg": 1}}},
    "input_config": {"model_names": ["m"]}})");
  const RunSummary s = SummarizeRun(doc);
  EXPECT_EQ(*s.request_throughput, 12.5);
  EXPECT_FALSE(s.output_token_throughput);
  EXPECT_EQ(s.telemetry_stats["gpu_power_usage"]["unit"], "W");
  EXPECT_EQ(s.input_config["model_names"][0], "m");
}

TEST(RunSpanTest, FirstSendToLastResponseOfRequestsThatGotOne) {
  ProfileExport run = MakeRun("a", {Request(10, {15, 40}), Request(5, {}), Request(20, {30})});
  RequestRecord failed = Request(1, {100});
  failed.error = RequestError{ErrorKind::kHttpStatus, 500, "x"};
  run.experiments[0].requests.push_back(failed);
  const auto span = RunSpan(run);
  ASSERT_TRUE(span);
  EXPECT_EQ(span->start_ns, 10);
  EXPECT_EQ(span->end_ns, 40);
  EXPECT_FALSE(RunSpan(MakeRun("b", {Request(1, {})})));
}

TEST(OverlapFractionTest, SharedTimeOverCombinedSpan) {
  EXPECT_DOUBLE_EQ(OverlapFraction({{0, 100}, {0, 100}}), 1.0);
  EXPECT_DOUBLE_EQ(OverlapFraction({{0, 100}, {50, 150}}), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(OverlapFraction({{0, 100}, {100, 200}}), 0.0);
  EXPECT_DOUBLE_EQ(OverlapFraction({{0, 100}, {10, 90}, {20, 200}}), 70.0 / 200.0);
}

TEST(MergedRunDirNameTest, GenAiPerfsNameFromTheRecordedConfig) {
  const auto config = [](const char* text) { return nlohmann::ordered_json::parse(text); };
  EXPECT_EQ(MergedRunDirName(config(R"({"model_names": ["org/m"], "endpoint": {"type": "chat"},
                                        "perf_analyzer": {"stimulus": {"concurrency": 8}}})")),
            "org_m-openai-chat-concurrency8");
  EXPECT_EQ(MergedRunDirName(config(R"({"model_names": ["m"], "endpoint": {"type": "completions"},
                                        "perf_analyzer": {"stimulus": {"request_rate": 5.0}}})")),
            "m-openai-completions-request_rate5.0");
  EXPECT_EQ(MergedRunDirName(config(R"({"model_names": ["m"], "endpoint": {"type": "kserve", "backend": "vllm"},
                                        "perf_analyzer": {"stimulus": {"fixed_schedule": true}}})")),
            "m-triton-vllm");
  EXPECT_EQ(MergedRunDirName(nullptr), "merged");
}

}  // namespace
}  // namespace bench
