#include "util/random_stream.h"

#include <cmath>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(RandomStreamTest, SameSeedSameStream) {
  RandomStream a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Bits();
    EXPECT_EQ(x, b.Bits());
    if (i == 0) {
      EXPECT_NE(x, c.Bits());
    }
  }
}

TEST(RandomStreamTest, KnownFirstValuesPinTheStreamAcrossPlatforms) {
  // std::mt19937_64's 10000th output is fixed by the standard; the first one for seed 5489 too.
  RandomStream r(5489);
  EXPECT_EQ(r.Bits(), 14514284786278117030ULL);
  RandomStream u(0);
  const double x = u.Uniform();
  EXPECT_GE(x, 0.0);
  EXPECT_LT(x, 1.0);
}

TEST(RandomStreamTest, BelowStaysInRange) {
  RandomStream r(1);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(r.Below(7), 7u);
  EXPECT_EQ(r.Below(1), 0u);
}

TEST(RandomStreamTest, GaussHasTheRequestedMeanAndSpread) {
  RandomStream r(3);
  const int n = 20000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.Gauss(100, 10);
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 100, 0.5);
  EXPECT_NEAR(std::sqrt(sum2 / n - mean * mean), 10, 0.3);
  EXPECT_EQ(r.Gauss(5, 0), 5);
}

}  // namespace
}  // namespace bench
