#include "util/random_stream.h"

#include <cmath>
#include <numbers>

namespace bench {

double RandomStream::Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

uint64_t RandomStream::Below(uint64_t n) {
  // Rejection keeps every value equally likely (a plain modulo favours small values).
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x = engine_();
  while (x >= limit) x = engine_();
  return x % n;
}

double RandomStream::Gauss(double mean, double stddev) {
  double z;
  if (has_gauss_next_) {
    z = gauss_next_;
    has_gauss_next_ = false;
  } else {
    const double angle = Uniform() * 2 * std::numbers::pi;
    const double radius = std::sqrt(-2.0 * std::log(1.0 - Uniform()));
    z = std::cos(angle) * radius;
    gauss_next_ = std::sin(angle) * radius;
    has_gauss_next_ = true;
  }
  return mean + z * stddev;
}

}  // namespace bench
