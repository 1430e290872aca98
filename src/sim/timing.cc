#include "sim/timing.h"

#include <algorithm>
#include <cmath>

#include "sim/simulator.h"

namespace bench {

uint64_t SimRng::Next() {
  // SplitMix64: 8 bytes of state per request keeps 10,000 streams cheap, unlike mt19937_64.
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double SimRng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

uint64_t SimRng::Below(uint64_t n) {
  // Modulo bias is below 2^-50 for the vocabulary sizes used here; irrelevant for a simulator.
  return Next() % n;
}

uint64_t HashBytes(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t MixSeed(uint64_t a, uint64_t b) {
  SimRng rng(a ^ (b * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
  return rng.Next();
}

SimLatencyModel::SimLatencyModel(const SimulatorOptions& options)
    : ttft_ms_(options.ttft_ms),
      ttft_per_input_token_ms_(options.ttft_per_input_token_ms),
      itl_ms_(options.itl_ms),
      itl_per_stream_ms_(options.itl_per_stream_ms),
      jitter_(options.jitter) {}

SimLatencyModel::Duration SimLatencyModel::Ttft(size_t input_tokens, SimRng& rng) const {
  return Jittered(ttft_ms_ + ttft_per_input_token_ms_ * static_cast<double>(input_tokens), rng);
}

SimLatencyModel::Duration SimLatencyModel::ChunkDelay(int tokens, int decoding_streams,
                                                      SimRng& rng) const {
  // ITL is per token so the token rate does not change with tokens_per_chunk.
  const double per_token = itl_ms_ + itl_per_stream_ms_ * std::max(decoding_streams, 0);
  return Jittered(per_token * std::max(tokens, 0), rng);
}

SimLatencyModel::Duration SimLatencyModel::Jittered(double ms, SimRng& rng) const {
  // Always draw, even with jitter 0, so the sequence does not depend on the jitter setting.
  const double u = rng.Uniform();
  const double factor = std::max(0.0, 1.0 + jitter_ * (2.0 * u - 1.0));
  const double ns = std::max(0.0, ms * factor * 1e6);
  return Duration(static_cast<int64_t>(std::llround(ns)));
}

}  // namespace bench
