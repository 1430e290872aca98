#pragma once
// Two-sample statistics for `bench compare`: is a candidate's per-request distribution different
// from the baseline's, and by how much? Free functions over plain vectors, tested on tiny inputs.

#include <cstdint>
#include <vector>

namespace bench {

/// Mann-Whitney U test (two-sided), normal approximation with tie correction and continuity
/// correction (scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True)).
struct MannWhitneyResult {
  double u = 0;        // U of the first sample: pairs (x, y) with x > y, ties counting 1/2
  double z = 0;        // standardised |U - mean| - 0.5, signed like U - mean
  double p_value = 1;  // two-sided; 1 when either sample is empty or every value ties
};
MannWhitneyResult MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y);

/// Median (mean of the two middle values for an even count); 0 for an empty vector.
double Median(std::vector<double> values);

/// Percentile bootstrap confidence interval of median(y) - median(x): `resamples` resamples of
/// each sample with replacement, drawn from a fixed-seed generator so the interval is
/// reproducible run to run.
struct ConfidenceInterval {
  double low = 0;
  double high = 0;
};
ConfidenceInterval BootstrapMedianDifference(const std::vector<double>& x, const std::vector<double>& y,
                                             int resamples = 2000, double confidence = 0.95,
                                             uint64_t seed = 0x5eed);

}  // namespace bench
