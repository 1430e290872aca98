#pragma once
// Time sources. Every interval comes from the monotonic clock; wall-clock time is read once per
// run to label exported timestamps in epoch nanoseconds, as perf_analyzer writes them.

#include <chrono>
#include <cstdint>

namespace bench {

/// Monotonic nanoseconds (steady_clock); only differences are meaningful.
inline int64_t MonotonicNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Maps monotonic readings to epoch ns through one (wall, monotonic) pair taken at start, so
/// exported timestamps keep the monotonic clock's intervals even if NTP steps the wall clock.
class EpochAnchor {
 public:
  EpochAnchor()
      : wall_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count()),
        mono_ns_(MonotonicNowNs()) {}
  EpochAnchor(int64_t wall_ns, int64_t mono_ns) : wall_ns_(wall_ns), mono_ns_(mono_ns) {}

  /// Epoch ns corresponding to monotonic reading `mono_ns`.
  int64_t ToEpochNs(int64_t mono_ns) const { return wall_ns_ + (mono_ns - mono_ns_); }

 private:
  int64_t wall_ns_;
  int64_t mono_ns_;
};

}  // namespace bench
