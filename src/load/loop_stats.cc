#include "load/loop_stats.h"

#include <time.h>

#include <algorithm>
#include <cmath>

namespace bench {
namespace {

// Values below 16 get their own bucket; above, 8 buckets per power of two.
size_t BucketOf(uint64_t v) {
  if (v < 16) return v;
  const int msb = 63 - __builtin_clzll(v);
  const int shift = msb - 3;
  return static_cast<size_t>(shift + 1) * 8 + ((v >> shift) & 7);
}

// [low, high) of bucket `b`.
std::pair<double, double> BucketRange(size_t b) {
  if (b < 16) return {static_cast<double>(b), static_cast<double>(b + 1)};
  const int shift = static_cast<int>(b / 8) - 1;
  const double low = std::ldexp(static_cast<double>(8 + b % 8), shift);
  return {low, low + std::ldexp(1.0, shift)};
}

}  // namespace

void DurationHistogram::Record(int64_t ns) {
  const uint64_t v = ns < 0 ? 0 : static_cast<uint64_t>(ns);
  ++counts_[std::min(BucketOf(v), kBuckets - 1)];
  ++count_;
  max_ = std::max(max_, static_cast<int64_t>(v));
}

void DurationHistogram::Merge(const DurationHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

double DurationHistogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t b = 0; b < kBuckets; ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const auto [low, high] = BucketRange(b);
      return std::min((low + high) / 2, static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

LoopSummary SummarizeLoops(const std::vector<LoopMeter>& meters) {
  LoopSummary s;
  DurationHistogram all;
  for (const LoopMeter& m : meters) {
    if (m.wall_ns <= 0) continue;
    ++s.threads;
    s.cpu_seconds += static_cast<double>(m.cpu_ns) / 1e9;
    s.wall_seconds = std::max(s.wall_seconds, static_cast<double>(m.wall_ns) / 1e9);
    s.busiest_cpu_percent =
        std::max(s.busiest_cpu_percent, 100.0 * static_cast<double>(m.cpu_ns) / static_cast<double>(m.wall_ns));
    all.Merge(m.passes);
  }
  s.passes = all.count();
  s.pass_p50_ns = all.Quantile(0.50);
  s.pass_p99_ns = all.Quantile(0.99);
  s.pass_max_ns = static_cast<double>(all.max());
  return s;
}

int64_t ThreadCpuNowNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace bench
