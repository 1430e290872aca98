#pragma once
// Axes of the plots: "nice" steps (1, 2 or 5 times a power of ten) so that tick labels read as
// round numbers, and the linear map from data values to SVG coordinates.

#include <string>
#include <vector>

namespace bench {

/// A step of the form mantissa x 10^exponent with mantissa 1, 2 or 5. Ticks are computed from
/// the integer parts so that 0.1-steps give 0.3, not 0.30000000000000004.
struct NiceStep {
  int mantissa = 1;  // 1, 2 or 5
  int exponent = 0;
  double Value() const;
  /// k x step, correctly rounded.
  double Times(long long k) const;
  /// Decimals a label needs to show every multiple of the step exactly.
  int Decimals() const;
};

/// The smallest nice step >= x (x > 0 and finite; otherwise 1).
NiceStep NiceStepAtLeast(double x);
/// The next larger nice step (1 -> 2 -> 5 -> 10).
NiceStep NextNiceStep(NiceStep step);

/// An axis: the range drawn (widened to whole steps) and the tick values in it.
struct Axis {
  double lo = 0;
  double hi = 1;
  NiceStep step;
  std::vector<double> ticks;  // lo, lo + step, ..., hi
};

/// An axis covering [lo, hi] with at most `max_ticks` ticks (>= 2). An empty range is widened
/// around its value (10% of it, or +-1 around 0) so a constant metric still gets an axis.
Axis NiceAxis(double lo, double hi, int max_ticks = 6);

/// A tick label: the value with the decimals its step needs, no exponent, no "-0".
std::string FormatTick(double value, NiceStep step);

/// Linear map from the data interval [d0, d1] to the pixel interval [r0, r1]; a y axis drawn
/// upwards passes r0 > r1. A zero-width domain maps everything to the middle of the range.
class LinearScale {
 public:
  LinearScale(double d0, double d1, double r0, double r1) : d0_(d0), d1_(d1), r0_(r0), r1_(r1) {}
  double operator()(double v) const;

 private:
  double d0_, d1_, r0_, r1_;
};

}  // namespace bench
