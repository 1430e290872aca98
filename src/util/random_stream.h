#pragma once
// The one random stream behind a run's inputs (prompt lengths and starts, max_tokens, model
// choice). Every step is specified here, not left to the standard library, so the same seed
// gives the same inputs with any compiler, standard library or machine: std::mt19937_64 is
// fully specified by the standard, but std::normal_distribution and std::shuffle are not.
// Python's `random` stream (GenAI-Perf) is not reproduced; only its sampling rules are.

#include <cstddef>
#include <cstdint>
#include <random>

namespace bench {

/// A seeded random stream with Python-like helpers (random(), gauss(), randrange()).
class RandomStream {
 public:
  explicit RandomStream(uint64_t seed) : engine_(seed) {}
  /// 64 uniformly random bits.
  uint64_t Bits() { return engine_(); }
  /// Uniform in [0, 1) with 53 bits of precision (Python's random.random()).
  double Uniform();
  /// Uniform integer in [0, n); n must be > 0 (Python's randrange(n), but by rejection on 64 bits).
  uint64_t Below(uint64_t n);
  /// Normal(mean, stddev) by Python's random.gauss algorithm (Box-Muller, second value cached).
  double Gauss(double mean, double stddev);

 private:
  std::mt19937_64 engine_;
  double gauss_next_ = 0;
  bool has_gauss_next_ = false;
};

}  // namespace bench
