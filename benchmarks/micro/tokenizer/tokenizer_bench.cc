// The built-in default tokenizer (embedded Mistral-7B BPE) on the texts bench counts: a
// 2,000-token prompt (input lengths, prompt generation) and a 100-token answer (output lengths,
// once per request in the metrics stage).

#include <string>

#include <benchmark/benchmark.h>

#include "tokenizer/default_tokenizer.h"
#include "util/random_stream.h"
#include "dataset/synthetic_prompt.h"
#include "vllm_stream.h"

namespace bench {
namespace {

// Exactly 2,000 tokens of the embedded corpus, as `--isl 2000` makes them.
const std::string& Prompt2000() {
  static const std::string prompt = [] {
    RandomStream rng(0);
    SyntheticPromptGenerator gen(DefaultTokenizer(), rng);
    return gen.Generate(2000);
  }();
  return prompt;
}

// The text of a 100-chunk answer from vllm_stream.h.
std::string Answer100() {
  std::string text;
  const char* const words[] = {" the", " model", " answered", " quickly", ",", " and",
                               " then", " it", " stopped", " generating", ".", " We"};
  for (int i = 0; i < 100; ++i) text += words[i % 12];
  return text;
}

void BM_EncodePrompt2000(benchmark::State& state) {
  const Tokenizer& tok = DefaultTokenizer();
  const std::string& prompt = Prompt2000();
  size_t tokens = 0;
  for (auto _ : state) {
    const auto ids = tok.Encode(prompt);
    tokens = ids.size();
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(tokens));  // tokens/s
  state.counters["tokens"] = static_cast<double>(tokens);
}
BENCHMARK(BM_EncodePrompt2000)->Unit(benchmark::kMicrosecond);

void BM_CountTokensPrompt2000(benchmark::State& state) {
  const Tokenizer& tok = DefaultTokenizer();
  const std::string& prompt = Prompt2000();
  size_t tokens = 0;
  for (auto _ : state) benchmark::DoNotOptimize(tokens = tok.CountTokens(prompt));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(tokens));
}
BENCHMARK(BM_CountTokensPrompt2000)->Unit(benchmark::kMicrosecond);

void BM_CountTokensAnswer100(benchmark::State& state) {
  const Tokenizer& tok = DefaultTokenizer();
  const std::string answer = Answer100();
  size_t tokens = 0;
  for (auto _ : state) benchmark::DoNotOptimize(tokens = tok.CountTokens(answer));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(tokens));
  state.counters["tokens"] = static_cast<double>(tokens);
}
BENCHMARK(BM_CountTokensAnswer100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace bench
