#pragma once
// The numbers behind the plots: box plot statistics, heatmap bins and deterministic samples
// that keep large runs drawable. Free functions over plain vectors, tested on tiny inputs.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "plots/scale.h"

namespace bench {

/// A Tukey box: quartiles by numpy's linear percentile (the Percentile bench reports, and
/// plotly's default quartile method), whiskers at the most extreme values within 1.5 IQR of the
/// box, and the values beyond them.
struct BoxStats {
  size_t count = 0;
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0, mean = 0;
  double lower_whisker = 0, upper_whisker = 0;
  std::vector<double> outliers;  // ascending
};
/// Box statistics of `values` (count 0 and zeros when empty).
BoxStats ComputeBoxStats(std::span<const double> values);

/// Equal-width bins aligned to multiples of a nice width: [start + i*width, start + (i+1)*width).
struct Bins {
  double start = 0;
  NiceStep width;
  size_t count = 1;
  /// Bin of `v`, clamped to the first/last bin.
  size_t IndexOf(double v) const;
  /// Lower edge of bin i (i == count gives the upper edge of the last bin).
  double Edge(size_t i) const;
};
/// At most `max_bins` bins covering [lo, hi], each at least `min_width` wide (1 for token
/// counts, so a bin never splits an integer from its neighbours' values).
Bins NiceBins(double lo, double hi, size_t max_bins, double min_width = 1);

/// A 2-D histogram: counts[y * x.count + x].
struct Heatmap {
  Bins x, y;
  std::vector<size_t> counts;
  size_t max_count = 0;
  size_t total = 0;
  size_t At(size_t xi, size_t yi) const { return counts[yi * x.count + xi]; }
};
/// Bins the pairs (x[i], y[i]) (the shorter length wins) on NiceBins of each axis.
Heatmap BinHeatmap(std::span<const double> x, std::span<const double> y, size_t max_bins);

/// `cap` indices spread evenly over [0, n) (floor(i * n / cap)), or all of them when n <= cap:
/// which points a plot draws when there are too many.
std::vector<size_t> EvenSampleIndices(size_t n, size_t cap);

/// A deterministic sample of a stream of unknown length: every stride-th item, where the stride
/// doubles (dropping every other kept item) whenever more than `cap` are kept. Memory stays at
/// `cap` items however long the run; no random numbers, so a run's plots are reproducible.
template <typename T>
class StrideSampler {
 public:
  explicit StrideSampler(size_t cap) : cap_(cap < 1 ? 1 : cap) {}
  void Add(const T& item) {
    if (seen_++ % stride_ != 0) return;
    kept_.push_back(item);
    if (kept_.size() > cap_) Thin();
  }
  size_t seen() const { return seen_; }
  size_t stride() const { return stride_; }
  const std::vector<T>& items() const { return kept_; }
  std::vector<T> Take() { return std::move(kept_); }

 private:
  void Thin() {
    size_t out = 0;
    for (size_t i = 0; i < kept_.size(); i += 2) kept_[out++] = kept_[i];
    kept_.resize(out);
    stride_ *= 2;
  }
  size_t cap_;
  size_t seen_ = 0;
  uint64_t stride_ = 1;
  std::vector<T> kept_;
};

}  // namespace bench
