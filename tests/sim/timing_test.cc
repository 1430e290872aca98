#include "sim/timing.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "sim/simulator.h"

namespace bench {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(SimRngTest, SameSeedSameSequence) {
  SimRng a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
  }
}

TEST(SimRngTest, UniformAndBelowStayInRange) {
  SimRng rng(1);
  std::set<uint64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    const double u = rng.Uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    const uint64_t k = rng.Below(5);
    EXPECT_LT(k, 5u);
    seen.insert(k);
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST(SimSeedTest, HashAndMixAreStable) {
  EXPECT_EQ(HashBytes(""), 0xcbf29ce484222325ULL);  // the FNV-1a offset basis
  EXPECT_NE(HashBytes("a"), HashBytes("b"));
  EXPECT_EQ(MixSeed(1, 2), MixSeed(1, 2));
  EXPECT_NE(MixSeed(1, 2), MixSeed(2, 1));
}

SimulatorOptions Timing(double ttft, double per_input, double itl, double per_stream,
                        double jitter) {
  SimulatorOptions o;
  o.ttft_ms = ttft;
  o.ttft_per_input_token_ms = per_input;
  o.itl_ms = itl;
  o.itl_per_stream_ms = per_stream;
  o.jitter = jitter;
  return o;
}

TEST(SimLatencyModelTest, TtftGrowsWithInputTokens) {
  const SimLatencyModel model(Timing(20, 0.5, 5, 0, 0));
  SimRng rng(0);
  EXPECT_EQ(model.Ttft(0, rng), milliseconds(20));
  EXPECT_EQ(model.Ttft(100, rng), milliseconds(70));
}

TEST(SimLatencyModelTest, ChunkDelayIsPerTokenAndGrowsWithStreams) {
  const SimLatencyModel model(Timing(0, 0, 5, 0.25, 0));
  SimRng rng(0);
  EXPECT_EQ(model.ChunkDelay(1, 0, rng), milliseconds(5));
  EXPECT_EQ(model.ChunkDelay(1, 4, rng), milliseconds(6));
  EXPECT_EQ(model.ChunkDelay(3, 4, rng), milliseconds(18));
  EXPECT_EQ(model.ChunkDelay(1, 1, rng), microseconds(5250));
}

TEST(SimLatencyModelTest, JitterStaysWithinBoundsAndVaries) {
  const SimLatencyModel model(Timing(100, 0, 10, 0, 0.2));
  SimRng rng(3);
  std::set<int64_t> values;
  for (int i = 0; i < 1000; ++i) {
    const auto d = model.Ttft(0, rng);
    EXPECT_GE(d, milliseconds(80));
    EXPECT_LE(d, milliseconds(120));
    values.insert(d.count());
  }
  EXPECT_GT(values.size(), 900u);
}

TEST(SimLatencyModelTest, JitterAboveOneNeverGoesNegative) {
  const SimLatencyModel model(Timing(10, 0, 10, 0, 3.0));
  SimRng rng(5);
  for (int i = 0; i < 1000; ++i) EXPECT_GE(model.ChunkDelay(1, 0, rng).count(), 0);
}

TEST(SimLatencyModelTest, SameSeedSameDelays) {
  const SimLatencyModel model(Timing(10, 0, 10, 0, 0.5));
  SimRng a(9), b(9);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(model.ChunkDelay(2, 3, a), model.ChunkDelay(2, 3, b));
}

}  // namespace
}  // namespace bench
