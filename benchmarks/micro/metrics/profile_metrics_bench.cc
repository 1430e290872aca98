// The whole per-request metrics stage (ComputeExperimentMetrics: SSE pre-processing, text
// extraction, input and output token counts, metric lists) over 1,000 streamed requests of 100
// content chunks: what bench does after every run before it prints the table.

#include <cstdint>

#include <benchmark/benchmark.h>

#include "tokenizer/default_tokenizer.h"
#include "metrics/profile_metrics.h"
#include "vllm_stream.h"

namespace bench {
namespace {

ProfileExport Export(size_t requests, size_t events_per_read) {
  const auto reads = micro::GroupIntoReads(micro::VllmChatEvents(100), events_per_read);
  const std::string body = micro::ChatRequestBody(200);
  ProfileExport profile;
  profile.version = "0.1.0";
  profile.endpoint = "v1/chat/completions";
  Experiment& ex = profile.experiments.emplace_back();
  ex.value = 100;
  int64_t t = 1'732'780'000'000'000'000;
  for (size_t i = 0; i < requests; ++i) {
    RequestRecord& r = ex.requests.emplace_back();
    r.timestamp_ns = t;
    r.request_inputs = nlohmann::json{{"payload", body}};
    for (const auto& read : reads) {
      t += 1'000'000;
      r.response_timestamps.push_back(t);
      r.response_outputs.AddText(read);
    }
  }
  ex.window_boundaries = {ex.requests.front().timestamp_ns, t};
  return profile;
}

void BM_ComputeExperimentMetrics1k(benchmark::State& state) {
  const ProfileExport profile = Export(1'000, static_cast<size_t>(state.range(0)));
  MetricsOptions options;
  options.endpoint_type = "chat";
  for (auto _ : state) {
    const ExperimentMetrics m = ComputeExperimentMetrics(profile, profile.experiments[0], &DefaultTokenizer(), options);
    if (!m.error.empty()) state.SkipWithError(m.error.c_str());
    benchmark::DoNotOptimize(m.lists.request_latency.data());
  }
  state.SetItemsProcessed(state.iterations() * 1'000);  // requests/s
}
BENCHMARK(BM_ComputeExperimentMetrics1k)->ArgName("events_per_read")->Arg(1)->Arg(103)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
