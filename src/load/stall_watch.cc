#include "load/stall_watch.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace bench {
namespace {

// Wall-clock HH:MM:SS of `ago_ns` before now: a label for the user, never used as an interval.
std::string WallClockAgo(int64_t ago_ns) {
  const auto then = std::chrono::system_clock::now() - std::chrono::nanoseconds(ago_ns);
  const std::time_t t = std::chrono::system_clock::to_time_t(then);
  std::tm local{};
  localtime_r(&t, &local);
  return fmt::format("{:02}:{:02}:{:02}", local.tm_hour, local.tm_min, local.tm_sec);
}

}  // namespace

std::optional<std::string> StallWatch::Check(const StallSample& sample, int64_t now_ns) {
  if (sample.in_flight() == 0) return std::nullopt;
  const int64_t silent_ns = now_ns - sample.last_activity_ns;
  if (silent_ns < after_ns_) return std::nullopt;
  if (sample.last_activity_ns != silence_start_ns_) {  // a new silence
    silence_start_ns_ = sample.last_activity_ns;
    next_warning_ns_ = sample.last_activity_ns + after_ns_;
  }
  if (now_ns < next_warning_ns_) return std::nullopt;
  next_warning_ns_ = now_ns + after_ns_;
  return FormatStall(sample, silent_ns, WallClockAgo(silent_ns));
}

std::string FormatStall(const StallSample& sample, int64_t silent_ns, const std::string& since) {
  std::string states;
  const auto add = [&](int n, const char* what) {
    if (n == 0) return;
    if (!states.empty()) states += ", ";
    states += fmt::format("{} {}", n, what);
  };
  add(sample.not_sent, "connecting or sending");
  add(sample.waiting_first_byte, "waiting for the first byte");
  add(sample.mid_response, "mid-response");
  const int n = sample.in_flight();
  return fmt::format(
      "no response byte for {:.1f} s (since {}) from {} request{} in flight: {}; the server may be stalled "
      "(--request-timeout S ends such requests, Ctrl-C ends the run and writes what was measured)",
      static_cast<double>(silent_ns) / 1e9, since, n, n == 1 ? "" : "s", states);
}

}  // namespace bench
