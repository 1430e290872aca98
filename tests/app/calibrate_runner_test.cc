#include "app/calibrate_runner.h"

#include <gtest/gtest.h>

#include <sstream>

namespace bench {
namespace {

TEST(SafeRequestRateTest, HalfACoreOverCpuPerRequest) {
  // 2 CPU seconds for 10,000 requests = 200 us each: half a core carries 2,500 requests/s.
  EXPECT_DOUBLE_EQ(SafeRequestRate(2.0, 10'000, 0.5), 2'500.0);
  EXPECT_EQ(SafeRequestRate(0, 10, 0.5), 0);
  EXPECT_EQ(SafeRequestRate(1, 0, 0.5), 0);
}

TEST(CalibrateTest, ShortRunMeasuresEveryFigure) {
  CalibrateConfig config;
  config.duration_s = 0.5;
  config.concurrency = 4;
  config.output_tokens = 10;
  std::atomic<bool> stop{false};
  Calibration c;
  std::string error;
  ASSERT_TRUE(Calibrate(config, stop, c, error)) << error;
  EXPECT_GT(c.requests, 0u);
  EXPECT_EQ(c.failed, 0u);
  EXPECT_GE(c.events, c.requests * 10);  // every stream carries at least its 10 token events
  EXPECT_GT(c.seconds, 0.4);
  EXPECT_GT(c.client_cpu_seconds, 0);
  EXPECT_GT(c.loops.passes, 0u);
  EXPECT_EQ(c.oversleep.count(), 300u);

  std::ostringstream out;
  EXPECT_EQ(RunCalibrate(config, stop, out), kExitOk);
  EXPECT_NE(out.str().find("requests/s "), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("Safe load from this host: up to ~"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace bench
