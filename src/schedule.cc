#include "bench/schedule.h"

#include <cmath>
#include <random>

namespace bench {

std::optional<ArrivalDistribution> ParseArrivalDistribution(const std::string& name) {
  if (name == "constant") return ArrivalDistribution::kConstant;
  if (name == "poisson") return ArrivalDistribution::kPoisson;
  return std::nullopt;
}

std::vector<int64_t> ArrivalOffsets(int count, double rate, ArrivalDistribution distribution,
                                    uint64_t seed) {
  std::vector<int64_t> offsets;
  if (count <= 0 || !(rate > 0)) return offsets;
  offsets.reserve(count);
  const double gap_ns = 1e9 / rate;
  if (distribution == ArrivalDistribution::kConstant) {
    // i * gap rather than a running sum: no accumulated rounding over millions of requests.
    for (int i = 0; i < count; ++i) offsets.push_back(std::llround(i * gap_ns));
    return offsets;
  }
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(1.0);
  double t = 0;
  for (int i = 0; i < count; ++i) {
    offsets.push_back(std::llround(t));
    t += gap(rng) * gap_ns;
  }
  return offsets;
}

}  // namespace bench
