#include "telemetry/server_metrics.h"

#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(HistogramQuantileTest, InterpolatesInsideTheBucketLikePrometheus) {
  // 10 observations: 2 in (0, 0.1], 6 in (0.1, 0.5], 2 in (0.5, 1].
  const std::vector<std::pair<double, double>> b = {{0.1, 2}, {0.5, 8}, {1, 10}, {INFINITY, 10}};
  EXPECT_DOUBLE_EQ(HistogramQuantile(0.5, b), 0.1 + 0.4 * (3.0 / 6.0));
  EXPECT_DOUBLE_EQ(HistogramQuantile(0.1, b), 0.05);
  EXPECT_DOUBLE_EQ(HistogramQuantile(0.9, b), 0.75);
  // Ranks in the +Inf bucket answer the highest finite bound.
  const std::vector<std::pair<double, double>> tail = {{0.1, 1}, {INFINITY, 4}};
  EXPECT_DOUBLE_EQ(HistogramQuantile(0.99, tail), 0.1);
  EXPECT_TRUE(std::isnan(HistogramQuantile(0.5, {{0.1, 0}, {INFINITY, 0}})));
  EXPECT_TRUE(std::isnan(HistogramQuantile(0.5, {{0.1, 3}})));  // no +Inf bucket
}

// A vLLM page as its Prometheus client writes it; `done` requests finished so far, each with
// a TTFT of 0.03 s (bucket 0.05) except one of 0.3 s per 10.
std::string VllmPage(int done, int running, double kv) {
  const int slow = done / 10;
  return fmt::format(
      "# HELP vllm:num_requests_running Number of requests in model execution batches.\n"
      "# TYPE vllm:num_requests_running gauge\n"
      "vllm:num_requests_running{{engine=\"0\",model_name=\"m\"}} {}\n"
      "# TYPE vllm:num_requests_waiting gauge\n"
      "vllm:num_requests_waiting{{engine=\"0\",model_name=\"m\"}} 0.0\n"
      "# TYPE vllm:kv_cache_usage_perc gauge\n"
      "vllm:kv_cache_usage_perc{{engine=\"0\",model_name=\"m\"}} {}\n"
      "# TYPE vllm:prefix_cache_queries counter\n"
      "vllm:prefix_cache_queries_total{{engine=\"0\",model_name=\"m\"}} {}\n"
      "# TYPE vllm:prefix_cache_hits counter\n"
      "vllm:prefix_cache_hits_total{{engine=\"0\",model_name=\"m\"}} {}\n"
      "# TYPE vllm:generation_tokens counter\n"
      "vllm:generation_tokens_total{{engine=\"0\",model_name=\"m\"}} {}\n"
      "# TYPE vllm:time_to_first_token_seconds histogram\n"
      "vllm:time_to_first_token_seconds_sum{{engine=\"0\",model_name=\"m\"}} {}\n"
      "vllm:time_to_first_token_seconds_bucket{{engine=\"0\",le=\"0.01\",model_name=\"m\"}} 0.0\n"
      "vllm:time_to_first_token_seconds_bucket{{engine=\"0\",le=\"0.05\",model_name=\"m\"}} {}\n"
      "vllm:time_to_first_token_seconds_bucket{{engine=\"0\",le=\"0.5\",model_name=\"m\"}} {}\n"
      "vllm:time_to_first_token_seconds_bucket{{engine=\"0\",le=\"+Inf\",model_name=\"m\"}} {}\n"
      "vllm:time_to_first_token_seconds_count{{engine=\"0\",model_name=\"m\"}} {}\n",
      running, kv, done * 100, done * 25, done * 50, (done - slow) * 0.03 + slow * 0.3, done - slow, done, done, done);
}

