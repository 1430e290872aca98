#include "load/measurement_windows.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

// Closes windows of one second each: `per_window[i]` successful requests of `latency_ms[i]`.
WindowController CloseWindows(double percentage, const std::vector<int64_t>& per_window,
                     const std::vector<double>& latency_ms, int* closed_when_done = nullptr) {
  WindowSettings settings;
  settings.interval_ms = 1000;
  settings.stability_percentage = percentage;
  WindowController c(settings);
  WindowSnapshot at{100 * kSecond, 0, 0};
  c.Start(at);
  for (size_t i = 0; i < per_window.size(); ++i) {
    at.time_ns += kSecond;
    at.completed += per_window[i];
    at.latency_sum_ns += static_cast<int64_t>(std::llround(latency_ms[i] * 1e6)) * per_window[i];
    if (c.Close(at)) {
      if (closed_when_done != nullptr) *closed_when_done = static_cast<int>(i + 1);
      break;
    }
  }
  return c;
}

TEST(MeasurementWindowsTest, WindowsLastOnePointTwoIntervalsFromTheLastClose) {
  WindowSettings settings;
  settings.interval_ms = 300;
  WindowController c(settings);
  EXPECT_EQ(c.WindowLengthNs(), 360'000'000);
  c.Start({1'000, 0, 0});
  EXPECT_EQ(c.NextEndNs(), 1'000 + 360'000'000);
  // A late wake-up: the window's duration is what was measured, and the next one starts there.
  EXPECT_FALSE(c.Close({1'000 + 400'000'000, 8, 8 * 50'000'000}));
  EXPECT_EQ(c.NextEndNs(), 1'000 + 760'000'000);
  const MeasurementWindow& w = c.windows().at(0);
  EXPECT_EQ(w.start_ns, 1'000);
  EXPECT_EQ(w.end_ns, 400'001'000);
  EXPECT_EQ(w.completed, 8);
  EXPECT_DOUBLE_EQ(w.throughput, 20.0);  // 8 in 0.4 s
  EXPECT_DOUBLE_EQ(w.avg_latency_ns, 50'000'000.0);
}

TEST(MeasurementWindowsTest, StableAfterExactlyThreeWindowsWithinThePercentage) {
  int closed = 0;
  // Throughput 100, 104, 102 (4% spread) and latencies within 2%: stable within 5% at the third.
  const WindowController c = CloseWindows(5, {100, 104, 102, 100}, {50, 51, 50.5, 50}, &closed);
  EXPECT_EQ(closed, 3);
  EXPECT_TRUE(c.done());
  EXPECT_TRUE(c.stable());
  EXPECT_EQ(c.windows().size(), 3u);
  EXPECT_NEAR(c.spread().throughput_percent, 4.0, 1e-9);
  EXPECT_NEAR(c.spread().latency_percent, 2.0, 1e-9);
}

TEST(MeasurementWindowsTest, NeverStableBeforeThreeWindowsEvenWhenIdentical) {
  const WindowController c = CloseWindows(999, {10, 10}, {5, 5});
  EXPECT_FALSE(c.done());
  EXPECT_FALSE(c.stable());
  EXPECT_FALSE(LastWindowsStable(c.windows(), 3, 999));
}

TEST(MeasurementWindowsTest, OutsideThePercentageKeepsMeasuringUntilTheLastThreeAgree) {
  int closed = 0;
  // The first window is slow (warming up); windows 2-4 agree within 5%, so the run stops at 4
  // and the stability is judged on the last three only.
  const WindowController c = CloseWindows(5, {50, 100, 103, 101, 100}, {80, 50, 50, 50, 50}, &closed);
  EXPECT_EQ(closed, 4);
  EXPECT_TRUE(c.stable());
  EXPECT_EQ(c.windows().size(), 4u);
}

TEST(MeasurementWindowsTest, LatencyOutsideThePercentageIsUnstableToo) {
  // Equal throughput, latency 50 vs 56 ms (12%): unstable within 10%, stable within 12.5%.
  EXPECT_FALSE(CloseWindows(10, {100, 100, 100}, {50, 56, 50}).stable());
  EXPECT_TRUE(CloseWindows(12.5, {100, 100, 100}, {50, 56, 50}).stable());
}

TEST(MeasurementWindowsTest, TheRatioBoundIsInclusive) {
  // max / min = 1.25 exactly: within 25%.
  EXPECT_TRUE(CloseWindows(25, {80, 100, 100}, {40, 40, 40}).stable());
  EXPECT_FALSE(CloseWindows(24.9, {80, 100, 100}, {40, 40, 40}).stable());
}

TEST(MeasurementWindowsTest, AWindowWithoutCompletionsIsNeverStable) {
  const WindowController c = CloseWindows(999, {5, 0, 5, 5}, {10, 0, 10, 10});
  EXPECT_FALSE(c.stable());
  EXPECT_FALSE(c.done());
  EXPECT_TRUE(std::isinf(c.spread().throughput_percent));
}

TEST(MeasurementWindowsTest, StopsAtTheCapOfTenWindowsWithoutStability) {
  int closed = 0;
  std::vector<int64_t> counts;
  std::vector<double> latency;
  for (int i = 0; i < 12; ++i) {
    counts.push_back(i % 2 == 0 ? 100 : 200);  // alternating: never within 5%
    latency.push_back(50);
  }
  const WindowController c = CloseWindows(5, counts, latency, &closed);
  EXPECT_EQ(closed, 10);
  EXPECT_TRUE(c.done());
  EXPECT_FALSE(c.stable());
  EXPECT_EQ(c.windows().size(), 10u);
  EXPECT_NEAR(c.spread().throughput_percent, 100.0, 1e-9);
}

TEST(MeasurementWindowsTest, BoundariesAreFlatStartEndPairsShifted) {
  const WindowController c = CloseWindows(999, {1, 1, 1}, {1, 1, 1});
  const std::vector<int64_t> b = c.Boundaries(7);
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[0], 100 * kSecond + 7);
  EXPECT_EQ(b[1], 101 * kSecond + 7);
  EXPECT_EQ(b[2], b[1]);  // back to back
  EXPECT_EQ(b[5], 103 * kSecond + 7);
}

TEST(MeasurementWindowsTest, ARequestBelongsToTheWindowHoldingItsEnd) {
  const std::vector<MeasurementWindow> w = {{100, 200, 0, 0, 0}, {200, 300, 0, 0, 0}, {300, 400, 0, 0, 0}};
  EXPECT_EQ(WindowOf(w, 99), -1);   // before the first window (warm-up time)
  EXPECT_EQ(WindowOf(w, 100), 0);   // the first window's start is inside it
  EXPECT_EQ(WindowOf(w, 150), 0);
  EXPECT_EQ(WindowOf(w, 200), 0);   // on a boundary: the earlier window
  EXPECT_EQ(WindowOf(w, 201), 1);
  EXPECT_EQ(WindowOf(w, 399), 2);
  EXPECT_EQ(WindowOf(w, 400), 2);   // the last window's end is inside it
  EXPECT_EQ(WindowOf(w, 401), -1);  // completed after the last window: dropped
  EXPECT_EQ(WindowOf({}, 150), -1);
}

TEST(MeasurementWindowsTest, ARequestEndsAtItsLastResponseOrItsSendWithoutOne) {
  RequestRecord r;
  r.timestamp_ns = 10;
  EXPECT_EQ(RequestEndNs(r), 10);  // failed before any byte
  r.response_timestamps = {20, 35};
  EXPECT_EQ(RequestEndNs(r), 35);
}

}  // namespace
}  // namespace bench
