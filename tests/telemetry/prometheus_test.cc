#include "telemetry/prometheus.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

TEST(PrometheusTest, SamplesWithLabelsValuesAndTimestamps) {
  const MetricsPage page = ParsePrometheusText(
      "# HELP http_requests_total The total number\\nof requests \\\\ served.\n"
      "# TYPE http_requests_total counter\n"
      "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
      "http_requests_total{method=\"post\",code=\"400\"}    3 -1\n"
      "\n"
      "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
      "metric_without_timestamp_and_labels 12.47\n"
      "something_weird{problem=\"division by zero\"} +Inf -3982045\n"
      "nan_value NaN\n"
      "neg_inf{a=\"b\",} -Inf\n");
  EXPECT_EQ(page.error_count, 0u) << (page.errors.empty() ? "" : page.errors[0].message);
  ASSERT_EQ(page.samples.size(), 7u);
  const PromSample& first = page.samples[0];
  EXPECT_EQ(first.name, "http_requests_total");
  ASSERT_EQ(first.labels.size(), 2u);
  EXPECT_EQ(first.labels[0].name, "method");
  EXPECT_EQ(*LabelValue(first, "code"), "200");
  EXPECT_FALSE(LabelValue(first, "absent").has_value());
  EXPECT_EQ(first.value, 1027);
  EXPECT_EQ(first.timestamp_ms, 1395066363000);
  EXPECT_EQ(page.samples[1].timestamp_ms, -1);
  EXPECT_EQ(TypeOf(page, first), MetricType::kCounter);
  ASSERT_EQ(page.families.size(), 1u);
  EXPECT_EQ(page.families[0].help, "The total number\nof requests \\ served.");

  EXPECT_EQ(*LabelValue(page.samples[2], "path"), "C:\\DIR\\FILE.TXT");
  EXPECT_EQ(*LabelValue(page.samples[2], "error"), "Cannot find file:\n\"FILE.TXT\"");
  EXPECT_EQ(page.samples[2].value, 1.458255915e9);
  EXPECT_TRUE(page.samples[3].labels.empty());
  EXPECT_FALSE(page.samples[3].timestamp_ms.has_value());
  EXPECT_EQ(page.samples[3].family, -1);
  EXPECT_TRUE(std::isinf(page.samples[4].value) && page.samples[4].value > 0);
  EXPECT_EQ(page.samples[4].timestamp_ms, -3982045);
  EXPECT_TRUE(std::isnan(page.samples[5].value));
  EXPECT_TRUE(std::isinf(page.samples[6].value) && page.samples[6].value < 0);
  EXPECT_EQ(*LabelValue(page.samples[6], "a"), "b");  // a trailing comma is allowed
}

