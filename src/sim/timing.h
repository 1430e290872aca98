#pragma once
// The simulator's latency model and its seeded random source. Pure arithmetic, no I/O, so the
// model is tested without sockets and the server only asks "how long until the next chunk?".

#include <chrono>
#include <cstdint>
#include <string_view>

namespace bench {

struct SimulatorOptions;

/// A small, fast, seedable RNG (SplitMix64); one per request, never shared between threads.
class SimRng {
 public:
  /// Seeds the sequence; equal seeds give equal sequences on every platform.
  explicit SimRng(uint64_t seed) : state_(seed) {}
  /// Next 64 random bits.
  uint64_t Next();
  /// Uniform double in [0, 1).
  double Uniform();
  /// Uniform integer in [0, n); n must be > 0.
  uint64_t Below(uint64_t n);

 private:
  uint64_t state_;
};

/// FNV-1a hash of `bytes`, used to seed each request from its body.
uint64_t HashBytes(std::string_view bytes);
/// Mixes two 64-bit values into a well-spread seed (SplitMix64 finaliser).
uint64_t MixSeed(uint64_t a, uint64_t b);

/// Turns SimulatorOptions into delays: TTFT = ttft_ms + ttft_per_input_token_ms x input tokens;
/// each output token costs itl_ms + itl_per_stream_ms x decoding streams; every delay is then
/// multiplied by a factor drawn uniformly from [1 - jitter, 1 + jitter] (clamped at 0).
class SimLatencyModel {
 public:
  using Duration = std::chrono::nanoseconds;

  /// Copies the timing knobs out of `options`.
  explicit SimLatencyModel(const SimulatorOptions& options);
  /// Time from a complete request to its first content chunk.
  Duration Ttft(size_t input_tokens, SimRng& rng) const;
  /// Time between two content chunks when the later one carries `tokens` tokens and
  /// `decoding_streams` requests (this one included) are decoding right now.
  Duration ChunkDelay(int tokens, int decoding_streams, SimRng& rng) const;

 private:
  Duration Jittered(double ms, SimRng& rng) const;

  double ttft_ms_;
  double ttft_per_input_token_ms_;
  double itl_ms_;
  double itl_per_stream_ms_;
  double jitter_;
};

}  // namespace bench
