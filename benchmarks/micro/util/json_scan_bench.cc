// json_scan against simdjson (Debian 12's libsimdjson-dev 3.0.1) on the same SSE events: the
// JSON of the 103 events of one 100-token vLLM chat stream, each validated and its OpenAI text
// read (choices[0].delta.content), as the post-run stage does per event. Issue #23 asked which
// is faster; the answer decides whether bench keeps its own scanner (docs/benchmarks.md).
//
// What each side does per event:
// - json_scan: JsonDocument::Parse (full validation, nlohmann::json::accept's rules, and an
//   index) then the four lookups the text needs; IsJsonText alone for validation only.
// - simdjson On-Demand: iterate + the same lookups. On-Demand validates only what it visits
//   (stage 1 checks UTF-8 and the structure of the whole input; values never read are not
//   checked), so it is the cheaper contract. The DOM parser validates everything: the fair
//   match for "validate once". simdjson needs SIMDJSON_PADDING readable bytes after the input;
//   bench's events sit inside larger read buffers, so the copy into a padded buffer is counted.

#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "util/json_scan.h"
#include "vllm_stream.h"

#include <simdjson.h>

namespace bench {
namespace {

// The JSON of each data event (`data: ` and the blank line cut off; [DONE] left out).
std::vector<std::string> EventJson() {
  std::vector<std::string> out;
  for (const std::string& e : micro::VllmChatEvents(100)) {
    std::string_view s(e);
    s.remove_prefix(6);
    while (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (s != "[DONE]") out.emplace_back(s);
  }
  return out;
}

size_t Bytes(const std::vector<std::string>& events) {
  size_t n = 0;
  for (const auto& e : events) n += e.size();
  return n;
}

void BM_JsonScanValidate(benchmark::State& state) {
  const auto events = EventJson();
  for (auto _ : state) {
    for (const auto& e : events) benchmark::DoNotOptimize(IsJsonText(e));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Bytes(events)));
}
BENCHMARK(BM_JsonScanValidate);

void BM_JsonScanText(benchmark::State& state) {
  const auto events = EventJson();
  JsonDocument doc;
  for (auto _ : state) {
    for (const auto& e : events) {
      const auto v = doc.Parse(e);
      const auto choices = v->Member("choices");
      const auto c = choices->First();
      benchmark::DoNotOptimize(v->Member("object")->StringEquals("chat.completion.chunk"));
      const auto content = c->Member("delta")->Member("content");
      if (content && content->is_string()) benchmark::DoNotOptimize(content->String());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Bytes(events)));
}
BENCHMARK(BM_JsonScanText);

void BM_SimdjsonDomValidate(benchmark::State& state) {
  const auto events = EventJson();
  simdjson::dom::parser parser;
  for (auto _ : state) {
    for (const auto& e : events) {
      // std::string has no padding guarantee: the parser copies into its own padded buffer.
      benchmark::DoNotOptimize(parser.parse(e.data(), e.size()).error());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Bytes(events)));
}
BENCHMARK(BM_SimdjsonDomValidate);

void BM_SimdjsonDomText(benchmark::State& state) {
  const auto events = EventJson();
  simdjson::dom::parser parser;
  for (auto _ : state) {
    for (const auto& e : events) {
      simdjson::dom::element doc;
      if (parser.parse(e.data(), e.size()).get(doc)) continue;
      std::string_view object;
      benchmark::DoNotOptimize(doc["object"].get(object) == simdjson::SUCCESS && object == "chat.completion.chunk");
      std::string_view text;
      if (doc["choices"].at(0)["delta"]["content"].get(text) == simdjson::SUCCESS) {
        benchmark::DoNotOptimize(std::string(text));
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Bytes(events)));
}
BENCHMARK(BM_SimdjsonDomText);

void BM_SimdjsonOnDemandText(benchmark::State& state) {
  const auto events = EventJson();
  simdjson::ondemand::parser parser;
  std::string padded;
  for (auto _ : state) {
    for (const auto& e : events) {
      padded.assign(e);
      padded.resize(e.size() + simdjson::SIMDJSON_PADDING);  // the copy a read buffer would need
      simdjson::ondemand::document doc;
      if (parser.iterate(padded.data(), e.size(), padded.size()).get(doc)) continue;
      // Fields in document order: On-Demand reads forward, so "object" before "choices".
      std::string_view object;
      benchmark::DoNotOptimize(doc["object"].get(object) == simdjson::SUCCESS && object == "chat.completion.chunk");
      simdjson::ondemand::array choices;
      if (doc["choices"].get(choices)) continue;
      for (auto c : choices) {
        std::string_view text;
        if (c["delta"]["content"].get(text) == simdjson::SUCCESS) benchmark::DoNotOptimize(std::string(text));
        break;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Bytes(events)));
}
BENCHMARK(BM_SimdjsonOnDemandText);

}  // namespace
}  // namespace bench
