#include "app/plan.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

ProfileConfig Config() {
  ProfileConfig c;
  c.models = {"m"};
  c.url = "localhost:8000";
  c.endpoint = "v1/chat/completions";
  c.tokenizer = "builtin";
  c.request_count = 20;
  return c;
}

TEST(PlanTest, StringsOfTheCommandLineBecomeTypes) {
  ProfileConfig c = Config();
  c.http_client = "curl";
  c.request_distribution = "poisson";
  c.request_rate = 5.0;
  c.endpoint_type = "completions";
  const Parsed<RunPlan> plan = MakeRunPlan(c);
  ASSERT_TRUE(plan.ok()) << plan.error;
  EXPECT_EQ(plan.value.load.http_client, HttpClient::kCurl);
  EXPECT_EQ(plan.value.load.distribution, ArrivalDistribution::kPoisson);
  EXPECT_EQ(plan.value.format, ResponseFormat::kOpenAiCompletions);
  EXPECT_EQ(plan.value.base_url, "http://localhost:8000");
  // An uncapped rate: no concurrency limit, and the export names the rate.
  EXPECT_EQ(plan.value.load.concurrency, 0);
  EXPECT_EQ(plan.value.schedule, ScheduleKind::kRate);
  EXPECT_EQ(plan.value.experiment_mode, "request_rate");
  EXPECT_EQ(plan.value.experiment_value, 5.0);
}

TEST(PlanTest, BatchedTextEndpointsCarryTheirBatchAndSyntheticFiles) {
  ProfileConfig c = Config();
  c.endpoint_type = "rankings";
  c.endpoint = "v1/ranking";
  c.batch_size_text = 5;
  c.synthetic_files = {"queries", "passages"};
  const Parsed<RunPlan> plan = MakeRunPlan(c);
  ASSERT_TRUE(plan.ok()) << plan.error;
  EXPECT_EQ(plan.value.format, ResponseFormat::kRankings);
  EXPECT_EQ(plan.value.dataset.batch_size_text, 5);
  EXPECT_EQ(plan.value.dataset.synthetic_files, (std::vector<std::string>{"queries", "passages"}));
  EXPECT_EQ(plan.value.input_config["input"]["batch_size"], 5);
  EXPECT_EQ(plan.value.input_config["endpoint"]["output_format"], "rankings");
}

TEST(PlanTest, LoadModesDecideTheCapTheScheduleKindAndTheExperiment) {
  ProfileConfig c = Config();
  c.concurrency = 4;
  Parsed<RunPlan> plan = MakeRunPlan(c);
  EXPECT_EQ(plan.value.load.concurrency, 4);
  EXPECT_EQ(plan.value.schedule, ScheduleKind::kUnknown);
  EXPECT_EQ(plan.value.experiment_mode, "concurrency");
  EXPECT_EQ(plan.value.experiment_value, 4);

  c.request_rate = 10.0;
  c.concurrency_given = true;  // a cap
  plan = MakeRunPlan(c);
  EXPECT_EQ(plan.value.load.concurrency, 4);
  EXPECT_EQ(plan.value.schedule, ScheduleKind::kRateWithCap);

  c = Config();
  c.session_concurrency = 3;  // sessions: perf_analyzer records a custom schedule as rate 0
  plan = MakeRunPlan(c);
  EXPECT_EQ(plan.value.load.concurrency, 3);
  EXPECT_EQ(plan.value.experiment_mode, "request_rate");
  EXPECT_EQ(plan.value.experiment_value, 0.0);

  c = Config();
  c.measurement_interval_ms = 500;
  c.stability_percentage = 10;
  plan = MakeRunPlan(c);
  ASSERT_TRUE(plan.value.windows.has_value());
  EXPECT_EQ(plan.value.windows->interval_ms, 500);
  EXPECT_EQ(plan.value.windows->stability_percentage, 10);
}

TEST(PlanTest, TheRunDirectoryTheKeyAndTheRecordedConfiguration) {
  ProfileConfig c = Config();
  c.artifact_dir = "out";
  c.api_key = "sk-secret";
  c.api_key_source = "--api-key";
  const Parsed<RunPlan> plan = MakeRunPlan(c);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan.value.run_dir, std::filesystem::path("out") / "m-openai-chat-concurrency1");
  EXPECT_EQ(plan.value.load.headers, std::vector<std::string>{"Authorization: Bearer sk-secret"});
  EXPECT_EQ(plan.value.api_key_source, "--api-key");
  EXPECT_EQ(plan.value.input_config.dump().find("sk-secret"), std::string::npos);  // never recorded
}

TEST(PlanTest, ABadUrlIsAUsageErrorNamingTheFlag) {
  ProfileConfig c = Config();
  c.url = "ftp://host:21";
  const Parsed<RunPlan> plan = MakeRunPlan(c);
  EXPECT_FALSE(plan.ok());
  EXPECT_EQ(plan.error, "--url 'ftp://host:21': expected host:port or http(s)://host:port");
  c = Config();
  c.simulator = true;
  c.url = "ftp://host:21";  // ignored: the simulator is the target
  EXPECT_TRUE(MakeRunPlan(c).ok());
}

}  // namespace
}  // namespace bench
