#pragma once
// The client measuring itself: how long each pass of a worker's event loop takes and how much
// CPU the loop used. A byte that arrives just after a pass starts is timestamped at most one
// pass late, so the pass-time distribution bounds the client's own timestamp error.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bench {

/// A log-linear histogram of durations in ns (8 sub-buckets per power of two: quantiles
/// within 12.5 %), cheap enough to record on every loop pass.
class DurationHistogram {
 public:
  void Record(int64_t ns);
  void Merge(const DurationHistogram& other);
  uint64_t count() const { return count_; }
  int64_t max() const { return max_; }
  /// The q-quantile (0..1) as the midpoint of its bucket (0 when empty; never above max()).
  double Quantile(double q) const;

 private:
  static constexpr size_t kBuckets = 8 * 64;
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  int64_t max_ = 0;
};

/// One worker thread's loop over a measured phase.
struct LoopMeter {
  DurationHistogram passes;  // time from the loop waking up to it waiting again
  int64_t cpu_ns = 0;        // the thread's CPU time (CLOCK_THREAD_CPUTIME_ID)
  int64_t wall_ns = 0;
};

/// The run's loops together.
struct LoopSummary {
  int threads = 0;
  double busiest_cpu_percent = 0;  // highest worker CPU time / wall time, in % of one core
  double cpu_seconds = 0;          // all workers' CPU time
  double wall_seconds = 0;         // the longest worker's measured phase
  double pass_p50_ns = 0;
  double pass_p99_ns = 0;
  double pass_max_ns = 0;
  uint64_t passes = 0;
};

LoopSummary SummarizeLoops(const std::vector<LoopMeter>& meters);

/// CPU time of the calling thread, ns.
int64_t ThreadCpuNowNs();

}  // namespace bench