TEST(PrometheusTest, HistogramAndSummarySeriesBelongToTheirFamily) {
  const MetricsPage page = ParsePrometheusText(
      "# TYPE vllm:time_to_first_token_seconds histogram\n"
      "vllm:time_to_first_token_seconds_bucket{le=\"0.001\",model_name=\"m\"} 0.0\n"
      "vllm:time_to_first_token_seconds_bucket{le=\"+Inf\",model_name=\"m\"} 4.0\n"
      "vllm:time_to_first_token_seconds_count{model_name=\"m\"} 4.0\n"
      "vllm:time_to_first_token_seconds_sum{model_name=\"m\"} 0.25\n"
      "# TYPE rpc_duration_seconds summary\n"
      "rpc_duration_seconds{quantile=\"0.5\"} 4773\n"
      "rpc_duration_seconds_sum 1.7560473e+07\n"
      "rpc_duration_seconds_count 2693\n"
      "# TYPE tokens counter\n"
      "tokens_total 7\n"
      "tokens_created 1.7e9\n"
      "# TYPE g gauge\n"
      "g_sum 1\n");
  ASSERT_EQ(page.error_count, 0u);
  ASSERT_EQ(page.samples.size(), 10u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(TypeOf(page, page.samples[i]), MetricType::kHistogram) << i;
  EXPECT_TRUE(std::isinf(std::stod(std::string(*LabelValue(page.samples[1], "le")))));
  for (int i = 4; i < 7; ++i) EXPECT_EQ(TypeOf(page, page.samples[i]), MetricType::kSummary) << i;
  EXPECT_EQ(TypeOf(page, page.samples[7]), MetricType::kCounter);
  EXPECT_EQ(TypeOf(page, page.samples[8]), MetricType::kCounter);
  EXPECT_EQ(page.samples[9].family, -1);  // a gauge has no _sum series
}

TEST(PrometheusTest, BadLinesAreReportedAndSkipped) {
  const MetricsPage page = ParsePrometheusText(
      "<html><body>Not Found</body></html>\n"
      "good 1\n"
      "bad_line_without_value\n"
      "bad{label=\"unterminated} 1\n"
      "bad{9label=\"x\"} 1\n"
      "bad{a=\"1\",a=\"2\"} 1\n"
      "bad 0x1A\n"
      "bad 1 2 3\n"
      "bad 1 1.5\n"
      "bad{a=\"1\"}2\n"
      "# TYPE good nonsense\n"
      "good2 2\r\n");
  ASSERT_EQ(page.samples.size(), 2u);
  EXPECT_EQ(page.samples[0].name, "good");
  EXPECT_EQ(page.samples[1].name, "good2");
  EXPECT_EQ(page.samples[1].value, 2);
  EXPECT_EQ(page.error_count, 10u);
  ASSERT_EQ(page.errors.size(), 10u);
  EXPECT_EQ(page.errors[0].line, 1u);
  EXPECT_EQ(page.errors[1].line, 3u);
  EXPECT_EQ(page.errors[1].message, "a sample without a value");
  EXPECT_EQ(page.errors[5].message, "invalid value '0x1A'");
}

TEST(PrometheusTest, KeepsTheFirstErrorsOnlyButCountsAll) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "broken\n";
  const MetricsPage page = ParsePrometheusText(text);
  EXPECT_EQ(page.error_count, 25u);
  EXPECT_EQ(page.errors.size(), MetricsPage::kMaxKeptErrors);
}

TEST(PrometheusTest, QuotedNamesAndBlanks) {
  const MetricsPage page = ParsePrometheusText(
      "{\"my.dotted.metric\",\"label.x\"=\"v\"} 3\n"
      "\tspaced {a = \"b\" , c=\"d\"}  4  \n");
  ASSERT_EQ(page.error_count, 0u) << page.errors[0].message;
  ASSERT_EQ(page.samples.size(), 2u);
  EXPECT_EQ(page.samples[0].name, "my.dotted.metric");
  EXPECT_EQ(*LabelValue(page.samples[0], "label.x"), "v");
  EXPECT_EQ(page.samples[1].name, "spaced");
  EXPECT_EQ(*LabelValue(page.samples[1], "c"), "d");
  EXPECT_EQ(page.samples[1].value, 4);
}

// GenAI-Perf's DCGM fixture is indented by four blanks; every line must still parse.
TEST(PrometheusTest, ParsesGenAiPerfsDcgmFixture) {
  std::ifstream in(test::CasesDir() / "dcgm_metrics_parse" / "input_metrics.txt");
  std::stringstream text;
  text << in.rdbuf();
  const MetricsPage page = ParsePrometheusText(text.str());
  EXPECT_EQ(page.error_count, 0u);
  ASSERT_EQ(page.samples.size(), 27u);
  EXPECT_EQ(page.samples[0].name, "DCGM_FI_DEV_POWER_USAGE");
  EXPECT_EQ(*LabelValue(page.samples[0], "gpu"), "0");
  EXPECT_EQ(page.samples[0].value, 25.0);
}

}  // namespace
}  // namespace bench
