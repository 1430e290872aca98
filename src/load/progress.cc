#include "load/progress.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <deque>

#include <fmt/format.h>

#include "util/clock.h"

namespace bench {

void LoadProgress::BeginPhase(LoadPhase next, int64_t requests, int64_t expected) {
  total.store(requests, std::memory_order_relaxed);
  ok_done.store(0, std::memory_order_relaxed);
  ok_latency_ns.store(0, std::memory_order_relaxed);
  start_ns.store(MonotonicNowNs(), std::memory_order_relaxed);
  expected_ns.store(expected, std::memory_order_relaxed);
  window.store(0, std::memory_order_relaxed);
  issued.store(0, std::memory_order_relaxed);
  done.store(0, std::memory_order_relaxed);
  errors.store(0, std::memory_order_relaxed);
  chunks.store(0, std::memory_order_relaxed);
  phase.store(static_cast<int>(next), std::memory_order_release);
}

std::string FormatProgressLine(const ProgressSnapshot& s) {
  const char* phase = "starting";
  if (s.phase == LoadPhase::kWarmup) phase = "warm-up";
  const bool timed = s.phase == LoadPhase::kMeasuring && s.expected_s > 0;
  if (timed) {
    // No request total is known: time stands in for it.
    const bool over = s.window == 0 && s.elapsed_s >= s.expected_s;
    std::string line = fmt::format("{}  ", over ? "draining" : "measuring");
    if (s.window > 0) line += fmt::format("window {}  ", s.window);
    line += fmt::format("{:.1f}/{:.1f} s  {} done  {} in flight  {:.1f} req/s  {:.0f} chunks/s  {} error{}",
                        s.elapsed_s, s.expected_s, s.done, s.issued - s.done, s.requests_per_s, s.chunks_per_s,
                        s.errors, s.errors == 1 ? "" : "s");
    return line;
  }
  if (s.phase == LoadPhase::kMeasuring) phase = s.issued >= s.total ? "draining" : "measuring";
  std::string line = fmt::format("{}  {}/{} done  {} in flight  {:.1f} req/s  {:.0f} chunks/s  {} error{}", phase,
                                 s.done, s.total, s.issued - s.done, s.requests_per_s, s.chunks_per_s, s.errors,
                                 s.errors == 1 ? "" : "s");
  if (s.requests_per_s > 0 && s.done < s.total) {
    const double left_s = static_cast<double>(s.total - s.done) / s.requests_per_s;
    line += fmt::format("  ~{:.0f}s left", std::ceil(left_s));
  }
  return line;
}

bool ProgressWanted(bool no_progress, bool quiet) { return !no_progress && !quiet && isatty(STDERR_FILENO) == 1; }

ProgressReporter::ProgressReporter(const LoadProgress& progress, std::FILE* out)
    : progress_(progress), out_(out), thread_([this] { Run(); }) {}

ProgressReporter::~ProgressReporter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ProgressReporter::Run() {
  struct Sample {
    int64_t t_ns, done, chunks;
    int phase;
  };
  std::deque<Sample> window;  // the last ~2 s of samples, for current (not cumulative) rates
  constexpr int64_t kWindowNs = 2'000'000'000;
  bool drawn = false;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) {
    ProgressSnapshot s;
    const int phase = progress_.phase.load(std::memory_order_acquire);
    s.phase = static_cast<LoadPhase>(phase);
    s.total = progress_.total.load(std::memory_order_relaxed);
    s.issued = progress_.issued.load(std::memory_order_relaxed);
    s.done = progress_.done.load(std::memory_order_relaxed);
    s.errors = progress_.errors.load(std::memory_order_relaxed);
    const int64_t chunks = progress_.chunks.load(std::memory_order_relaxed);
    const int64_t now = MonotonicNowNs();
    s.elapsed_s = static_cast<double>(now - progress_.start_ns.load(std::memory_order_relaxed)) / 1e9;
    s.expected_s = static_cast<double>(progress_.expected_ns.load(std::memory_order_relaxed)) / 1e9;
    s.window = progress_.window.load(std::memory_order_relaxed);
    if (!window.empty() && window.back().phase != phase) window.clear();  // counters were reset
    window.push_back({now, s.done, chunks, phase});
    while (window.size() > 2 && now - window.front().t_ns > kWindowNs) window.pop_front();
    const Sample& first = window.front();
    if (now > first.t_ns) {
      const double span_s = static_cast<double>(now - first.t_ns) / 1e9;
      s.requests_per_s = static_cast<double>(s.done - first.done) / span_s;
      s.chunks_per_s = static_cast<double>(chunks - first.chunks) / span_s;
    }
    if (s.phase == LoadPhase::kIdle) continue;
    // \r + clear to end of line: one line redrawn in place.
    std::fprintf(out_, "\r\033[K%s", FormatProgressLine(s).c_str());
    std::fflush(out_);
    drawn = true;
  }
  if (drawn) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
  }
}

}  // namespace bench
