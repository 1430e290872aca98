#include "metrics/goodput.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace bench {
namespace {

RequestSample WithLatency(double ns) {
  RequestSample s;
  s.request_latency = ns;
  return s;
}

const std::string kGoodputCases = std::string(BENCH_TEST_DATA_DIR) + "/genai-perf-cases/";

// Per-request samples from GenAI-Perf's per-metric lists (aligned by index: equal lengths here).
std::vector<RequestSample> Samples(const nlohmann::json& metrics) {
  std::vector<RequestSample> out;
  const std::map<std::string, std::optional<double> RequestSample::*> fields = {
      {"request_latencies", &RequestSample::request_latency},
      {"time_to_first_tokens", &RequestSample::time_to_first_token},
      {"inter_token_latencies", &RequestSample::inter_token_latency},
      {"output_token_throughputs_per_user", &RequestSample::output_token_throughput_per_user},
  };
  for (const auto& [name, values] : metrics.items()) {
    const auto field = fields.at(name);
    if (out.size() < values.size()) out.resize(values.size());
    for (size_t i = 0; i < values.size(); ++i) out[i].*field = values[i].get<double>();
  }
  return out;
}

TEST(GoodputTest, LlmCalculatorCases) {
  std::ifstream in(kGoodputCases + "goodput_llm_calculator/input_metrics.json");
  ASSERT_TRUE(in);
  const nlohmann::json input = nlohmann::json::parse(in);
  std::ifstream ein(kGoodputCases + "goodput_llm_calculator/expected.json");
  const nlohmann::json expected = nlohmann::json::parse(ein)["asserted"];
  for (const auto& c : input["cases"]) {
    const std::string id = c["id"];
    std::vector<GoodputConstraint> constraints;
    const auto& cs = c.contains("constraints_ms") ? c["constraints_ms"] : c["constraints_ms_or_per_s"];
    for (const auto& [name, value] : cs.items()) constraints.push_back({name, value.get<double>()});
    const double goodput = ComputeGoodput(constraints, MetricFamily::kLlm, Samples(c["metrics_ns"]),
                                          c["benchmark_duration_s"].get<double>());
    EXPECT_DOUBLE_EQ(goodput, expected[id]["goodput"][0].get<double>()) << id;
  }
}

TEST(GoodputTest, InvalidKeyGivesMinusOne) {
  const std::vector<RequestSample> samples(3, WithLatency(1.0));
  const std::vector<GoodputConstraint> bad = {{"request_latency", 1}, {"made_up", 1}};
  EXPECT_EQ(ComputeGoodput(bad, MetricFamily::kLlm, samples, 1), kInvalidGoodput);
  // Valid names depend on the parser: embeddings only know request_latency.
  const std::vector<GoodputConstraint> ttft = {{"time_to_first_token", 1}};
  EXPECT_EQ(ComputeGoodput(ttft, MetricFamily::kBase, samples, 1), kInvalidGoodput);
  const std::vector<GoodputConstraint> image = {{"image_throughput", 1}};
  EXPECT_EQ(ComputeGoodput(image, MetricFamily::kLlm, samples, 1), kInvalidGoodput);
  EXPECT_NE(ComputeGoodput(image, MetricFamily::kImageRetrieval, samples, 1), kInvalidGoodput);
}

TEST(GoodputTest, EachRequestIsJudgedOnItsOwnValues) {
  // Request 0 has one response (no TTST). GenAI-Perf zip()s [TTFT 1, 1, 9] with [TTST 1, 9]
  // and would pair request 1's TTFT with request 2's TTST; here request 1 alone is good.
  std::vector<RequestSample> s(3);
  s[0].time_to_first_token = 1;
  s[1].time_to_first_token = 1;
  s[1].time_to_second_token = 1;
  s[2].time_to_first_token = 9;
  s[2].time_to_second_token = 9;
  const std::vector<GoodputConstraint> c = {{"time_to_first_token", 5e-6},
                                            {"time_to_second_token", 5e-6}};
  EXPECT_DOUBLE_EQ(ComputeGoodput(c, MetricFamily::kLlm, s, 2), 0.5);
}

TEST(GoodputTest, TimeLimitsAreMsAndInclusive) {
  const std::vector<RequestSample> s = {WithLatency(2e6), WithLatency(2e6 + 1)};
  const std::vector<GoodputConstraint> c = {{"request_latency", 2}};
  EXPECT_DOUBLE_EQ(ComputeGoodput(c, MetricFamily::kBase, s, 0.5), 2.0);
}

TEST(GoodputTest, ThroughputLimitsAreLowerBoundsAndLastDuplicateWins) {
  std::vector<RequestSample> s(2);
  s[0].output_token_throughput_per_user = 100;
  s[1].output_token_throughput_per_user = 50;
  const std::vector<GoodputConstraint> c = {{"output_token_throughput_per_user", 10},
                                            {"output_token_throughput_per_user", 100}};
  EXPECT_DOUBLE_EQ(ComputeGoodput(c, MetricFamily::kLlm, s, 1), 1.0);
}

}  // namespace
}  // namespace bench
