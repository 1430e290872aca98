#include "plots/stats.h"

#include <algorithm>
#include <cmath>

#include "util/statistics.h"

namespace bench {

BoxStats ComputeBoxStats(std::span<const double> values) {
  BoxStats b;
  if (values.empty()) return b;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  b.count = sorted.size();
  b.min = sorted.front();
  b.max = sorted.back();
  b.mean = Mean(values);
  b.q1 = Percentile(sorted, 25);
  b.median = Percentile(sorted, 50);
  b.q3 = Percentile(sorted, 75);
  const double reach = 1.5 * (b.q3 - b.q1);
  const double low_fence = b.q1 - reach;
  const double high_fence = b.q3 + reach;
  const auto first_in = std::lower_bound(sorted.begin(), sorted.end(), low_fence);
  const auto past_in = std::upper_bound(sorted.begin(), sorted.end(), high_fence);
  // The quartiles lie inside the fences, so [first_in, past_in) is never empty.
  b.lower_whisker = *first_in;
  b.upper_whisker = *(past_in - 1);
  b.outliers.assign(sorted.begin(), first_in);
  b.outliers.insert(b.outliers.end(), past_in, sorted.end());
  return b;
}

size_t Bins::IndexOf(double v) const {
  const double i = std::floor((v - start) / width.Value() + 1e-9);
  if (!(i > 0)) return 0;
  return std::min(static_cast<size_t>(i), count - 1);
}

double Bins::Edge(size_t i) const {
  return start + width.Times(static_cast<long long>(i));
}

Bins NiceBins(double lo, double hi, size_t max_bins, double min_width) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  if (lo > hi) std::swap(lo, hi);
  max_bins = std::max<size_t>(max_bins, 1);
  Bins bins;
  bins.width = NiceStepAtLeast(std::max((hi - lo) / static_cast<double>(max_bins), min_width));
  for (;;) {
    const double w = bins.width.Value();
    const double first = std::floor(lo / w + 1e-9);
    bins.start = bins.width.Times(static_cast<long long>(first));
    bins.count = static_cast<size_t>(std::floor((hi - bins.start) / w + 1e-9)) + 1;
    if (bins.count <= max_bins) break;
    bins.width = NextNiceStep(bins.width);
  }
  return bins;
}

Heatmap BinHeatmap(std::span<const double> x, std::span<const double> y, size_t max_bins) {
  const size_t n = std::min(x.size(), y.size());
  Heatmap h;
  if (n > 0) {
    const auto [xmin, xmax] = std::minmax_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n));
    const auto [ymin, ymax] = std::minmax_element(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n));
    h.x = NiceBins(*xmin, *xmax, max_bins);
    h.y = NiceBins(*ymin, *ymax, max_bins);
  }
  h.counts.assign(h.x.count * h.y.count, 0);
  for (size_t i = 0; i < n; ++i) {
    size_t& c = h.counts[h.y.IndexOf(y[i]) * h.x.count + h.x.IndexOf(x[i])];
    h.max_count = std::max(h.max_count, ++c);
  }
  h.total = n;
  return h;
}

std::vector<size_t> EvenSampleIndices(size_t n, size_t cap) {
  std::vector<size_t> out;
  const size_t k = std::min(n, cap);
  out.reserve(k);
  for (size_t i = 0; i < k; ++i) {
    // i * n < cap * n: no overflow below 10^15 requests for any drawable cap.
    out.push_back(static_cast<size_t>(static_cast<uint64_t>(i) * n / k));
  }
  return out;
}

}  // namespace bench
