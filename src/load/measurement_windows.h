#pragma once
// perf_analyzer's time windows (--measurement-interval/-p, reference §7) as a small pure state
// machine. It is fed cumulative counter snapshots at each window's end (the load engine's live
// counters, or injected values in tests; there is no clock inside), judges stability on the
// last windows, stops at the cap, and keeps the exact boundaries. After the run it says which
// window a request belongs to by its end timestamp.

#include <cstdint>
#include <span>
#include <vector>

#include "record/record.h"

namespace bench {

struct WindowSettings {
  int64_t interval_ms = 10000;        // T: each window lasts 1.2 x T (perf_analyzer sleeps that long)
  double stability_percentage = 999;  // max/min of the judged windows within this many percent
  int max_windows = 10;               // perf_analyzer's --max-trials default
  int stability_windows = 3;          // the last this many windows are judged (perf_analyzer's stability window)
};

/// Cumulative counters of the measured phase at one instant (monotonic ns).
struct WindowSnapshot {
  int64_t time_ns = 0;
  int64_t completed = 0;       // successful requests finished so far
  int64_t latency_sum_ns = 0;  // the sum of their latencies
};

/// One closed window with the figures its stability was judged on.
struct MeasurementWindow {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  int64_t completed = 0;      // successful requests counted in it
  double throughput = 0;      // completed / measured duration, requests/s
  double avg_latency_ns = 0;  // mean latency of those requests; 0 when none
};

/// How far apart the judged windows are: (max / min - 1) x 100; infinite when a minimum is 0.
struct WindowSpread {
  double throughput_percent = 0;
  double latency_percent = 0;
};

/// The spread of `windows` (all of them; none gives 0 and 0).
WindowSpread SpreadOf(std::span<const MeasurementWindow> windows);

/// perf_analyzer's rule: the last `count` windows exist, each completed a request, and both
/// max/min ratios (throughput, average latency) are at most 1 + percentage / 100.
bool LastWindowsStable(std::span<const MeasurementWindow> windows, int count, double percentage);

/// Index of the window that holds a request ending at `end_ns`, or -1 outside all of them.
/// Windows are back to back; a window holds the ends in (start, end], the first one also its
/// start: an end equal to a boundary belongs to the earlier window, as perf_analyzer collects a
/// request in the first window whose [start, end] contains it.
int WindowOf(std::span<const MeasurementWindow> windows, int64_t end_ns);

/// A request's end for window membership: its last response timestamp, or its send timestamp
/// when it has none (a request that failed before any byte). bench records no null responses
/// (each response is a network read), so perf_analyzer's second-to-last rule never applies.
int64_t RequestEndNs(const RequestRecord& request);

/// Decides, window by window, when a time-window measurement is over.
class WindowController {
 public:
  explicit WindowController(const WindowSettings& settings);

  const WindowSettings& settings() const { return settings_; }
  /// 1.2 x T in ns.
  int64_t WindowLengthNs() const;
  /// Opens the first window at `at` (the measured phase's start).
  void Start(const WindowSnapshot& at);
  /// When the open window is due to close: its start + 1.2 x T.
  int64_t NextEndNs() const;
  /// Closes the open window at `at` and opens the next one there; true when measuring is
  /// over: the last `stability_windows` are stable, or `max_windows` are closed.
  bool Close(const WindowSnapshot& at);

  bool done() const { return done_; }
  bool stable() const { return stable_; }
  const std::vector<MeasurementWindow>& windows() const { return windows_; }
  /// The spread of the last `stability_windows` windows (or of all when fewer).
  WindowSpread spread() const;
  /// Flat [start0, end0, start1, end1, ...] as perf_analyzer's `window_boundaries`, shifted by
  /// `offset_ns` (monotonic to epoch).
  std::vector<int64_t> Boundaries(int64_t offset_ns) const;

 private:
  WindowSettings settings_;
  WindowSnapshot open_;  // counters at the open window's start
  std::vector<MeasurementWindow> windows_;
  bool done_ = false;
  bool stable_ = false;
};

}  // namespace bench
