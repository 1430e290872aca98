// What compressing the spill costs and gains, on 1 MiB blocks shaped like the spill of a run
// (RawSpill's layout: a 14-integer header, one timestamp and two offsets per read, the body, the
// request id and the payload sent) of vLLM-style chat streams, each request with its own id.
// LZ4 (bench's choice, util/spill_codec) against zstd at its fastest levels; the counters give
// the ratio (raw / stored bytes) and the speed in raw bytes per second (docs/benchmarks.md).

#include <lz4.h>
#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "util/spill_codec.h"
#include "load/spill_file.h"
#include "vllm_stream.h"

namespace bench {
namespace {

template <typename T>
void Put(std::string& out, const T* data, size_t n) {
  out.append(reinterpret_cast<const char*>(data), n * sizeof(T));
}

// One 1 MiB block of spill: requests of `chunks` content chunks, `events_per_read` events per
// read (1: a token-paced server; the whole body: a zero-latency one).
std::string SpillBlock(int chunks, size_t events_per_read) {
  std::string block;
  int64_t t = 1'700'000'000'000'000'000;
  for (int req = 0; block.size() < SpillFile::kBufferSize; ++req) {
    std::vector<std::string> events = micro::VllmChatEvents(chunks);
    const std::string id = fmt::format("chatcmpl-{:032x}", 0x8c1f3e5a9b7d4e2fULL * static_cast<uint64_t>(req + 1));
    for (auto& e : events) {
      const size_t at = e.find("chatcmpl-");
      if (at != std::string::npos) e.replace(at, 41, id);
    }
    const auto reads = micro::GroupIntoReads(events, events_per_read);
    std::string body;
    std::vector<int64_t> stamps;
    std::vector<uint32_t> ends, wakes;
    for (size_t i = 0; i < reads.size(); ++i) {
      body += reads[i];
      t += 9'000'000 + (static_cast<int64_t>(i) * 7919) % 2'000'000;
      stamps.push_back(t);
      ends.push_back(static_cast<uint32_t>(body.size()));
      wakes.push_back(static_cast<uint32_t>(req * 1000 + i));
    }
    const std::string request_id = fmt::format("{:08x}-0000-4000-8000-{:012x}", req, req * 31);
    const std::string payload = micro::ChatRequestBody(16);
    const int64_t header[14] = {0, 0, t, t, 200, 0, 0, static_cast<int64_t>(reads.size()),
                                static_cast<int64_t>(body.size()), 0, static_cast<int64_t>(request_id.size()),
                                -1, 0, static_cast<int64_t>(payload.size())};
    Put(block, header, 14);
    Put(block, stamps.data(), stamps.size());
    Put(block, ends.data(), ends.size());
    Put(block, wakes.data(), wakes.size());
    block += body;
    block += request_id;
    block += payload;
  }
  block.resize(SpillFile::kBufferSize);
  return block;
}

void Report(benchmark::State& state, size_t raw, size_t stored) {
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(raw));
  state.counters["ratio"] = static_cast<double>(raw) / static_cast<double>(stored);
}

void BM_SpillLz4(benchmark::State& state) {
  const std::string block = SpillBlock(static_cast<int>(state.range(0)), static_cast<size_t>(state.range(1)));
  std::vector<char> out(SpillBlockBound(block.size()));
  size_t stored = 0;
  for (auto _ : state) benchmark::DoNotOptimize(stored = EncodeSpillBlock(block.data(), block.size(), out.data()));
  Report(state, block.size(), stored);
}

void BM_SpillLz4Decode(benchmark::State& state) {
  const std::string block = SpillBlock(static_cast<int>(state.range(0)), static_cast<size_t>(state.range(1)));
  std::vector<char> packed(SpillBlockBound(block.size()));
  const size_t stored = EncodeSpillBlock(block.data(), block.size(), packed.data());
  SpillBlockHeader h;
  std::memcpy(&h, packed.data(), sizeof h);
  std::vector<char> out(block.size());
  for (auto _ : state) benchmark::DoNotOptimize(DecodeSpillBlock(h, packed.data() + sizeof h, out.data()));
  Report(state, block.size(), stored);
}

void BM_SpillZstd(benchmark::State& state) {
  const std::string block = SpillBlock(static_cast<int>(state.range(0)), static_cast<size_t>(state.range(1)));
  const int level = static_cast<int>(state.range(2));
  std::vector<char> out(ZSTD_compressBound(block.size()));
  ZSTD_CCtx* ctx = ZSTD_createCCtx();
  size_t stored = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stored = ZSTD_compressCCtx(ctx, out.data(), out.size(), block.data(), block.size(), level));
  }
  ZSTD_freeCCtx(ctx);
  Report(state, block.size(), stored);
}

// {content chunks, events per read}: 100 and 1,000 chunks, one event per read or the whole body.
#define SPILL_SHAPES Args({100, 1})->Args({100, 103})->Args({1000, 1})->Args({1000, 1003})
BENCHMARK(BM_SpillLz4)->ArgNames({"chunks", "events_per_read"})->SPILL_SHAPES;
BENCHMARK(BM_SpillLz4Decode)->ArgNames({"chunks", "events_per_read"})->SPILL_SHAPES;
BENCHMARK(BM_SpillZstd)
    ->ArgNames({"chunks", "events_per_read", "level"})
    ->Args({100, 1, 1})->Args({1000, 1003, 1})->Args({100, 1, -5})->Args({1000, 1003, -5});

}  // namespace
}  // namespace bench
