#include "plots/scale.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace bench {

double NiceStep::Value() const { return Times(1); }

double NiceStep::Times(long long k) const {
  // Integer part times an exact power of ten (or divided by one): one rounding in all.
  const double units = static_cast<double>(k * mantissa);
  return exponent >= 0 ? units * std::pow(10.0, exponent) : units / std::pow(10.0, -exponent);
}

int NiceStep::Decimals() const { return exponent < 0 ? -exponent : 0; }

NiceStep NiceStepAtLeast(double x) {
  if (!(x > 0) || !std::isfinite(x)) return {};
  int exponent = static_cast<int>(std::floor(std::log10(x)));
  // log10 can land one off near powers of ten; step back and walk up to the first fit.
  NiceStep step{1, exponent - 1};
  while (step.Value() < x * (1 - 1e-12)) step = NextNiceStep(step);
  return step;
}

NiceStep NextNiceStep(NiceStep step) {
  if (step.mantissa == 1) return {2, step.exponent};
  if (step.mantissa == 2) return {5, step.exponent};
  return {1, step.exponent + 1};
}

Axis NiceAxis(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= std::abs(hi) * 1e-12) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  max_ticks = std::max(max_ticks, 2);
  Axis axis;
  axis.step = NiceStepAtLeast((hi - lo) / (max_ticks - 1));
  // Tolerances keep 0.3 / 0.1 = 2.9999999999999996 from adding a step below the data.
  long long first = 0, last = 0;
  for (;;) {
    const double s = axis.step.Value();
    first = static_cast<long long>(std::floor(lo / s + 1e-9));
    last = static_cast<long long>(std::ceil(hi / s - 1e-9));
    if (last - first + 1 <= max_ticks) break;
    axis.step = NextNiceStep(axis.step);
  }
  for (long long k = first; k <= last; ++k) axis.ticks.push_back(axis.step.Times(k));
  axis.lo = axis.ticks.front();
  axis.hi = axis.ticks.back();
  return axis;
}

std::string FormatTick(double value, NiceStep step) {
  std::string s = fmt::format("{:.{}f}", value, step.Decimals());
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

double LinearScale::operator()(double v) const {
  if (d1_ == d0_) return (r0_ + r1_) / 2;
  return r0_ + (v - d0_) / (d1_ - d0_) * (r1_ - r0_);
}

}  // namespace bench
