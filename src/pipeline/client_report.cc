#include "pipeline/client_report.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "metrics/metric_registry.h"

namespace bench {
namespace {

// "2.1%" (three significant digits, so a spread below a tiny -s still shows), or "unbounded"
// when a window had nothing to compare (a zero minimum).
std::string Percent(double v) { return std::isfinite(v) ? fmt::format("{:.3g}%", v) : "unbounded"; }

}  // namespace

// The windows under the table, in the JSON "bench.measurement_windows" object, and a warning
// when the cap was reached without stability.
void AddWindowReport(const WindowController& controller, const WindowedSink& sink, const LoadResult& result,
                     const EpochAnchor& anchor, ResultsOptions& options) {
  const WindowSettings& settings = controller.settings();
  const std::vector<MeasurementWindow>& windows = controller.windows();
  const WindowSpread spread = controller.spread();
  const size_t dropped = result.dropped_in_flight + sink.dropped();
  const auto finite_or_null = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  nlohmann::ordered_json per_window = nlohmann::ordered_json::array();
  for (size_t i = 0; i < windows.size(); ++i) {
    const MeasurementWindow& w = windows[i];
    per_window.push_back({{"start_ns", anchor.ToEpochNs(w.start_ns)},
                          {"end_ns", anchor.ToEpochNs(w.end_ns)},
                          {"duration_ms", static_cast<double>(w.end_ns - w.start_ns) / 1e6},
                          {"requests", sink.requests(i)},
                          {"errors", sink.errors(i)},
                          {"throughput", w.throughput},
                          {"avg_latency_ms", w.avg_latency_ns / 1e6}});
  }
  options.client_json["measurement_windows"] = {
      {"interval_ms", settings.interval_ms},
      {"window_ms", static_cast<double>(controller.WindowLengthNs()) / 1e6},
      {"stability_percentage", settings.stability_percentage},
      {"stability_windows", settings.stability_windows},
      {"max_windows", settings.max_windows},
      {"windows_used", windows.size()},
      {"stable", controller.stable()},
      {"interrupted", result.interrupted},
      {"spread_percent", {{"throughput", finite_or_null(spread.throughput_percent)},
                          {"latency", finite_or_null(spread.latency_percent)}}},
      {"dropped_in_flight", dropped},
      {"windows", std::move(per_window)}};
  const std::string verdict = result.interrupted ? "interrupted"
                              : controller.stable() ? fmt::format("stable within {}%", settings.stability_percentage)
                                                    : fmt::format("NOT stable within {}%", settings.stability_percentage);
  options.client_rows.emplace_back(
      "Measurement Windows",
      fmt::format("{} x {:.0f} ms, {} (last {}: throughput spread {}, latency spread {}); {} in-flight request{} dropped",
                  windows.size(), static_cast<double>(controller.WindowLengthNs()) / 1e6, verdict,
                  std::min<size_t>(windows.size(), static_cast<size_t>(settings.stability_windows)),
                  Percent(spread.throughput_percent), Percent(spread.latency_percent), dropped, dropped == 1 ? "" : "s"));
  if (!controller.stable() && !result.interrupted) {
    spdlog::warn(
        "no {} consecutive time windows were stable within {}% in {} windows (last {}: throughput spread {}, latency "
        "spread {}): results may be unstable. Use a longer --measurement-interval, or a larger "
        "--stability-percentage if this spread is acceptable.",
        settings.stability_windows, settings.stability_percentage, windows.size(), settings.stability_windows,
        Percent(spread.throughput_percent), Percent(spread.latency_percent));
  }
}

// The client's view of itself: rows under the table, the JSON "bench.client" object, and a
// warning when its own load may have delayed timestamps.
void AddClientReport(const LoadResult& result, ResultsOptions& options) {
  const LoopSummary& loops = result.loops;
  if (loops.threads == 0) return;
  const MetricInfo& cpu = *FindMetric("client_busiest_loop_cpu");
  const MetricInfo& pass = *FindMetric("client_loop_pass");
  options.client_rows.emplace_back(StatLabel(cpu, ""), fmt::format("{:.1f}", loops.busiest_cpu_percent));
  options.client_rows.emplace_back(StatLabel(pass, "p99"), fmt::format("{:.3f}", loops.pass_p99_ns / 1e6));
  options.client_rows.emplace_back(StatLabel(pass, "max"), fmt::format("{:.3f}", loops.pass_max_ns / 1e6));
  if (result.events > 0) {
    const double shared = 100.0 * static_cast<double>(result.events_sharing_timestamp) / static_cast<double>(result.events);
    options.client_rows.emplace_back(StatLabel(*FindMetric("events_sharing_timestamp"), ""), fmt::format("{:.2f}", shared));
    options.client_json["events_sharing_timestamp"] = {
        {"events", result.events}, {"sharing", result.events_sharing_timestamp}, {"percent", shared}};
  }
  options.client_json["client"] = {{"worker_threads", result.worker_threads},
                                   {"busiest_loop_cpu_percent", loops.busiest_cpu_percent},
                                   {"loop_passes", loops.passes},
                                   {"loop_pass_ms", {{"p50", loops.pass_p50_ns / 1e6},
                                                     {"p99", loops.pass_p99_ns / 1e6},
                                                     {"max", loops.pass_max_ns / 1e6}}}};
  // Where read times came from: the kernel's receive stamp, or the loop's clock when the kernel
  // gave none (libcurl runs never ask for one).
  options.client_json["client"]["read_timestamps"] = {
      {"reads", result.reads},
      {"kernel_stamped", result.kernel_stamped_reads},
      {"without_kernel_stamp", result.reads - std::min(result.reads, result.kernel_stamped_reads)}};
  if (result.http_client == HttpClient::kNative && result.kernel_stamped_reads < result.reads) {
    spdlog::info("{} of {} reads carried no kernel receive timestamp: their times are the event loop's",
                 result.reads - result.kernel_stamped_reads, result.reads);
  }
  // A loop busy most of the time answers sockets late; a long pass delays every read behind it.
  const double p99_ms = loops.pass_p99_ns / 1e6;
  if (loops.busiest_cpu_percent > 80) {
    spdlog::warn(
        "the client was near saturation (busiest event loop {:.0f}% CPU, loop pass p99 {:.3f} ms): timestamps may "
        "be late by up to a pass. Add --worker-threads (now {}) if cores are free, lower the load, or run bench on "
        "another machine than the server.",
        loops.busiest_cpu_percent, p99_ms, result.worker_threads);
  } else if (p99_ms > 1) {
    spdlog::warn(
        "the client's event loop passes were slow (p99 {:.3f} ms) while it used only {:.0f}% CPU: other processes "
        "(or the server) compete for its cores, so timestamps may be late by up to a pass. Run bench on free cores "
        "(taskset) or another machine.",
        p99_ms, loops.busiest_cpu_percent);
  }
}

}  // namespace bench
