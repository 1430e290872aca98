#include "util/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bench {
namespace {

// numpy's pairwise summation (pairwise_sum in loops_utils.h): the same association order
// gives bit-identical means on long vectors, which the conformance cases compare at 1e-6 but
// users compare against GenAI-Perf's JSON at full precision.
double PairwiseSum(const double* a, size_t n) {
  constexpr size_t kBlock = 128;
  if (n < 8) {
    double res = 0.0;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= kBlock) {
    double r[8];
    for (size_t j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2) + PairwiseSum(a + n2, n - n2);
}

}  // namespace

double Mean(std::span<const double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  return PairwiseSum(values.data(), values.size()) / static_cast<double>(values.size());
}

namespace {

// numpy's linear percentile over already sorted values.
double SortedPercentile(std::span<const double> sorted, double p) {
  const double n = static_cast<double>(sorted.size());
  const double q = p / 100.0;
  // numpy's "linear" method computes its virtual index as (n - 1) * q (not through the general
  // alpha/beta formula, which differs in the last bit).
  const double virtual_index = (n - 1.0) * q;
  const double floor_index = std::floor(virtual_index);
  const double gamma = virtual_index - floor_index;
  const auto clamp = [&](double i) {
    return static_cast<size_t>(std::clamp(i, 0.0, n - 1.0));
  };
  const double a = sorted[clamp(floor_index)];
  const double b = sorted[clamp(floor_index + 1.0)];
  // numpy _lerp: interpolate from the nearer end for accuracy.
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

}  // namespace

double Percentile(std::span<const double> values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return SortedPercentile(sorted, p);
}

double PopulationStdDev(std::span<const double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double mean = Mean(values);
  std::vector<double> squares(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const double d = values[i] - mean;
    squares[i] = d * d;
  }
  return std::sqrt(PairwiseSum(squares.data(), squares.size()) /
                   static_cast<double>(values.size()));
}

double RoundHalfEven(double value) {
  // nearbyint honours the current rounding mode, which is round-to-nearest-even by default;
  // std::round would round 2.5 up to 3 and break GenAI-Perf parity.
  return std::nearbyint(value);
}

const std::vector<std::string>& StatisticNames() {
  static const std::vector<std::string> kNames = {"avg", "p1",  "p5",  "p10", "p25", "p50", "p75",
                                                  "p90", "p95", "p99", "min", "max", "std"};
  return kNames;
}

std::vector<std::pair<std::string, double>> ComputeStatistics(std::span<const double> values) {
  std::vector<std::pair<std::string, double>> out;
  if (values.empty()) return out;
  out.emplace_back("avg", Mean(values));
  // One sorted copy for every percentile (a million-request run sorts once, not nine times).
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  for (int p : {1, 5, 10, 25, 50, 75, 90, 95, 99}) {
    out.emplace_back("p" + std::to_string(p), SortedPercentile(sorted, p));
  }
  out.emplace_back("min", *std::min_element(values.begin(), values.end()));  // numpy's signed-zero choice
  out.emplace_back("max", *std::max_element(values.begin(), values.end()));
  out.emplace_back("std", PopulationStdDev(values));
  return out;
}

}  // namespace bench
