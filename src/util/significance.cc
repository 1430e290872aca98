#include "util/significance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <utility>

namespace bench {

MannWhitneyResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y) {
  MannWhitneyResult r;
  const double n1 = static_cast<double>(x.size());
  const double n2 = static_cast<double>(y.size());
  if (x.empty() || y.empty()) return r;
  // Rank the pooled sample, giving tied values the mean of their ranks.
  std::vector<std::pair<double, bool>> pooled;  // (value, from x)
  pooled.reserve(x.size() + y.size());
  for (double v : x) pooled.emplace_back(v, true);
  for (double v : y) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum_x = 0;
  double tie_term = 0;  // sum over tie groups of t^3 - t
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (pooled[k].second) rank_sum_x += mean_rank;
    }
    tie_term += t * t * t - t;
    i = j;
  }
  r.u = rank_sum_x - n1 * (n1 + 1) / 2.0;
  const double n = n1 + n2;
  const double mean = n1 * n2 / 2.0;
  const double variance = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0) return r;  // every value ties: no evidence of a difference
  const double d = r.u - mean;
  const double corrected = std::max(0.0, std::abs(d) - 0.5);
  r.z = (d < 0 ? -corrected : corrected) / std::sqrt(variance);
  r.p_value = std::min(1.0, std::erfc(std::abs(r.z) / std::sqrt(2.0)));
  return r;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2.0;
}

namespace {

// An index in [0, n) from 64 random bits; the tiny modulo bias is irrelevant here and, unlike
// std::uniform_int_distribution, the sequence is the same with every standard library.
size_t Draw(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

double ResampledMedian(const std::vector<double>& v, std::mt19937_64& rng, std::vector<double>& scratch) {
  scratch.resize(v.size());
  for (double& s : scratch) s = v[Draw(rng, v.size())];
  return Median(scratch);
}

}  // namespace

ConfidenceInterval BootstrapMedianDifference(const std::vector<double>& x, const std::vector<double>& y,
                                             int resamples, double confidence, uint64_t seed) {
  ConfidenceInterval ci;
  if (x.empty() || y.empty() || resamples < 1) return ci;
  std::mt19937_64 rng(seed);
  std::vector<double> diffs;
  diffs.reserve(static_cast<size_t>(resamples));
  std::vector<double> scratch;
  for (int i = 0; i < resamples; ++i) {
    const double mx = ResampledMedian(x, rng, scratch);
    const double my = ResampledMedian(y, rng, scratch);
    diffs.push_back(my - mx);
  }
  std::sort(diffs.begin(), diffs.end());
  const double alpha = (1.0 - confidence) / 2.0;
  const auto at = [&](double q) {
    const double pos = q * static_cast<double>(diffs.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, diffs.size() - 1);
    return diffs[lo] + (diffs[hi] - diffs[lo]) * (pos - static_cast<double>(lo));
  };
  ci.low = at(alpha);
  ci.high = at(1.0 - alpha);
  return ci;
}

}  // namespace bench
