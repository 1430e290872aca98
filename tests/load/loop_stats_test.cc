#include "load/loop_stats.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(DurationHistogramTest, EmptyIsZero) {
  DurationHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Quantile(0.99), 0);
}

TEST(DurationHistogramTest, SmallValuesAreExact) {
  DurationHistogram h;
  for (int v = 0; v < 10; ++v) h.Record(v);
  // Rank ceil(0.5 * 10) = 5 is the value 4, whose bucket is [4, 5).
  EXPECT_DOUBLE_EQ(h.Quantile(0.5), 4.5);
  EXPECT_EQ(h.max(), 9);
}

TEST(DurationHistogramTest, QuantilesWithinOneBucket) {
  DurationHistogram h;
  // 990 passes of 10 us and 10 of 2 ms: p50 is 10 us and p99 still 10 us, p99.5 is 2 ms.
  for (int i = 0; i < 990; ++i) h.Record(10'000);
  for (int i = 0; i < 10; ++i) h.Record(2'000'000);
  EXPECT_NEAR(h.Quantile(0.5), 10'000, 10'000 * 0.125);
  EXPECT_NEAR(h.Quantile(0.99), 10'000, 10'000 * 0.125);
  EXPECT_NEAR(h.Quantile(0.995), 2'000'000, 2'000'000 * 0.125);
  EXPECT_LE(h.Quantile(1.0), 2'000'000);
  EXPECT_EQ(h.max(), 2'000'000);
}

TEST(DurationHistogramTest, MergeAddsCountsAndKeepsMax) {
  DurationHistogram a, b;
  a.Record(100);
  b.Record(5'000);
  b.Record(7);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.max(), 5'000);
}

TEST(LoopSummaryTest, BusiestThreadAndPooledPasses) {
  std::vector<LoopMeter> meters(3);
  meters[0].cpu_ns = 250;
  meters[0].wall_ns = 1'000;
  meters[0].passes.Record(1'000);
  meters[1].cpu_ns = 900;
  meters[1].wall_ns = 1'000;
  meters[1].passes.Record(3'000);
  // meters[2] never ran a measured phase: not counted.
  const LoopSummary s = SummarizeLoops(meters);
  EXPECT_EQ(s.threads, 2);
  EXPECT_DOUBLE_EQ(s.busiest_cpu_percent, 90.0);
  EXPECT_EQ(s.passes, 2u);
  EXPECT_EQ(s.pass_max_ns, 3'000);
}

}  // namespace
}  // namespace bench
