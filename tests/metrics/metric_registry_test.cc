#include "metrics/metric_registry.h"

#include <cctype>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace bench {
namespace {

// GenAI-Perf labels a row name.replace("_", " ").title(); bench's own figures name themselves.
std::string PythonTitle(std::string_view key) {
  std::string out;
  bool previous_alpha = false;
  for (char c : key) {
    const char ch = c == '_' ? ' ' : c;
    const bool alpha = std::isalpha(static_cast<unsigned char>(ch)) != 0;
    out += alpha ? static_cast<char>(previous_alpha ? std::tolower(ch) : std::toupper(ch)) : ch;
    previous_alpha = alpha;
  }
  return out;
}

TEST(MetricRegistryTest, KeysAreUniqueAndGenAiPerfRowsAreTitledAsGenAiPerfTitlesThem) {
  std::set<std::string_view> keys;
  for (const MetricInfo& m : Metrics()) {
    EXPECT_TRUE(keys.insert(m.key).second) << m.key;
    EXPECT_EQ(FindMetric(m.key), &m);
    if (!m.bench_only) {
      EXPECT_EQ(m.display, PythonTitle(m.key)) << m.key;
      EXPECT_NE(m.classes, 0u) << m.key;
    } else {
      EXPECT_EQ(m.classes, 0u) << m.key << ": bench's own figures are in no GenAI-Perf table";
    }
    if (m.time) {
      EXPECT_EQ(m.unit, "ms") << m.key << ": times are milliseconds in every file";
    }
  }
  EXPECT_EQ(FindMetric("ttft"), nullptr);
}

TEST(MetricRegistryTest, ClassesHoldGenAiPerfsRows) {
  const MetricInfo& ttft = *FindMetric("time_to_first_token");
  EXPECT_TRUE(InClass(ttft, MetricFamily::kLlm));
  EXPECT_FALSE(InClass(ttft, MetricFamily::kBase));
  EXPECT_TRUE(ttft.streaming_only);
  const MetricInfo& latency = *FindMetric("request_latency");
  for (MetricFamily f : {MetricFamily::kLlm, MetricFamily::kBase, MetricFamily::kImageRetrieval}) {
    EXPECT_TRUE(InClass(latency, f));
  }
  const MetricInfo& images = *FindMetric("image_throughput");
  EXPECT_EQ(images.unit, "pages/sec");    // GenAI-Perf's JSON unit
  EXPECT_EQ(images.row_unit, "images/sec");  // and its console's
  EXPECT_EQ(FindMetric("request_throughput")->row_unit, "per sec");
}

TEST(MetricRegistryTest, BetterDirectionsAndGoodput) {
  EXPECT_EQ(FindMetric("inter_token_latency")->better, Better::kLower);
  EXPECT_EQ(FindMetric("output_token_throughput")->better, Better::kHigher);
  EXPECT_EQ(FindMetric("output_sequence_length")->better, Better::kNeither);
  EXPECT_EQ(FindMetric("error_rate")->better, Better::kLower);
  EXPECT_TRUE(FindMetric("output_token_throughput_per_user")->goodput);
  EXPECT_FALSE(FindMetric("output_sequence_length")->goodput);
  EXPECT_FALSE(FindMetric("request_throughput")->goodput);
}

TEST(MetricRegistryTest, StatLabelsOfBenchFigures) {
  EXPECT_EQ(StatLabel(*FindMetric("schedule_lag"), "p99"), "Schedule Lag p99 (ms)");
  EXPECT_EQ(StatLabel(*FindMetric("schedule_lag"), "max"), "Schedule Lag Max (ms)");
  EXPECT_EQ(StatLabel(*FindMetric("client_busiest_loop_cpu"), ""), "Client Busiest Loop CPU (%)");
}

}  // namespace
}  // namespace bench
