#include "util/statistics.h"

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


// Expected values were produced by numpy 1.24.2 (Debian python3-numpy): np.mean, np.percentile
// at 1..99, min, max, np.std, written as hex floats so the comparison is bit-exact.
std::vector<double> LongVector() {
  std::vector<double> v;
  for (int i = 0; i < 300; ++i) v.push_back(((i * 7919) % 1000) / 7.0);
  return v;
}

TEST(StatisticsTest, BitExactParityWithNumpyOnTrickyVectors) {
  struct Case {
    const char* name;
    std::vector<double> values;
    std::vector<double> expected;  // avg, p1, p5, p10, p25, p50, p75, p90, p95, p99, min, max, std
  };
  const std::vector<Case> cases = {
      {"decimals", std::vector<double>{1.1, 2.2, 3.3, 10.7},
       {0x1.14cccccccccccp+2, 0x1.220c49ba5e354p+0, 0x1.43d70a3d70a3ep+0, 0x1.6e147ae147ae2p+0, 0x1.ecccccccccccep+0, 0x1.6000000000000p+1, 0x1.4999999999999p+2, 0x1.0f5c28f5c28f6p+3, 0x1.32e147ae147acp+3, 0x1.4f4bc6a7ef9dap+3, 0x1.199999999999ap+0, 0x1.5666666666666p+3, 0x1.e185ddea7e6dcp+1}},
      {"spike", std::vector<double>{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1000000000.0},
       {0x1.dcd650059999ap+26, 0x1.999999999999ap-4, 0x1.999999999999ap-4, 0x1.999999999999ap-4, 0x1.999999999999ap-4, 0x1.999999999999ap-4, 0x1.999999999999ap-4, 0x1.1e1a30011eb82p+28, 0x1.35f1b40047addp+29, 0x1.bb7564000e55ep+29, 0x1.999999999999ap-4, 0x1.dcd6500000000p+29, 0x1.3b65ec1d999bap+28}},
      {"ints", std::vector<double>{15.0, 20.0, 35.0, 40.0, 50.0, 3.0, 3.0, 99.0, 7.0},
       {0x1.e38e38e38e38ep+4, 0x1.8000000000000p+1, 0x1.8000000000000p+1, 0x1.8000000000000p+1, 0x1.c000000000000p+2, 0x1.4000000000000p+4, 0x1.4000000000000p+5, 0x1.de66666666668p+5, 0x1.3d99999999998p+6, 0x1.7c51eb851eb85p+6, 0x1.8000000000000p+1, 0x1.8c00000000000p+6, 0x1.d0dfdb6fea50ep+4}},
      {"ns_latencies", std::vector<double>{22125523.0, 22544012.0, 22312018.5, 22269007.75, 22516105.0, 22191572.8, 22159690.1},
       {0x1.544f614ea0ea1p+24, 0x1.51a3d506a7efap+24, 0x1.51c3dd2147ae1p+24, 0x1.51ebe7428f5c3p+24, 0x1.525f8f7333334p+24, 0x1.53cc4fc000000p+24, 0x1.5602edc000000p+24, 0x1.57bd23ccccccdp+24, 0x1.57ddd7e666666p+24, 0x1.57f801947ae14p+24, 0x1.519bd30000000p+24, 0x1.57fe8c0000000p+24, 0x1.2fa504991bce5p+17}},
      {"long", LongVector(),
       {0x1.1e00000000000p+6, 0x1.480bb3ee721a6p+0, 0x1.a333333333333p+2, 0x1.c333333333333p+3, 0x1.1f24924924924p+5, 0x1.1f24924924924p+6, 0x1.aedb6db6db6dbp+6, 0x1.013a83a83a83bp+7, 0x1.0e9d41d41d41dp+7, 0x1.1a0231bcb564fp+7, 0x0.0p+0, 0x1.1c92492492492p+7, 0x1.4bb5f1925f8a7p+5}},
  };
  for (const auto& c : cases) {
    const auto stats = ComputeStatistics(c.values);
    ASSERT_EQ(stats.size(), c.expected.size()) << c.name;
    for (size_t i = 0; i < stats.size(); ++i) {
      EXPECT_EQ(stats[i].second, c.expected[i]) << c.name << " " << stats[i].first;
    }
  }
}

}  // namespace
}  // namespace bench
