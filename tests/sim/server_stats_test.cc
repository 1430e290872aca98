#include "sim/server_stats.h"

#include <gtest/gtest.h>

#include "telemetry/prometheus.h"

namespace bench {
namespace {

const PromSample* Find(const MetricsPage& page, const std::string& name, const std::string& le = "") {
  for (const PromSample& s : page.samples) {
    if (s.name == name && (le.empty() || LabelValue(s, "le") == std::string_view(le))) return &s;
  }
  return nullptr;
}

TEST(SimServerStatsTest, PageInVllmNamesWithCumulativeBuckets) {
  SimServerStats stats;
  stats.Finished(100, 20, 0.015, 0.4);
  stats.Finished(50, 10, 0.03, 2.2);
  stats.Finished(50, 10, 5000, 9000);  // beyond every bound: only +Inf
  const MetricsPage page = ParsePrometheusText(stats.Render("org/m\"x", 2));
  ASSERT_EQ(page.error_count, 0u) << page.errors[0].message;
  EXPECT_EQ(Find(page, "vllm:num_requests_running")->value, 2);
  EXPECT_EQ(*LabelValue(*Find(page, "vllm:num_requests_running"), "model_name"), "org/m\"x");
  EXPECT_EQ(Find(page, "vllm:prompt_tokens_total")->value, 200);
  EXPECT_EQ(Find(page, "vllm:generation_tokens_total")->value, 40);
  EXPECT_EQ(Find(page, "vllm:request_success_total")->value, 3);
  EXPECT_EQ(TypeOf(page, *Find(page, "vllm:request_success_total")), MetricType::kCounter);
  EXPECT_EQ(Find(page, "vllm:time_to_first_token_seconds_bucket", "0.01")->value, 0);
  EXPECT_EQ(Find(page, "vllm:time_to_first_token_seconds_bucket", "0.02")->value, 1);
  EXPECT_EQ(Find(page, "vllm:time_to_first_token_seconds_bucket", "0.04")->value, 2);
  EXPECT_EQ(Find(page, "vllm:time_to_first_token_seconds_bucket", "2560.0")->value, 2);
  EXPECT_EQ(Find(page, "vllm:time_to_first_token_seconds_bucket", "+Inf")->value, 3);
  EXPECT_EQ(Find(page, "vllm:time_to_first_token_seconds_count")->value, 3);
  EXPECT_NEAR(Find(page, "vllm:time_to_first_token_seconds_sum")->value, 5000.045, 1e-9);
  EXPECT_EQ(TypeOf(page, *Find(page, "vllm:e2e_request_latency_seconds_bucket", "0.5")), MetricType::kHistogram);
  EXPECT_EQ(Find(page, "vllm:e2e_request_latency_seconds_bucket", "0.5")->value, 1);
  EXPECT_EQ(Find(page, "vllm:e2e_request_latency_seconds_bucket", "2.5")->value, 2);
}

}  // namespace
}  // namespace bench
