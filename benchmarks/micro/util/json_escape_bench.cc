// The export's escaping of each read's text (util/json_escape), on every path this CPU has:
// vLLM-style chat chunks, one event per read (a token-paced server) or the whole body in one
// read (a zero-latency one). The counter is raw bytes per second.

#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "util/json_escape.h"
#include "vllm_stream.h"

namespace bench {
namespace {

void BM_JsonEscape(benchmark::State& state) {
  const auto simd = static_cast<JsonEscapeSimd>(state.range(0));
  if (simd > BestJsonEscapeSimd()) {
    state.SkipWithError("this CPU lacks the instructions");
    return;
  }
  const size_t events_per_read = static_cast<size_t>(state.range(1));
  const std::vector<std::string> reads =
      micro::GroupIntoReads(micro::VllmChatEvents(100), events_per_read == 0 ? 1000 : events_per_read);
  size_t bytes = 0;
  for (const std::string& r : reads) bytes += r.size();
  ByteBuffer out;
  for (auto _ : state) {
    out.clear();
    for (const std::string& r : reads) detail::AppendEscaped(out, r, simd);
    benchmark::DoNotOptimize(out.view().data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
// Paths: 0 plain, 1 SSSE3, 2 AVX-512 VBMI2; events per read: 1, or 0 for the whole body.
BENCHMARK(BM_JsonEscape)->ArgsProduct({{0, 1, 2}, {1, 0}})->ArgNames({"simd", "events_per_read"});

}  // namespace
}  // namespace bench
