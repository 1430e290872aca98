#include "cluster/clock_offset.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(ClockOffsetTest, TheShortestRoundTripDecidesAndBoundsTheOffset) {
  // The remote clock is 1'000'000 ns ahead. Two slow exchanges, one fast one.
  const std::vector<PingSample> samples = {
      {100, 1'000'100 + 900, 2'100},  // rtt 2000, answered late: offset estimate 1'000'000 - 100
      {5'000, 1'005'000 + 40, 5'080},  // rtt 80, symmetric: exact
      {9'000, 1'009'000 + 100, 9'600},  // rtt 600
  };
  const ClockOffset o = EstimateOffset(samples);
  EXPECT_EQ(o.best_round_trip_ns, 80);
  EXPECT_EQ(o.offset_ns, 1'000'000);
  EXPECT_EQ(o.uncertainty_ns, 40);
  EXPECT_EQ(o.samples, 3);
}

TEST(ClockOffsetTest, AnAsymmetricExchangeStaysWithinItsUncertainty) {
  // True offset -500; the reply took the whole round trip's delay on the way back.
  const std::vector<PingSample> samples = {{1'000, 1'000 - 500 + 0, 1'300}};
  const ClockOffset o = EstimateOffset(samples);
  EXPECT_LE(std::llabs(o.offset_ns - (-500)), o.uncertainty_ns);
  EXPECT_EQ(o.uncertainty_ns, 150);
}

TEST(ClockOffsetTest, NoSamplesIsZeroAndNegativeRoundTripsAreIgnored) {
  EXPECT_EQ(EstimateOffset({}).offset_ns, 0);
  const ClockOffset o = EstimateOffset({{100, 5, 50}, {200, 250, 300}});
  EXPECT_EQ(o.best_round_trip_ns, 100);
  EXPECT_EQ(o.offset_ns, 0);
}

}  // namespace
}  // namespace bench
