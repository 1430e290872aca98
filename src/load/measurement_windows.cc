#include "load/measurement_windows.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bench {
namespace {

// (max / min - 1) x 100 of `values`; infinite when the minimum is 0 and the maximum is not.
double SpreadPercent(const std::vector<double>& values) {
  if (values.empty()) return 0;
  const auto [min, max] = std::minmax_element(values.begin(), values.end());
  if (*max == *min) return 0;
  if (*min <= 0) return std::numeric_limits<double>::infinity();
  return (*max / *min - 1.0) * 100.0;
}

}  // namespace

WindowSpread SpreadOf(std::span<const MeasurementWindow> windows) {
  std::vector<double> throughput, latency;
  for (const MeasurementWindow& w : windows) {
    throughput.push_back(w.throughput);
    latency.push_back(w.avg_latency_ns);
  }
  return {SpreadPercent(throughput), SpreadPercent(latency)};
}

bool LastWindowsStable(std::span<const MeasurementWindow> windows, int count, double percentage) {
  if (count < 1 || windows.size() < static_cast<size_t>(count)) return false;
  const auto last = windows.last(static_cast<size_t>(count));
  // perf_analyzer: a window without a completed request is never stable.
  if (std::any_of(last.begin(), last.end(), [](const MeasurementWindow& w) { return w.completed == 0; })) return false;
  const double limit = 1.0 + percentage / 100.0;
  const auto within = [&](auto value_of) {
    double min = value_of(last.front()), max = min;
    for (const MeasurementWindow& w : last) {
      min = std::min(min, value_of(w));
      max = std::max(max, value_of(w));
    }
    return min > 0 && max / min <= limit;
  };
  return within([](const MeasurementWindow& w) { return w.throughput; }) &&
         within([](const MeasurementWindow& w) { return w.avg_latency_ns; });
}

int WindowOf(std::span<const MeasurementWindow> windows, int64_t end_ns) {
  if (windows.empty() || end_ns < windows.front().start_ns || end_ns > windows.back().end_ns) return -1;
  // The first window whose end is at or after end_ns.
  const auto it = std::lower_bound(windows.begin(), windows.end(), end_ns,
                                   [](const MeasurementWindow& w, int64_t t) { return w.end_ns < t; });
  return static_cast<int>(it - windows.begin());
}

int64_t RequestEndNs(const RequestRecord& request) {
  return request.response_timestamps.empty() ? request.timestamp_ns : request.response_timestamps.back();
}

WindowController::WindowController(const WindowSettings& settings) : settings_(settings) {}

int64_t WindowController::WindowLengthNs() const { return settings_.interval_ms * 1'200'000; }

void WindowController::Start(const WindowSnapshot& at) {
  open_ = at;
  windows_.clear();
  done_ = stable_ = false;
}

int64_t WindowController::NextEndNs() const { return open_.time_ns + WindowLengthNs(); }

bool WindowController::Close(const WindowSnapshot& at) {
  if (done_) return true;
  MeasurementWindow w;
  w.start_ns = open_.time_ns;
  w.end_ns = at.time_ns;
  w.completed = at.completed - open_.completed;
  const double seconds = static_cast<double>(w.end_ns - w.start_ns) / 1e9;
  w.throughput = seconds > 0 ? static_cast<double>(w.completed) / seconds : 0;
  w.avg_latency_ns = w.completed > 0 ? static_cast<double>(at.latency_sum_ns - open_.latency_sum_ns) /
                                           static_cast<double>(w.completed)
                                     : 0;
  windows_.push_back(w);
  open_ = at;
  stable_ = LastWindowsStable(windows_, settings_.stability_windows, settings_.stability_percentage);
  done_ = stable_ || static_cast<int>(windows_.size()) >= settings_.max_windows;
  return done_;
}

WindowSpread WindowController::spread() const {
  const size_t n = std::min(windows_.size(), static_cast<size_t>(std::max(0, settings_.stability_windows)));
  return SpreadOf(std::span<const MeasurementWindow>(windows_).last(n));
}

std::vector<int64_t> WindowController::Boundaries(int64_t offset_ns) const {
  std::vector<int64_t> flat;
  for (const MeasurementWindow& w : windows_) {
    flat.push_back(w.start_ns + offset_ns);
    flat.push_back(w.end_ns + offset_ns);
  }
  return flat;
}

}  // namespace bench
