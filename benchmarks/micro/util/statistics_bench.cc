// Statistics over a million-request run: the numpy-exact percentiles (a sort per metric) and the
// whole StatsReport, which holds seven per-request lists of that length.

#include <cmath>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "metrics/metrics.h"
#include "util/statistics.h"

namespace bench {
namespace {

constexpr size_t kValues = 1'000'000;

// Latency-like values in ns: log-normal around 50 ms, so the sort sees no easy order.
std::vector<double> Latencies(size_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(std::log(50e6), 0.5);
  std::vector<double> v(n);
  for (double& x : v) x = std::round(dist(rng));
  return v;
}

void BM_ComputeStatistics1M(benchmark::State& state) {
  const std::vector<double> values = Latencies(kValues, 1);
  for (auto _ : state) benchmark::DoNotOptimize(ComputeStatistics(values));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kValues));
}
BENCHMARK(BM_ComputeStatistics1M)->Unit(benchmark::kMillisecond);

void BM_ComputeStatsReport1M(benchmark::State& state) {
  MetricLists lists;
  lists.request_latency = Latencies(kValues, 1);
  lists.time_to_first_token = Latencies(kValues, 2);
  lists.time_to_second_token = Latencies(kValues, 3);
  lists.inter_token_latency = Latencies(kValues, 4);
  lists.output_token_throughput_per_user = Latencies(kValues, 5);
  lists.output_sequence_length = std::vector<double>(kValues, 100.0);
  lists.input_sequence_length = std::vector<double>(kValues, 200.0);
  lists.request_throughput = 1000.0;
  lists.output_token_throughput = 100000.0;
  lists.request_count = static_cast<double>(kValues);
  lists.benchmark_duration_s = 1000.0;
  for (auto _ : state) benchmark::DoNotOptimize(ComputeStatsReport(lists, /*scale_to_ms=*/true));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kValues));  // requests/s
}
BENCHMARK(BM_ComputeStatsReport1M)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