TEST(ServerMetricsTest, VllmOverTheMeasuredPhase) {
  ServerMetricsSeries series;
  const int64_t s = 1'000'000'000;
  series.AddPage(ParsePrometheusText(VllmPage(10, 0, 0.0)), 0);       // warm-up done
  series.AddPage(ParsePrometheusText(VllmPage(10, 4, 0.2)), 1 * s);   // phase starts after this
  series.AddPage(ParsePrometheusText(VllmPage(60, 8, 0.6)), 3 * s);
  series.AddPage(ParsePrometheusText(VllmPage(110, 0, 0.1)), 5 * s);  // phase ended before this
  series.AddPage(ParsePrometheusText(VllmPage(120, 0, 0.0)), 9 * s);  // a later request
  EXPECT_EQ(series.Servers(), std::vector<std::string>{"vllm"});
  const nlohmann::ordered_json sum = series.Summary(s + s / 2, 4 * s);
  EXPECT_EQ(sum["scrapes"], 5);
  EXPECT_DOUBLE_EQ(sum["span_s"].get<double>(), 4.0);
  const auto& m = sum["metrics"];
  // Gauges over the bracketing scrapes (1 s .. 5 s): running 4, 8, 0.
  EXPECT_DOUBLE_EQ(m["requests_running"]["avg"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(m["requests_running"]["max"].get<double>(), 8.0);
  EXPECT_DOUBLE_EQ(m["kv_cache_usage"]["max"].get<double>(), 60.0);
  EXPECT_EQ(m["kv_cache_usage"]["unit"], "%");
  // Counters: 100 requests x 50 tokens in 4 s.
  EXPECT_DOUBLE_EQ(m["generation_tokens"]["increase"].get<double>(), 5000.0);
  EXPECT_DOUBLE_EQ(m["generation_tokens"]["rate_per_s"].get<double>(), 1250.0);
  EXPECT_DOUBLE_EQ(m["prefix_cache_hit_rate"]["value"].get<double>(), 25.0);
  // Histogram of the phase only: 100 requests, 90 at 0.03 s and 10 at 0.3 s.
  const auto& ttft = m["time_to_first_token"];
  EXPECT_DOUBLE_EQ(ttft["count"].get<double>(), 100.0);
  EXPECT_NEAR(ttft["avg"].get<double>(), (90 * 30.0 + 10 * 300.0) / 100, 1e-9);
  EXPECT_NEAR(ttft["p50"].get<double>(), 10 + 40 * (50.0 / 90.0), 1e-9);   // inside (10, 50] ms
  EXPECT_NEAR(ttft["p99"].get<double>(), 50 + 450 * (9.0 / 10.0), 1e-9);   // inside (50, 500] ms
  EXPECT_EQ(ttft["server"], "vllm");
  EXPECT_EQ(ttft["source"], "vllm:time_to_first_token_seconds");

  const auto rows = ServerMetricRows(sum);
  bool found = false;
  for (const auto& [label, value] : rows) {
    if (label == "Server Time To First Token (ms) [vllm]") {
      found = true;
      EXPECT_EQ(value.rfind("avg 57.00, p50 32.22, p90 50.00, p99 455.00 (100 requests)", 0), 0u) << value;
    }
  }
  EXPECT_TRUE(found);
}

TEST(ServerMetricsTest, LlamaCppTimePerTokenFromItsCounters) {
  ServerMetricsSeries series;
  auto page = [](double tokens, double seconds, double prompt, double prompt_s) {
    return ParsePrometheusText(fmt::format(
        "# TYPE llamacpp:prompt_tokens_total counter\nllamacpp:prompt_tokens_total {}\n"
        "# TYPE llamacpp:prompt_seconds_total counter\nllamacpp:prompt_seconds_total {}\n"
        "# TYPE llamacpp:tokens_predicted_total counter\nllamacpp:tokens_predicted_total {}\n"
        "# TYPE llamacpp:tokens_predicted_seconds_total counter\nllamacpp:tokens_predicted_seconds_total {}\n"
        "# TYPE llamacpp:requests_processing gauge\nllamacpp:requests_processing 1\n",
        prompt, prompt_s, tokens, seconds));
  };
  series.AddPage(page(100, 2.0, 50, 0.5), 0);
  series.AddPage(page(300, 6.0, 450, 1.5), 2'000'000'000);
  const auto m = series.Summary(0, 2'000'000'000)["metrics"];
  EXPECT_DOUBLE_EQ(m["time_per_output_token"]["value"].get<double>(), 20.0);  // 4 s / 200 tokens
  EXPECT_DOUBLE_EQ(m["prefill_time_per_token"]["value"].get<double>(), 2.5);  // 1 s / 400 tokens
  EXPECT_DOUBLE_EQ(m["generation_tokens"]["rate_per_s"].get<double>(), 100.0);
  EXPECT_EQ(m["requests_running"]["server"], "llamacpp");
}

TEST(ServerMetricsTest, ResetCountersLabelFiltersAndUnknownPages) {
  ServerMetricsSeries series;
  series.AddPage(ParsePrometheusText("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 5\n"), 0);
  EXPECT_TRUE(series.empty());
  EXPECT_TRUE(series.Summary(0, 1).is_null());
  // TGI's batch histogram: the prefill series only, selected by its method label.
  auto tgi = [](int prefill, int decode, double tokens_total) {
    return ParsePrometheusText(fmt::format(
        "tgi_batch_inference_duration_bucket{{method=\"prefill\",le=\"0.1\"}} {0}\n"
        "tgi_batch_inference_duration_bucket{{method=\"prefill\",le=\"+Inf\"}} {0}\n"
        "tgi_batch_inference_duration_sum{{method=\"prefill\"}} {2}\n"
        "tgi_batch_inference_duration_count{{method=\"prefill\"}} {0}\n"
        "tgi_batch_inference_duration_count{{method=\"decode\"}} {1}\n"
        "tgi_request_success {3}\n",
        prefill, decode, prefill * 0.05, tokens_total));
  };
  series.AddPage(tgi(10, 100, 500), 0);
  series.AddPage(tgi(30, 900, 20), 1'000'000'000);  // the server restarted: 20 since then
  const auto m = series.Summary(0, 1'000'000'000)["metrics"];
  EXPECT_DOUBLE_EQ(m["prefill_time"]["count"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(m["decode_time"]["count"].get<double>(), 800.0);
  EXPECT_DOUBLE_EQ(m["requests_finished"]["increase"].get<double>(), 20.0);
}

TEST(ServerMetricsTest, LongRunsKeepBoundedSnapshots) {
  ServerMetricsSeries series;
  const int n = 3000;
  for (int i = 0; i <= n; ++i) {
    series.AddPage(ParsePrometheusText(fmt::format("vllm:generation_tokens_total {}\n", i * 10)),
                   int64_t{i} * 1'000'000'000);
  }
  // The phase ends at the very last scrape, which is always kept; its start falls between kept
  // scrapes, so the bracket is the kept scrape before it.
  const auto m = series.Summary(int64_t{1000} * 1'000'000'000, int64_t{n} * 1'000'000'000)["metrics"];
  const double increase = m["generation_tokens"]["increase"].get<double>();
  EXPECT_GE(increase, 20000.0);
  EXPECT_LE(increase, 20000.0 + 10.0 * 16);
  EXPECT_DOUBLE_EQ(m["generation_tokens"]["rate_per_s"].get<double>(), 10.0);
}

}  // namespace
}  // namespace bench
