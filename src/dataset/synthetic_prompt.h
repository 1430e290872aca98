#pragma once
// Synthetic prompts of an exact token count (reference §3.1): GenAI-Perf's corpus-slice method
// — a random start in the corpus token stream, n tokens, decoded — plus a correction step, so
// that every prompt encodes to exactly n tokens under the tokenizer that made it.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dataset/prompt_corpus.h"
#include "util/random_stream.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// One prompt to make: `num_tokens` synthetic tokens, optionally after a prefix.
struct PromptSpec {
  int num_tokens = 0;
  /// Empty = none. Otherwise the prompt is prefix + " " + synthetic text, and the synthetic text
  /// is chosen so that the whole prompt has exactly prefix_tokens + num_tokens tokens.
  std::string_view prefix;
  size_t prefix_tokens = 0;  // CountTokens(prefix)
};

/// Makes synthetic prompts from the embedded corpus for one tokenizer.
class SyntheticPromptGenerator {
 public:
  /// Random choices (lengths, start points) are drawn from `rng`, in order, on this thread.
  SyntheticPromptGenerator(const Tokenizer& tokenizer, RandomStream& rng);

  /// GenAI-Perf's length rule: max(0, int(gauss(mean, stddev))); then clamped to
  /// [clip_min, clip_max] when clip_max > 0 (task presets).
  int SampleLength(int mean, int stddev, int clip_min = 0, int clip_max = 0);
  /// A prompt of exactly `num_tokens` tokens ("" for 0).
  std::string Generate(int num_tokens);
  /// Samples a length with SampleLength(mean, stddev) and generates a prompt of that length.
  std::string GenerateSampled(int mean, int stddev);
  /// The prompts for `specs`, made on up to `threads` threads (0 = one per core). Start points
  /// are drawn first, in order, so the result is the same for any thread count.
  std::vector<std::string> GenerateAll(std::span<const PromptSpec> specs, int threads = 0);
  /// GenAI-Perf's pool of shared prefixes (--num-prefix-prompts of exactly
  /// --prefix-prompt-length tokens), made before any prompt; empty when `count` is 0.
  std::vector<std::string> PrefixPool(int count, int length);

  /// Prompts so far that could not be made exact (each is within a token or two; none has been
  /// seen with the tokenizers tested, see tests/synthetic_prompt_test.cc).
  size_t inexact_count() const { return inexact_; }

 private:
  const Tokenizer& tokenizer_;
  RandomStream& rng_;
  std::shared_ptr<const CorpusTokens> corpus_;
  size_t inexact_ = 0;
};

}  // namespace bench
