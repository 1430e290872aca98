#include "util/significance.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

// x = {1,2,3}, y = {4,5,6}: every x ranks below every y, so rank sum(x) = 1+2+3 = 6 and
// U = 6 - 3*4/2 = 0. mean U = 3*3/2 = 4.5, var = 3*3/12 * (6+1) = 5.25 (no ties).
// z = -(4.5 - 0.5)/sqrt(5.25) = -1.745743; p = erfc(1.745743/sqrt 2) = 0.080856 (scipy agrees).
TEST(SignificanceTest, MannWhitneyFullySeparatedSamples) {
  const MannWhitneyResult r = MannWhitneyU({1, 2, 3}, {4, 5, 6});
  EXPECT_DOUBLE_EQ(r.u, 0.0);
  EXPECT_NEAR(r.z, -1.7457431, 1e-6);
  EXPECT_NEAR(r.p_value, 0.0808556, 1e-6);
}

// x = {1,2,2}, y = {2,3,4}: pooled ranks 1 | 2,2,2 -> 3 each | 5 | 6; rank sum(x) = 1+3+3 = 7,
// U = 7 - 6 = 1. One tie group of t=3: sum(t^3 - t) = 24; var = 9/12 * (7 - 24/(6*5)) = 4.65.
// z = -(3.5 - 0.5)/sqrt(4.65) = -1.391217; p = erfc(1.391217/sqrt 2) = 0.164160.
TEST(SignificanceTest, MannWhitneyTieCorrection) {
  const MannWhitneyResult r = MannWhitneyU({1, 2, 2}, {2, 3, 4});
  EXPECT_DOUBLE_EQ(r.u, 1.0);
  EXPECT_NEAR(r.z, -1.3912167, 1e-6);
  EXPECT_NEAR(r.p_value, 0.1641597, 1e-6);
}

TEST(SignificanceTest, MannWhitneyIsSymmetricAndHandlesDegenerateInput) {
  EXPECT_NEAR(MannWhitneyU({4, 5, 6}, {1, 2, 3}).p_value, 0.0808556, 1e-6);
  EXPECT_DOUBLE_EQ(MannWhitneyU({4, 5, 6}, {1, 2, 3}).u, 9.0);
  EXPECT_DOUBLE_EQ(MannWhitneyU({}, {1, 2}).p_value, 1.0);
  EXPECT_DOUBLE_EQ(MannWhitneyU({2, 2}, {2, 2}).p_value, 1.0);  // all tied: variance 0
}

TEST(SignificanceTest, MannWhitneyDetectsAShiftInLargerSamples) {
  std::vector<double> a, b;
  for (int i = 0; i < 50; ++i) {
    a.push_back(20.0 + (i % 7) * 0.1);
    b.push_back(30.0 + (i % 5) * 0.1);
  }
  EXPECT_LT(MannWhitneyU(a, b).p_value, 1e-10);
  EXPECT_GT(MannWhitneyU(a, a).p_value, 0.9);
}

TEST(SignificanceTest, Median) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(Median({}), 0.0);
}

TEST(SignificanceTest, BootstrapIntervalIsReproducibleAndCoversTheShift) {
  std::vector<double> a, b;
  for (int i = 0; i < 40; ++i) {
    a.push_back(10.0 + (i % 9));
    b.push_back(15.0 + (i % 9));  // every value shifted by exactly 5
  }
  const ConfidenceInterval ci = BootstrapMedianDifference(a, b);
  EXPECT_LE(ci.low, 5.0);
  EXPECT_GE(ci.high, 5.0);
  EXPECT_GT(ci.low, 0.0);
  const ConfidenceInterval again = BootstrapMedianDifference(a, b);
  EXPECT_DOUBLE_EQ(ci.low, again.low);
  EXPECT_DOUBLE_EQ(ci.high, again.high);
  // Constant samples: every resample has the same median difference.
  const ConfidenceInterval constant = BootstrapMedianDifference({1, 1, 1}, {3, 3});
  EXPECT_DOUBLE_EQ(constant.low, 2.0);
  EXPECT_DOUBLE_EQ(constant.high, 2.0);
}

}  // namespace
}  // namespace bench
