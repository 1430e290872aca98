#pragma once
// The simulator's /metrics page, in vLLM's Prometheus names and layout (`vllm:` prefix, labels
// engine and model_name, prometheus_client's float formatting), so the server-metrics path of
// `bench profile --server-metrics-url` can be tried and tested without a GPU server. Only what
// the simulator really does is counted: requests generating, tokens, finished requests, TTFT
// and end-to-end latency of each finished request.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace bench {

/// Counters updated by the simulator's connection threads (relaxed atomics).
class SimServerStats {
 public:
  /// A request answered in full: its prompt and generated tokens, time from the complete request
  /// to its first token and to its last.
  void Finished(int64_t prompt_tokens, int64_t generation_tokens, double ttft_s, double e2e_s);
  /// The page for GET /metrics; `running` = requests generating now.
  std::string Render(const std::string& model, int running) const;

  /// vLLM's bucket bounds (seconds) for time to first token and end-to-end latency.
  static constexpr std::array<double, 22> kTtftBuckets = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
                                                          0.25,  0.5,   0.75, 1.0,  2.5,  5.0,  7.5,  10.0,
                                                          20.0,  40.0,  80.0, 160.0, 640.0, 2560.0};
  static constexpr std::array<double, 21> kLatencyBuckets = {0.3,  0.5,  0.8,  1.0,   1.5,   2.0,   2.5,
                                                             5.0,  10.0, 15.0, 20.0,  30.0,  40.0,  50.0,
                                                             60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

 private:
  template <size_t N>
  struct Histogram {
    std::array<std::atomic<uint64_t>, N + 1> counts{};  // per bucket, the last one above every bound
    std::atomic<uint64_t> sum_ns{0};
  };
  template <size_t N>
  static void Observe(Histogram<N>& h, const std::array<double, N>& bounds, double seconds);
  template <size_t N>
  static void Write(std::string& out, const char* name, const char* help, const Histogram<N>& h,
                    const std::array<double, N>& bounds, const std::string& labels);

  std::atomic<uint64_t> prompt_tokens_{0};
  std::atomic<uint64_t> generation_tokens_{0};
  std::atomic<uint64_t> finished_{0};
  Histogram<kTtftBuckets.size()> ttft_;
  Histogram<kLatencyBuckets.size()> e2e_;
};

}  // namespace bench
