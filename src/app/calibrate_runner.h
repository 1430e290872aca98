#pragma once
// `bench calibrate`: in a few seconds, measures what this host's client can drive (requests/s,
// SSE events/s, CPU per request) against an in-process responder of pre-rendered SSE streams on
// a thread (and core) of its own (sim/sse_responder), and how precisely it can sleep; says
// which bound the run hit (the client's CPU, the responder, or neither) and which load levels
// are safe to measure from here.

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
  double process_busy_percent = 0;  // the client's threads (loops, spill writers) over its cores
  double responder_cpu_seconds = 0;  // the responder thread's CPU over its whole life
  double responder_busy_percent = 0;  // that CPU over its wall time
  int responder_cpu = -1;  // the core it was pinned to (-1: shares the client's)
};

/// What limited a calibration run's requests/s.
enum class CalibrationBound { kClientCpu, kResponder, kNeither };

/// The bound from the client's share of its cores (the larger of its busiest loop and all its
/// threads together) and the responder's share of a core: whichever
/// reached 90 % (the client first: it is what is being measured), else neither (other processes
/// or the machine held both back).
CalibrationBound BoundOf(double client_busy_percent, double responder_busy_percent);

/// Client CPU seconds per request and the request rate that keeps one worker loop below
/// `busy_fraction` of a core (0 when nothing was measured).
double SafeRequestRate(double cpu_seconds, uint64_t requests, double busy_fraction);

/// Runs the calibration; returns false with `error` set when the responder cannot start.
bool Calibrate(const CalibrateConfig& config, const std::atomic<bool>& stop, Calibration& out, std::string& error);

/// Calibrate, then the report on `out`. Exit code: 0, 1 when requests failed, 130 interrupted.
int RunCalibrate(const CalibrateConfig& config, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace bench
