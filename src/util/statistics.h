#pragma once
// Statistics as GenAI-Perf computes them with numpy (reference §2.3): free functions over
// plain vectors so they can be tested on tiny inputs.

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace bench {

/// Arithmetic mean (numpy.mean). NaN for an empty input.
double Mean(std::span<const double> values);
/// numpy.percentile(values, p) with the default "linear" method; p in [0, 100].
double Percentile(std::span<const double> values, double p);
/// Population standard deviation (numpy.std, ddof=0).
double PopulationStdDev(std::span<const double> values);
/// Python's round(): to nearest, ties to even (2.5 -> 2, 3.5 -> 4).
double RoundHalfEven(double value);

/// The ordered statistic names GenAI-Perf exports for a per-request metric.
const std::vector<std::string>& StatisticNames();  // avg, p1, ..., p99, min, max, std

/// Full statistic set over `values` in StatisticNames() order.
std::vector<std::pair<std::string, double>> ComputeStatistics(std::span<const double> values);

}  // namespace bench
