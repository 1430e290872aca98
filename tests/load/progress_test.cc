#include "load/progress.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(ProgressTest, FormatsPhaseCountsRatesAndTimeLeft) {
  ProgressSnapshot s;
  s.phase = LoadPhase::kMeasuring;
  s.total = 100;
  s.issued = 45;
  s.done = 37;
  s.errors = 1;
  s.requests_per_s = 19.43;
  s.chunks_per_s = 1938.4;
  EXPECT_EQ(FormatProgressLine(s), "measuring  37/100 done  8 in flight  19.4 req/s  1938 chunks/s  1 error  ~4s left");
  s.issued = 100;  // everything sent: waiting for the last responses
  s.done = 98;
  s.errors = 0;
  s.requests_per_s = 0;
  EXPECT_EQ(FormatProgressLine(s), "draining  98/100 done  2 in flight  0.0 req/s  1938 chunks/s  0 errors");
  s.phase = LoadPhase::kWarmup;
  s.total = 10;
  s.issued = 4;
  s.done = 2;
  EXPECT_EQ(FormatProgressLine(s).substr(0, 22), "warm-up  2/10 done  2 ");
}

TEST(ProgressTest, TimedPhasesShowTimeInsteadOfARequestTotal) {
  ProgressSnapshot s;
  s.phase = LoadPhase::kMeasuring;
  s.total = 0;  // unknown: the run ends by time
  s.issued = 45;
  s.done = 37;
  s.requests_per_s = 19.43;
  s.chunks_per_s = 1938.4;
  s.elapsed_s = 12.34;
  s.expected_s = 60;
  EXPECT_EQ(FormatProgressLine(s), "measuring  12.3/60.0 s  37 done  8 in flight  19.4 req/s  1938 chunks/s  0 errors");
  s.elapsed_s = 60.5;  // past the deadline: the last requests finish
  EXPECT_EQ(FormatProgressLine(s).substr(0, 24), "draining  60.5/60.0 s  3");
  s.window = 2;  // time windows: the expected time grows with each window, no draining
  s.elapsed_s = 4.1;
  s.expected_s = 10.8;
  EXPECT_EQ(FormatProgressLine(s), "measuring  window 2  4.1/10.8 s  37 done  8 in flight  19.4 req/s  1938 chunks/s  "
                                   "0 errors");
}

TEST(ProgressTest, BeginPhaseResetsCounters) {
  LoadProgress p;
  p.done = 5;
  p.errors = 2;
  p.ok_done = 3;
  p.ok_latency_ns = 9;
  p.window = 4;
  p.BeginPhase(LoadPhase::kMeasuring, 50, 7);
  EXPECT_EQ(p.done.load(), 0);
  EXPECT_EQ(p.ok_done.load(), 0);
  EXPECT_EQ(p.ok_latency_ns.load(), 0);
  EXPECT_EQ(p.window.load(), 0);
  EXPECT_EQ(p.expected_ns.load(), 7);
  EXPECT_GT(p.start_ns.load(), 0);
  EXPECT_EQ(p.errors.load(), 0);
  EXPECT_EQ(p.total.load(), 50);
  EXPECT_EQ(p.phase.load(), static_cast<int>(LoadPhase::kMeasuring));
}

TEST(ProgressTest, ReporterRedrawsOneLineInPlaceAndClearsIt) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  LoadProgress p;
  p.BeginPhase(LoadPhase::kMeasuring, 10);
  p.issued = 3;
  p.done = 1;
  {
    ProgressReporter reporter(p, f);
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
  }
  std::rewind(f);
  std::string text;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) text.append(buf, n);
  std::fclose(f);
  EXPECT_EQ(text.find('\n'), std::string::npos) << text;  // never a new line
  EXPECT_EQ(text.rfind("\r\033[K", 0), 0u) << text;
  EXPECT_NE(text.find("measuring  1/10 done  2 in flight"), std::string::npos) << text;
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K");  // cleared at the end
}

TEST(ProgressTest, NotWantedWhenSilencedOrNotATerminal) {
  EXPECT_FALSE(ProgressWanted(/*no_progress=*/true, /*quiet=*/false));
  EXPECT_FALSE(ProgressWanted(false, /*quiet=*/true));
}

}  // namespace
}  // namespace bench
