#pragma once
// Goodput (reference §2.7): requests per second that meet every --goodput constraint.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "record/response_parser.h"

namespace bench {

/// One --goodput key:value. Time metrics are in ms, throughput metrics in per-second units.
struct GoodputConstraint {
  std::string name;  // e.g. "time_to_first_token"
  double value = 0;
};

/// The per-request values a constraint can refer to; a metric a request lacks is nullopt.
/// Times in ns, throughputs per second.
struct RequestSample {
  std::optional<double> request_latency;
  std::optional<double> time_to_first_token;
  std::optional<double> time_to_second_token;
  std::optional<double> inter_token_latency;
  std::optional<double> output_token_throughput_per_user;
  std::optional<double> image_latency;
  std::optional<double> image_throughput;
};

/// GenAI-Perf's goodput value for an invalid constraint key (printed as -1.00).
inline constexpr double kInvalidGoodput = -1.0;

/// Constraint names valid for `family` (time metrics first, then throughput metrics).
std::vector<std::string> ValidGoodputMetrics(MetricFamily family);

/// good requests / `benchmark_duration_s`, or kInvalidGoodput when a constraint names a metric
/// `family` does not have. A request is good iff each time metric <= value*1e6 ns and each
/// throughput metric >= value. Unlike GenAI-Perf (which zip()s per-metric lists and so
/// misaligns requests when a list is shorter), each request is judged on its own values; a
/// request lacking a constrained metric (no TTST/ITL for a single-token answer) is not good.
/// A repeated key keeps its last value, as GenAI-Perf's dict does.
double ComputeGoodput(std::span<const GoodputConstraint> constraints, MetricFamily family,
                      std::span<const RequestSample> requests, double benchmark_duration_s);

}  // namespace bench
