// The post-run check of each 2xx body (CheckResponseBody): bench runs it once per request when
// the load phase is over, so its cost lands between the end of the load and the report.

#include <string>

#include <benchmark/benchmark.h>

#include "record/stream_check.h"
#include "vllm_stream.h"

namespace bench {
namespace {

void BM_CheckResponseBody(benchmark::State& state) {
  const auto events = micro::VllmChatEvents(static_cast<int>(state.range(0)));
  std::string body;
  for (const auto& e : events) body += e;
  for (auto _ : state) benchmark::DoNotOptimize(CheckResponseBody(body, /*streaming=*/true));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));  // events/s
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
}
BENCHMARK(BM_CheckResponseBody)->ArgName("content_chunks")->Arg(100)->Arg(1000);

}  // namespace
}  // namespace bench
