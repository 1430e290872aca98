// GenAI-Perf's SSE pre-processing (PreprocessResponses) of one 100-token vLLM chat stream: the
// per-request work of the metrics stage before token counting. Two read shapes bracket reality:
// one event per read (a token-paced server) and the whole body in one read (a zero-latency
// server such as the nginx ceiling, where every read holds many events to split and merge).

#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "record/response_parser.h"
#include "vllm_stream.h"

namespace bench {
namespace {

void BM_PreprocessResponses(benchmark::State& state) {
  const std::vector<std::string> events = micro::VllmChatEvents(100);
  const auto reads = micro::GroupIntoReads(events, static_cast<size_t>(state.range(0)));
  ResponseOutputs outputs;
  std::vector<int64_t> timestamps;
  for (size_t i = 0; i < reads.size(); ++i) {
    outputs.AddText(reads[i]);
    timestamps.push_back(static_cast<int64_t>(i) * 10'000'000);
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(PreprocessResponses(ResponseFormat::kOpenAiChat, outputs, timestamps));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));  // events/s
  state.counters["reads"] = static_cast<double>(reads.size());
}
BENCHMARK(BM_PreprocessResponses)->ArgName("events_per_read")->Arg(1)->Arg(103);

void BM_ExtractText(benchmark::State& state) {
  const std::string event = micro::VllmChatEvents(1)[1];
  for (auto _ : state) benchmark::DoNotOptimize(ExtractText(ResponseFormat::kOpenAiChat, event));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExtractText);

}  // namespace
}  // namespace bench
