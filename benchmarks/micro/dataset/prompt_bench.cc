// Synthetic prompt generation. The bar: 10,000 prompts of 2,000 tokens in seconds.
//   bench_micro --benchmark_filter=Prompts --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// BENCH_BENCHMARK_TOKENIZER=path/to/tokenizer.json adds a run with that tokenizer.

#include <cstdlib>
#include <memory>

#include <benchmark/benchmark.h>

#include "tokenizer/builtin_tokenizer.h"
#include "dataset/synthetic_prompt.h"

namespace bench {
namespace {

void GeneratePrompts(benchmark::State& state, const Tokenizer& tokenizer) {
  const int count = static_cast<int>(state.range(0));
  const int tokens = static_cast<int>(state.range(1));
  CorpusTokens::For(tokenizer);  // the one-off corpus encode is measured separately below
  for (auto _ : state) {
    RandomStream rng(0);
    SyntheticPromptGenerator gen(tokenizer, rng);
    const std::vector<PromptSpec> specs(static_cast<size_t>(count), PromptSpec{tokens, {}, 0});
    benchmark::DoNotOptimize(gen.GenerateAll(specs));
  }
  state.counters["prompts/s"] = benchmark::Counter(count, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_PromptsBuiltin(benchmark::State& state) {
  static const auto tokenizer = MakeBuiltinTokenizer();
  GeneratePrompts(state, *tokenizer);
}
BENCHMARK(BM_PromptsBuiltin)->Args({10000, 2000})->Unit(benchmark::kSecond)->UseRealTime();

void BM_PromptsFromEnvTokenizer(benchmark::State& state) {
  const char* path = std::getenv("BENCH_BENCHMARK_TOKENIZER");
  if (path == nullptr) {
    state.SkipWithError("set BENCH_BENCHMARK_TOKENIZER to a tokenizer.json");
    return;
  }
  static const auto loaded = LoadTokenizer(path);
  if (!loaded.tokenizer) {
    state.SkipWithError(loaded.error.c_str());
    return;
  }
  GeneratePrompts(state, *loaded.tokenizer);
}
BENCHMARK(BM_PromptsFromEnvTokenizer)->Args({10000, 2000})->Unit(benchmark::kSecond)->UseRealTime();

void BM_CorpusStreamBuiltin(benchmark::State& state) {
  const auto tokenizer = MakeBuiltinTokenizer();
  for (auto _ : state) benchmark::DoNotOptimize(CorpusTokens(*tokenizer));
}
BENCHMARK(BM_CorpusStreamBuiltin)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace bench
