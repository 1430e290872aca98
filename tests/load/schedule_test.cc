#include "load/schedule.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(ScheduleTest, ConstantSpacingWithoutDrift) {
  const auto offsets = ArrivalOffsets(1'000'001, 3.0, ArrivalDistribution::kConstant, 0);
  ASSERT_EQ(offsets.size(), 1'000'001u);
  EXPECT_EQ(offsets[0], 0);
  EXPECT_EQ(offsets[1], 333'333'333);
  EXPECT_EQ(offsets[3], 1'000'000'000);
  // A running sum of rounded gaps would be 333 s off by now; index * gap stays exact.
  EXPECT_EQ(offsets[1'000'000], 333'333'333'333'333);
}

TEST(ScheduleTest, PoissonMeanAndSeedReproducibility) {
  const auto a = ArrivalOffsets(200'000, 1000.0, ArrivalDistribution::kPoisson, 42);
  const auto b = ArrivalOffsets(200'000, 1000.0, ArrivalDistribution::kPoisson, 42);
  const auto c = ArrivalOffsets(200'000, 1000.0, ArrivalDistribution::kPoisson, 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a[0], 0);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  // Mean gap 1 ms; with 200k samples the mean is within 1% with overwhelming probability
  // (standard error 0.22%), and the seed is fixed, so this cannot flake.
  const double mean_gap = static_cast<double>(a.back()) / (a.size() - 1);
  EXPECT_NEAR(mean_gap, 1e6, 1e4);
  // Exponential gaps: about 63.2% are shorter than the mean.
  size_t shorter = 0;
  for (size_t i = 1; i < a.size(); ++i) shorter += (a[i] - a[i - 1]) < 1'000'000;
  EXPECT_NEAR(static_cast<double>(shorter) / (a.size() - 1), 1 - std::exp(-1.0), 0.01);
}

// Gap statistics of a schedule in units of the mean gap 1/rate: mean and coefficient of variation.
std::pair<double, double> GapMeanAndCv(const std::vector<int64_t>& offsets, double gap_ns) {
  double sum = 0, sum_sq = 0;
  const size_t n = offsets.size() - 1;
  for (size_t i = 1; i < offsets.size(); ++i) {
    const double g = static_cast<double>(offsets[i] - offsets[i - 1]) / gap_ns;
    sum += g;
    sum_sq += g * g;
  }
  const double mean = sum / n;
  return {mean, std::sqrt(sum_sq / n - mean * mean) / mean};
}

TEST(ScheduleTest, BurstinessKeepsTheRateAndSetsTheSpreadOfGaps) {
  // Gamma gaps of shape k, scale 1/k: mean 1 (the rate is kept), coefficient of variation
  // 1/sqrt(k). 200k gaps give a standard error well under 1% for both; the seed is fixed.
  for (const double k : {0.25, 0.5, 2.0, 8.0}) {
    const auto a = ArrivalOffsets(200'000, 1000.0, ArrivalDistribution::kPoisson, 7, k);
    EXPECT_EQ(a, ArrivalOffsets(200'000, 1000.0, ArrivalDistribution::kPoisson, 7, k));
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
    const auto [mean, cv] = GapMeanAndCv(a, 1e6);
    EXPECT_NEAR(mean, 1.0, 0.02) << k;
    EXPECT_NEAR(cv, 1 / std::sqrt(k), 0.03 / std::sqrt(k)) << k;
  }
  // Burstiness 1 is the Poisson schedule itself, unchanged.
  EXPECT_EQ(ArrivalOffsets(1000, 50.0, ArrivalDistribution::kPoisson, 3, 1.0),
            ArrivalOffsets(1000, 50.0, ArrivalDistribution::kPoisson, 3));
  // The deadline-cut schedule is the same stream.
  const auto within = ArrivalOffsetsWithin(2'000'000'000, 1000.0, ArrivalDistribution::kPoisson, 7, 0.5);
  const auto counted = ArrivalOffsets(static_cast<int>(within.size()), 1000.0, ArrivalDistribution::kPoisson, 7, 0.5);
  EXPECT_EQ(within, counted);
}

TEST(ScheduleTest, DegenerateInputsGiveEmptySchedules) {
  EXPECT_TRUE(ArrivalOffsets(0, 5, ArrivalDistribution::kConstant, 0).empty());
  EXPECT_TRUE(ArrivalOffsets(5, 0, ArrivalDistribution::kConstant, 0).empty());
  EXPECT_TRUE(ArrivalOffsets(5, -1, ArrivalDistribution::kPoisson, 0).empty());
  EXPECT_EQ(ParseArrivalDistribution("poisson"), ArrivalDistribution::kPoisson);
  EXPECT_FALSE(ParseArrivalDistribution("gamma").has_value());
  for (ArrivalDistribution d : {ArrivalDistribution::kConstant, ArrivalDistribution::kPoisson}) {
    EXPECT_EQ(ParseArrivalDistribution(ArrivalDistributionName(d)), d);  // the names round-trip
  }
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

TEST(ScheduleWithinTest, CutsTheScheduleAtTheDeadlineAndKeepsItsPrefix) {
  EXPECT_EQ(ArrivalOffsetsWithin(500'000'000, 20, ArrivalDistribution::kConstant, 0),
            ArrivalOffsets(10, 20, ArrivalDistribution::kConstant, 0));
  const auto poisson = ArrivalOffsetsWithin(2'000'000'000, 50, ArrivalDistribution::kPoisson, 7);
  ASSERT_FALSE(poisson.empty());
  EXPECT_LT(poisson.back(), 2'000'000'000);
  EXPECT_EQ(poisson, ArrivalOffsets(static_cast<int>(poisson.size()), 50, ArrivalDistribution::kPoisson, 7));
  EXPECT_TRUE(ArrivalOffsetsWithin(0, 10, ArrivalDistribution::kConstant, 0).empty());
}

TEST(FixedScheduleTest, OffsetsAreTimestampsFromTheFirstOverTheSpeedup) {
  EXPECT_EQ(FixedScheduleOffsets({100, 150, 150, 400}, 2.0),
            (std::vector<int64_t>{0, 25'000'000, 25'000'000, 150'000'000}));
  EXPECT_EQ(FixedScheduleOffsets({0, 1}, 3.0), (std::vector<int64_t>{0, 333'333}));
  EXPECT_TRUE(FixedScheduleOffsets({}, 1.0).empty());
}

}  // namespace
}  // namespace bench
