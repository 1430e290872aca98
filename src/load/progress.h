#pragma once
// Live progress on stderr while a run is going: one line, redrawn in place, drawn only when
// stderr is a terminal. The load engine's workers bump relaxed atomic counters (LoadProgress);
// a reporter thread samples them four times a second, so the hot path pays one relaxed add
// per event and never formats or writes anything.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace bench {

enum class LoadPhase : int { kIdle = 0, kWarmup = 1, kMeasuring = 2 };

/// Counters the load engine's workers update with relaxed atomics, reset at each phase start.
struct LoadProgress {
  std::atomic<int> phase{0};           // LoadPhase
  std::atomic<int64_t> total{0};       // requests in this phase
  std::atomic<int64_t> issued{0};      // handed to libcurl
  std::atomic<int64_t> done{0};        // finished, successfully or not
  std::atomic<int64_t> errors{0};      // finished with a transport error or a non-2xx status
  std::atomic<int64_t> chunks{0};      // SSE "data:" events of finished requests
  // Successful requests (2xx, no transport error) and the sum of their latencies (send to
  // last read): the time windows' stability is judged on these (measurement_windows.h).
  std::atomic<int64_t> ok_done{0};
  std::atomic<int64_t> ok_latency_ns{0};
  std::atomic<int64_t> start_ns{0};     // monotonic ns when this phase began
  std::atomic<int64_t> expected_ns{0};  // a timed phase's expected length; 0 = ends by a request count
  std::atomic<int> window{0};           // --measurement-interval: the window being measured (1-based; 0 = none)

  /// Called between phases (no worker running): switches phase and zeroes the counters. A
  /// timed phase (--benchmark-duration, --measurement-interval) passes its expected length.
  void BeginPhase(LoadPhase next, int64_t requests, int64_t expected_ns = 0);
};

/// What the progress line shows; rates are over the last couple of seconds.
struct ProgressSnapshot {
  LoadPhase phase = LoadPhase::kIdle;
  int64_t total = 0;
  int64_t issued = 0;
  int64_t done = 0;
  int64_t errors = 0;
  double requests_per_s = 0;
  double chunks_per_s = 0;
  double elapsed_s = 0;   // since the phase began
  double expected_s = 0;  // a timed phase's expected length; 0 = counted by requests
  int window = 0;         // time windows: the one being measured; 0 = none
};

/// "measuring  37/100 done  8 in flight  19.4 req/s  1938 chunks/s  0 errors  ~3s left";
/// the phase reads "draining" once every request of the measured phase has been sent. A timed
/// phase shows time instead of a request total: "measuring  12.3/60.0 s  37 done  ..." (past
/// the expected time, "draining"), with time windows "measuring  window 2  4.1/10.8 s  ...".
std::string FormatProgressLine(const ProgressSnapshot& s);

/// True when a progress line should be drawn: stderr is a terminal and neither --no-progress
/// nor --quiet was given.
bool ProgressWanted(bool no_progress, bool quiet);

/// Redraws the progress line on `out` every 250 ms from its own thread until destroyed; the
/// destructor clears the line so the table and logs that follow start clean.
class ProgressReporter {
 public:
  ProgressReporter(const LoadProgress& progress, std::FILE* out);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  void Run();

  const LoadProgress& progress_;
  std::FILE* out_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace bench
