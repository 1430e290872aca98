#include "plots/stats.h"

#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(PlotStatsTest, BoxOfFiveValuesWithOneHighOutlier) {
  // Quartiles (numpy linear): index 1 and 3 of the sorted values -> 2 and 4; IQR 2, so the
  // fences are -1 and 7: 100 is an outlier and the upper whisker stops at 4.
  const std::vector<double> v = {3, 100, 1, 4, 2};
  const BoxStats b = ComputeBoxStats(v);
  EXPECT_EQ(b.count, 5u);
  EXPECT_DOUBLE_EQ(b.q1, 2);
  EXPECT_DOUBLE_EQ(b.median, 3);
  EXPECT_DOUBLE_EQ(b.q3, 4);
  EXPECT_DOUBLE_EQ(b.min, 1);
  EXPECT_DOUBLE_EQ(b.max, 100);
  EXPECT_DOUBLE_EQ(b.mean, 22);
  EXPECT_DOUBLE_EQ(b.lower_whisker, 1);
  EXPECT_DOUBLE_EQ(b.upper_whisker, 4);
  EXPECT_EQ(b.outliers, (std::vector<double>{100}));
}

TEST(PlotStatsTest, BoxQuartilesInterpolateLikeBenchsPercentiles) {
  // [1, 2, 3, 4]: virtual index 0.75 -> 1.75, 1.5 -> 2.5, 2.25 -> 3.25. No outlier.
  const BoxStats b = ComputeBoxStats(std::vector<double>{4, 1, 3, 2});
  EXPECT_DOUBLE_EQ(b.q1, 1.75);
  EXPECT_DOUBLE_EQ(b.median, 2.5);
  EXPECT_DOUBLE_EQ(b.q3, 3.25);
  EXPECT_DOUBLE_EQ(b.lower_whisker, 1);
  EXPECT_DOUBLE_EQ(b.upper_whisker, 4);
  EXPECT_TRUE(b.outliers.empty());
}

TEST(PlotStatsTest, LowOutlierAndWhiskerAtTheLastValueInsideTheFence) {
  // q1 10, q3 12, fences 7 and 15: -50 is out, the lower whisker is 10 (not the fence 7).
  const BoxStats b = ComputeBoxStats(std::vector<double>{12, -50, 10, 13, 11});
  EXPECT_DOUBLE_EQ(b.lower_whisker, 10);
  EXPECT_DOUBLE_EQ(b.upper_whisker, 13);
  EXPECT_EQ(b.outliers, (std::vector<double>{-50}));
}

TEST(PlotStatsTest, EmptyBox) { EXPECT_EQ(ComputeBoxStats({}).count, 0u); }

TEST(PlotStatsTest, BinsAreNiceWidthsAlignedToMultiples) {
  Bins b = NiceBins(100, 100, 20);  // every request the same length: one bin of width 1
  EXPECT_EQ(b.count, 1u);
  EXPECT_EQ(b.start, 100);
  EXPECT_EQ(b.width.Value(), 1);
  b = NiceBins(100, 150, 20);  // 50 / 20 = 2.5 -> 5; [100, 105), ..., [150, 155)
  EXPECT_EQ(b.width.Value(), 5);
  EXPECT_EQ(b.start, 100);
  EXPECT_EQ(b.count, 11u);
  EXPECT_EQ(b.IndexOf(104), 0u);
  EXPECT_EQ(b.IndexOf(105), 1u);
  EXPECT_EQ(b.IndexOf(150), 10u);
  EXPECT_EQ(b.Edge(11), 155);
  b = NiceBins(0, 1000, 20);  // 50 would need 21 bins (1000 opens its own): 100 -> 11
  EXPECT_EQ(b.width.Value(), 100);
  EXPECT_EQ(b.count, 11u);
  b = NiceBins(3, 1234, 10);  // 123.1 -> 200, aligned at 0: [0, 200) ... [1200, 1400)
  EXPECT_EQ(b.width.Value(), 200);
  EXPECT_EQ(b.start, 0);
  EXPECT_EQ(b.count, 7u);
  b = NiceBins(95, 105, 20);  // 0.5 -> at least one token wide
  EXPECT_EQ(b.width.Value(), 1);
  EXPECT_EQ(b.count, 11u);
  EXPECT_EQ(b.IndexOf(-1), 0u);     // clamped
  EXPECT_EQ(b.IndexOf(1e9), 10u);  // clamped
}

TEST(PlotStatsTest, HeatmapCountsPairsPerCell) {
  const std::vector<double> isl = {100, 100, 101, 103, 103};
  const std::vector<double> osl = {50, 52, 50, 50, 50};
  const Heatmap h = BinHeatmap(isl, osl, 20);
  ASSERT_EQ(h.x.count, 4u);  // 100, 101, 102, 103
  ASSERT_EQ(h.y.count, 3u);  // 50, 51, 52
  EXPECT_EQ(h.At(0, 0), 1u);
  EXPECT_EQ(h.At(0, 2), 1u);
  EXPECT_EQ(h.At(1, 0), 1u);
  EXPECT_EQ(h.At(2, 0), 0u);
  EXPECT_EQ(h.At(3, 0), 2u);
  EXPECT_EQ(h.max_count, 2u);
  EXPECT_EQ(h.total, 5u);
  EXPECT_EQ(BinHeatmap({}, {}, 20).total, 0u);
}

TEST(PlotStatsTest, EvenSampleSpreadsIndicesOverTheWholeRange) {
  EXPECT_EQ(EvenSampleIndices(10, 4), (std::vector<size_t>{0, 2, 5, 7}));
  EXPECT_EQ(EvenSampleIndices(3, 5), (std::vector<size_t>{0, 1, 2}));
  EXPECT_TRUE(EvenSampleIndices(0, 5).empty());
}

TEST(PlotStatsTest, StrideSamplerKeepsEveryStrideThItemWithinItsCap) {
  StrideSampler<int> s(4);
  for (int i = 0; i < 10; ++i) s.Add(i);
  // 0..4 overflow the cap -> 0 2 4 (stride 2); 6, 8 -> 0 2 4 6 8 overflow -> 0 4 8 (stride 4).
  EXPECT_EQ(s.items(), (std::vector<int>{0, 4, 8}));
  EXPECT_EQ(s.stride(), 4u);
  EXPECT_EQ(s.seen(), 10u);
  StrideSampler<int> small(4);
  for (int i = 0; i < 3; ++i) small.Add(i);
  EXPECT_EQ(small.items(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(small.stride(), 1u);
}

}  // namespace
}  // namespace bench
