#include "bench/statistics.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(StatisticsTest, MeanOfSmallVector) {
  const std::vector<double> v = {4, 5, 6};
  EXPECT_DOUBLE_EQ(Mean(v), 5.0);
}

TEST(StatisticsTest, PercentileLinearInterpolationMatchesNumpy) {
  // numpy.percentile([1, 2, 3, 4], q): virtual index (n-1)*q/100.
  const std::vector<double> v = {4, 1, 3, 2};  // unsorted on purpose
  EXPECT_DOUBLE_EQ(Percentile(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 25), 1.75);
  EXPECT_DOUBLE_EQ(Percentile(v, 50), 2.5);
  EXPECT_DOUBLE_EQ(Percentile(v, 99), 3.97);
  EXPECT_DOUBLE_EQ(Percentile(v, 100), 4.0);
}

TEST(StatisticsTest, PercentileOfThreeValuesAsInGenAiPerfTables) {
  // The golden console table: [7, 8, 9] -> p99 8.98, p90 8.80, p75 8.50.
  const std::vector<double> v = {7, 8, 9};
  EXPECT_DOUBLE_EQ(Percentile(v, 99), 8.98);
  EXPECT_DOUBLE_EQ(Percentile(v, 90), 8.8);
  EXPECT_DOUBLE_EQ(Percentile(v, 75), 8.5);
  EXPECT_DOUBLE_EQ(Percentile(v, 1), 7.02);
}

TEST(StatisticsTest, PercentileUsesNumpyLerpFromTheNearerEnd) {
  // numpy interpolates from the upper neighbour when the fraction is >= 0.5; with values
  // 11 and 13 (ns) scaled later, p5 of [11, 13] = 13 - 2 * (1 - 0.05) = 11.1 exactly as numpy.
  const std::vector<double> v = {11, 13};
  EXPECT_EQ(Percentile(v, 5), 11 + 2 * 0.05);
  EXPECT_EQ(Percentile(v, 99), 13 - 2 * (1 - 0.99));
}

TEST(StatisticsTest, PercentileSingleValueAndDuplicates) {
  EXPECT_DOUBLE_EQ(Percentile(std::vector<double>{42}, 37), 42.0);
  EXPECT_DOUBLE_EQ(Percentile(std::vector<double>{5, 5, 5, 5}, 63), 5.0);
}

TEST(StatisticsTest, PopulationStdDevIsDdofZero) {
  const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(PopulationStdDev(v), 2.0);
  EXPECT_DOUBLE_EQ(PopulationStdDev(std::vector<double>{11, 13}), 1.0);
}

TEST(StatisticsTest, EmptyInputsGiveNaN) {
  const std::vector<double> empty;
  EXPECT_TRUE(std::isnan(Mean(empty)));
  EXPECT_TRUE(std::isnan(Percentile(empty, 50)));
  EXPECT_TRUE(ComputeStatistics(empty).empty());
}

TEST(StatisticsTest, RoundHalfEvenIsBankersRounding) {
  EXPECT_EQ(RoundHalfEven(2.5), 2.0);
  EXPECT_EQ(RoundHalfEven(3.5), 4.0);
  EXPECT_EQ(RoundHalfEven(-2.5), -2.0);
  EXPECT_EQ(RoundHalfEven(1.6), 2.0);
  EXPECT_EQ(RoundHalfEven(0.5), 0.0);
  EXPECT_EQ(RoundHalfEven(1.5), 2.0);
}

TEST(StatisticsTest, ComputeStatisticsKeepsGenAiPerfOrder) {
  const std::vector<double> v = {4, 5, 6};
  const auto stats = ComputeStatistics(v);
  std::vector<std::string> names;
  for (const auto& kv : stats) names.push_back(kv.first);
  EXPECT_EQ(names, StatisticNames());
  EXPECT_DOUBLE_EQ(stats[0].second, 5.0);   // avg
  EXPECT_DOUBLE_EQ(stats[10].second, 4.0);  // min
  EXPECT_DOUBLE_EQ(stats[11].second, 6.0);  // max
}

TEST(StatisticsTest, LongVectorMeanUsesPairwiseSummation) {
  // 1e16 + many ones: naive left-to-right summation loses every 1.0; numpy's pairwise sum
  // keeps them in blocks. 1000 values: numpy.mean gives (1e16 + 999) / 1000 rounded.
  std::vector<double> v(1000, 1.0);
  v[0] = 1e16;
  double naive = 0;
  for (double x : v) naive += x;
  EXPECT_NE(Mean(v) * 1000, naive);  // the association order matters here
  EXPECT_NEAR(Mean(v), 1e13, 1.0);
}

}  // namespace
}  // namespace bench
