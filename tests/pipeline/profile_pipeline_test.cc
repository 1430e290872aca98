#include "pipeline/profile_pipeline.h"

#include <atomic>
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "pipeline/exit_code.h"
#include "report/gate.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// A small streaming chat run against the in-process simulator, written under `dir`.
RunPlan SimulatorPlan(const fs::path& dir) {
  RunPlan plan;
  SimulatorOptions sim;
  sim.ttft_ms = 1;
  sim.itl_ms = 0.2;
  sim.default_max_tokens = 8;
  plan.simulator = sim;
  plan.endpoint = "v1/chat/completions";
  plan.endpoint_type = "chat";
  plan.format = ResponseFormat::kOpenAiChat;
  plan.tokenizer = "builtin";
  plan.dataset.models = {"bench-sim"};
  plan.dataset.streaming = true;
  plan.dataset.num_dataset_entries = 4;
  plan.dataset.synthetic_input_tokens_mean = 20;
  plan.dataset.output_tokens_mean = 8;
  plan.load.streaming = true;
  plan.load.concurrency = 2;
  plan.load.request_count = 6;
  plan.load.request_id_prefix = "pipeline-";
  plan.run_dir = dir / "run";
  plan.no_progress = true;
  plan.quiet = true;
  return plan;
}

TEST(ProfilePipelineTest, ARunReturnsItsResultsInMemoryAsTheFilesHoldThem) {
  const test::TempDir temp;
  const RunPlan plan = SimulatorPlan(temp.path());
  const std::atomic<bool> stop{false};
  std::ostringstream table;
  const RunResult run = RunProfile(plan, stop, table);
  ASSERT_EQ(run.exit_code, kExitOk) << table.str();
  EXPECT_FALSE(run.interrupted);
  EXPECT_EQ(run.run_dir, plan.run_dir);
  EXPECT_EQ(run.summary.successful_requests, 6u);
  EXPECT_EQ(run.summary.failed_requests, 0u);
  // The document is what the files say: *_genai_perf.json with *_bench.json under "bench".
  const nlohmann::json from_files = test::ReadRunJson(plan.run_dir / "profile_export_genai_perf.json");
  EXPECT_EQ(nlohmann::json(run.summary.document), from_files);
  EXPECT_EQ(run.summary.document["request_count"]["avg"], 6);
  EXPECT_EQ(run.summary.document["output_sequence_length"]["avg"], 8);
  EXPECT_TRUE(run.summary.document["bench"].is_object());
  ASSERT_NE(run.summary.stats.Find("time_to_first_token"), nullptr);
  EXPECT_TRUE(fs::exists(plan.run_dir / "inputs.json"));
  EXPECT_TRUE(fs::exists(plan.run_dir / "profile_export.json"));
  EXPECT_NE(table.str().find("Time To First Token"), std::string::npos);
}

TEST(ProfilePipelineTest, GatesAreCheckedOnTheRunsOwnNumbers) {
  const test::TempDir temp;
  RunPlan plan = SimulatorPlan(temp.path());
  plan.gates = {*ParseGate("request_count < 100").gate};  // holds: the run fails
  const std::atomic<bool> stop{false};
  std::ostringstream table;
  EXPECT_EQ(RunProfile(plan, stop, table).exit_code, kExitGateFailed);
  plan.gates = {*ParseGate("request_count > 100").gate};
  EXPECT_EQ(RunProfile(plan, stop, table).exit_code, kExitOk);
}

TEST(ProfilePipelineTest, AnUnreachableServerEndsBeforeAnyFileOrResult) {
  const test::TempDir temp;
  RunPlan plan = SimulatorPlan(temp.path());
  plan.simulator.reset();
  plan.base_url = "http://127.0.0.1:1";  // nothing listens on port 1
  const std::atomic<bool> stop{false};
  std::ostringstream table;
  const RunResult run = RunProfile(plan, stop, table);
  EXPECT_EQ(run.exit_code, kExitUnreachable);
  EXPECT_TRUE(run.summary.document.is_null());
  EXPECT_FALSE(fs::exists(plan.run_dir));
}

}  // namespace
}  // namespace bench
