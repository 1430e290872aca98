// The post-run work on one streamed 100-chunk body, per request, both ways: the long way (the
// body check, then the metrics stage splitting and parsing the reads again, searching them for
// the reasoning and timings keys, and the UTF-8 pass), and the one walk (CheckStream hands the
// texts and keys to the metrics stage in the record). Issue #23. Arg: events per read (1: a
// token-paced server; 103: the whole body in one read, as from a zero-latency server).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "record/reads_search.h"
#include "record/response_parser.h"
#include "record/stream_check.h"
#include "util/utf8.h"
#include "vllm_stream.h"

namespace bench {
namespace {

struct Body {
  std::string bytes;
  std::vector<uint32_t> read_ends;
  RequestRecord record;
};

Body MakeBody(size_t events_per_read) {
  Body b;
  for (const std::string& read : micro::GroupIntoReads(micro::VllmChatEvents(100), events_per_read)) {
    b.bytes += read;
    b.read_ends.push_back(static_cast<uint32_t>(b.bytes.size()));
    b.record.response_outputs.AddText(read);
    b.record.response_timestamps.push_back(static_cast<int64_t>(b.read_ends.size()) * 10'000'000);
  }
  b.record.json_checked = true;
  return b;
}

void BM_PostRunLongWay(benchmark::State& state) {
  const Body b = MakeBody(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(CheckResponseBody(b.bytes, /*streaming=*/true));
    benchmark::DoNotOptimize(IsValidUtf8(b.bytes));
    benchmark::DoNotOptimize(PreprocessRecord(ResponseFormat::kOpenAiChat, b.record));
    benchmark::DoNotOptimize(ReadsContain(b.record, kReasoningKey));
    benchmark::DoNotOptimize(ReadsContain(b.record, kTimingsKey));
  }
  state.SetItemsProcessed(state.iterations());  // requests/s
}
BENCHMARK(BM_PostRunLongWay)->ArgName("events_per_read")->Arg(1)->Arg(103);

void BM_PostRunOneWalk(benchmark::State& state) {
  Body b = MakeBody(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(CheckStream(b.bytes, b.read_ends, b.record.reading));
    benchmark::DoNotOptimize(PreprocessRecord(ResponseFormat::kOpenAiChat, b.record));
    benchmark::DoNotOptimize(ReadsContain(b.record, kReasoningKey));
    benchmark::DoNotOptimize(ReadsContain(b.record, kTimingsKey));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PostRunOneWalk)->ArgName("events_per_read")->Arg(1)->Arg(103);

}  // namespace
}  // namespace bench
