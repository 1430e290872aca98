#include "plots/scale.h"

#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(PlotScaleTest, NiceStepIsTheSmallestOneTwoOrFiveTimesAPowerOfTenAtLeastX) {
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(19.4).Value(), 20);
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(20).Value(), 20);
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(0.7).Value(), 1);
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(1).Value(), 1);
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(0.13).Value(), 0.2);
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(3e-5).Value(), 5e-5);
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(501).Value(), 1000);
  EXPECT_DOUBLE_EQ(NiceStepAtLeast(0).Value(), 1);  // not a width: a usable default
  EXPECT_EQ(NextNiceStep({5, 2}).mantissa, 1);
  EXPECT_EQ(NextNiceStep({5, 2}).exponent, 3);
}

TEST(PlotScaleTest, AxisWidensToWholeStepsAroundTheData) {
  // 97 / 5 = 19.4 -> step 20.
  Axis a = NiceAxis(0, 97, 6);
  EXPECT_EQ(a.ticks, (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(a.lo, 0);
  EXPECT_EQ(a.hi, 100);
  // 5.7 / 5 = 1.14 -> step 2; the data 3.2..8.9 lies in 2..10.
  a = NiceAxis(3.2, 8.9, 6);
  EXPECT_EQ(a.ticks, (std::vector<double>{2, 4, 6, 8, 10}));
}

TEST(PlotScaleTest, DecimalTicksAreTheRoundNumbersNotTheirFloatingPointNeighbours) {
  // 0.6 / 5 = 0.12 -> step 0.2; 0.3 / 0.2 is 1.4999999999999998 in doubles.
  const Axis a = NiceAxis(0.3, 0.9, 6);
  EXPECT_EQ(a.ticks, (std::vector<double>{0.2, 0.4, 0.6, 0.8, 1.0}));
  EXPECT_EQ(FormatTick(a.ticks[2], a.step), "0.6");
  EXPECT_EQ(FormatTick(a.ticks[4], a.step), "1.0");
}

TEST(PlotScaleTest, AxisNeverHasMoreTicksThanAsked) {
  // 40 / 2 = 20 -> step 20 would need 0, 20, 40, 60 to cover 10..50: four ticks; step 50 fits.
  const Axis a = NiceAxis(10, 50, 3);
  EXPECT_EQ(a.ticks, (std::vector<double>{0, 50}));
  EXPECT_EQ(NiceAxis(0, 1000, 3).ticks, (std::vector<double>{0, 500, 1000}));
}

TEST(PlotScaleTest, ConstantDataGetsAnAxisAroundItsValue) {
  // Every request with ISL 100: 90..110 (10% either side), step 20 / 5 = 4 -> 5.
  const Axis a = NiceAxis(100, 100, 6);
  EXPECT_EQ(a.ticks, (std::vector<double>{90, 95, 100, 105, 110}));
  const Axis zero = NiceAxis(0, 0, 6);
  EXPECT_EQ(zero.ticks, (std::vector<double>{-1, -0.5, 0, 0.5, 1}));
  EXPECT_EQ(FormatTick(zero.ticks[2], zero.step), "0.0");
}

TEST(PlotScaleTest, TickLabelsHaveTheStepsDecimalsAndNoNegativeZero) {
  EXPECT_EQ(FormatTick(1500, {5, 2}), "1500");
  EXPECT_EQ(FormatTick(0.25, {5, -2}), "0.25");
  EXPECT_EQ(FormatTick(-0.00001, {1, -1}), "0.0");
  EXPECT_EQ(FormatTick(-0.5, {5, -1}), "-0.5");
}

TEST(PlotScaleTest, LinearScaleMapsDomainToRangeAndCanFlip) {
  EXPECT_DOUBLE_EQ(LinearScale(0, 10, 100, 200)(5), 150);
  EXPECT_DOUBLE_EQ(LinearScale(0, 10, 300, 100)(2.5), 250);  // y drawn upwards
  EXPECT_DOUBLE_EQ(LinearScale(3, 3, 0, 50)(3), 25);         // empty domain: the middle
}

}  // namespace
}  // namespace bench
