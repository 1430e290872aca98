#include "app/calibrate_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(CalibrationBoundTest, ClientFirstThenResponderElseNeither) {
  EXPECT_EQ(BoundOf(95, 99), CalibrationBound::kClientCpu);
  EXPECT_EQ(BoundOf(60, 97), CalibrationBound::kResponder);
  EXPECT_EQ(BoundOf(60, 50), CalibrationBound::kNeither);
  EXPECT_EQ(BoundOf(90, 0), CalibrationBound::kClientCpu);
}

// The report says which bound the run hit, and the one its own figures imply; the responder
// did real work (it answered every request the client counted).
TEST(CalibrateTest, ReportNamesTheBoundItsFiguresImply) {
  CalibrateConfig config;
  config.duration_s = 0.5;
  config.concurrency = 8;
  config.output_tokens = 20;
  std::atomic<bool> stop{false};
  Calibration c;
  std::string error;
  ASSERT_TRUE(Calibrate(config, stop, c, error)) << error;
  EXPECT_GT(c.responder_cpu_seconds, 0);
  EXPECT_GT(c.responder_busy_percent, 0);
  EXPECT_LE(c.responder_busy_percent, 101);

  std::ostringstream out;
  ASSERT_EQ(RunCalibrate(config, stop, out), kExitOk);
  const std::string text = out.str();
  const size_t at = text.find("  bound ");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string line = text.substr(at, text.find('\n', at) - at);
  const bool client = line.find("client CPU (") != std::string::npos;
  const bool responder = line.find("responder (") != std::string::npos;
  const bool neither = line.find("neither (") != std::string::npos;
  EXPECT_EQ(client + responder + neither, 1) << line;
  // The figures printed above the line decide it.
  const auto percent_after = [&](const std::string& label) {
    const size_t p = text.find(label);
    return p == std::string::npos ? -1.0 : std::stod(text.substr(p + label.size()));
  };
  const double loop = std::max(percent_after("busiest event loop CPU"), percent_after("client threads CPU (loops + spill)"));
  const double resp = percent_after("responder thread CPU");
  ASSERT_GE(loop, 0) << text;
  ASSERT_GE(resp, 0) << text;
  EXPECT_EQ(client, loop >= 90) << text;
  EXPECT_EQ(responder, loop < 90 && resp >= 90) << text;
}

}  // namespace
}  // namespace bench
