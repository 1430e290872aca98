#pragma once
// `bench calibrate`: in a few seconds, measures what this host's client can drive (requests/s,
// SSE events/s, CPU per request) against the in-process simulator at zero latency, and how
// precisely it can sleep, then says which load levels are safe to measure from here.

#include <atomic>
#include <ostream>

#include "app/config.h"
#include "load/loop_stats.h"

namespace bench {

struct Calibration {
  double seconds = 0;  // measured phase wall time
  uint64_t requests = 0;
  uint64_t failed = 0;
  uint64_t events = 0;  // SSE events of successful streams ([DONE] excluded)
  double client_cpu_seconds = 0;  // the event loops' CPU time during the measured load
  LoopSummary loops;
  DurationHistogram oversleep;  // how late 1 ms sleeps woke up, ns
};

/// Client CPU seconds per request and the request rate that keeps one worker loop below
/// `busy_fraction` of a core (0 when nothing was measured).
double SafeRequestRate(double cpu_seconds, uint64_t requests, double busy_fraction);

/// Runs the calibration; returns false with `error` set when the simulator cannot start.
bool Calibrate(const CalibrateConfig& config, const std::atomic<bool>& stop, Calibration& out, std::string& error);

/// Calibrate, then the report on `out`. Exit code: 0, 1 when requests failed, 130 interrupted.
int RunCalibrate(const CalibrateConfig& config, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace bench
