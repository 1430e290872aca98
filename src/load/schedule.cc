#include "load/schedule.h"

#include <cmath>
#include <random>

#include "util/random_stream.h"

namespace bench {

std::optional<ArrivalDistribution> ParseArrivalDistribution(const std::string& name) {
  if (name == "constant") return ArrivalDistribution::kConstant;
  if (name == "poisson") return ArrivalDistribution::kPoisson;
  return std::nullopt;
}

const char* ArrivalDistributionName(ArrivalDistribution distribution) {
  return distribution == ArrivalDistribution::kPoisson ? "poisson" : "constant";
}

namespace {

// Gamma(shape, 1) by Marsaglia and Tsang's method (shape < 1 through the boost
// Gamma(shape + 1) * U^(1/shape)), on the portable stream so a seed means the same schedule
// everywhere.
double Gamma(double shape, RandomStream& random) {
  if (shape < 1) {
    const double u = random.Uniform();
    return Gamma(shape + 1, random) * std::pow(u > 0 ? u : 1e-300, 1 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1 / std::sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = random.Gauss(0, 1);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = random.Uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
  }
}

// Calls `emit(offset)` for each offset in order until it returns false.
template <typename Emit>
void GenerateOffsets(double rate, ArrivalDistribution distribution, uint64_t seed, double burstiness, Emit emit) {
  const double gap_ns = 1e9 / rate;
  if (distribution == ArrivalDistribution::kConstant) {
    // i * gap rather than a running sum: no accumulated rounding over millions of requests.
    for (int64_t i = 0; emit(std::llround(static_cast<double>(i) * gap_ns)); ++i) {
    }
    return;
  }
  if (burstiness != 1.0) {
    // Gamma gaps with shape k and scale 1/k: mean 1 (x gap), coefficient of variation 1/sqrt(k).
    RandomStream random(seed);
    for (double t = 0; emit(std::llround(t));) t += Gamma(burstiness, random) / burstiness * gap_ns;
    return;
  }
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(1.0);
  for (double t = 0; emit(std::llround(t));) t += gap(rng) * gap_ns;
}

}  // namespace

std::vector<int64_t> ArrivalOffsets(int count, double rate, ArrivalDistribution distribution,
                                    uint64_t seed, double burstiness) {
  std::vector<int64_t> offsets;
  if (count <= 0 || !(rate > 0)) return offsets;
  offsets.reserve(count);
  GenerateOffsets(rate, distribution, seed, burstiness, [&](int64_t offset) {
    offsets.push_back(offset);
    return offsets.size() < static_cast<size_t>(count);
  });
  return offsets;
}

std::vector<int64_t> ArrivalOffsetsWithin(int64_t duration_ns, double rate, ArrivalDistribution distribution,
                                          uint64_t seed, double burstiness) {
  std::vector<int64_t> offsets;
  if (duration_ns <= 0 || !(rate > 0)) return offsets;
  GenerateOffsets(rate, distribution, seed, burstiness, [&](int64_t offset) {
    if (offset >= duration_ns) return false;
    offsets.push_back(offset);
    return true;
  });
  return offsets;
}

std::vector<int64_t> FixedScheduleOffsets(const std::vector<int64_t>& timestamps_ms, double speedup) {
  std::vector<int64_t> offsets;
  if (timestamps_ms.empty() || !(speedup > 0)) return offsets;
  offsets.reserve(timestamps_ms.size());
  for (const int64_t ms : timestamps_ms) {
    offsets.push_back(std::llround(static_cast<double>(ms - timestamps_ms.front()) * 1e6 / speedup));
  }
  return offsets;
}

}  // namespace bench
