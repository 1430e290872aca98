#pragma once
// The corpus synthetic prompts are sliced from (reference §3.1 item 1, GenAI-Perf's
// shakespeare.txt): self-written English prose in src/dataset/corpus/corpus.txt, embedded in the binary,
// turned into one token stream per tokenizer.
//
// The stream is the corpus sentences in a fixed pseudo-random order, repeated in a different
// order each round until it holds at least kMinStreamTokens tokens. Each distinct sentence is
// encoded once, as it appears mid-text (after "Yes. "), and the token lists are concatenated, so
// building a stream costs one encode of the ~100 KB corpus rather than of the whole stream, and
// the stream decodes to ordinary text that re-encodes to the same ids. Nothing depends on the
// thread count or the machine, unlike GenAI-Perf's os.cpu_count() chunks.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace bench {

/// The embedded corpus: ASCII prose, one paragraph per line.
std::string_view PromptCorpusText();

/// The corpus split into sentences (at . ! or ? followed by a space, and at line ends), in order.
std::vector<std::string_view> PromptCorpusSentences();

/// The token stream of the corpus for one tokenizer. The stream is not held as one array: it is
/// the distinct sentences' ids plus the order they come in (a million tokens would be 4 MB
/// written at every start, each new page a fault), and a range is copied out of it on demand.
class CorpusTokens {
 public:
  /// Streams hold at least this many tokens: as many distinct start points as GenAI-Perf's
  /// Shakespeare corpus has, so prompts rarely share a prefix (and a server's prefix cache).
  static constexpr size_t kMinStreamTokens = size_t{1} << 20;

  /// The stream for `tokenizer`, built on first use and cached per tokenizer Name() for the
  /// life of the process (thread-safe).
  static std::shared_ptr<const CorpusTokens> For(const Tokenizer& tokenizer);

  /// Builds a stream for `tokenizer` without the cache.
  explicit CorpusTokens(const Tokenizer& tokenizer, size_t min_tokens = kMinStreamTokens);

  /// Tokens in the stream.
  size_t size() const { return size_; }
  /// Positions in the stream where a sentence begins, ascending; prompts start at one of them.
  std::span<const uint32_t> sentence_starts() const { return sentence_starts_; }
  /// Appends the ids at positions [start, start + length) of the stream to `out`, wrapping
  /// round at its end (start may be anywhere; nothing is appended to an empty stream).
  void CopyRange(size_t start, size_t length, std::vector<int32_t>& out) const;

 private:
  std::vector<int32_t> sentence_ids_;        // each distinct sentence's ids, back to back
  std::vector<uint32_t> sentence_offsets_;   // where each sentence's ids begin (and one end)
  std::vector<uint32_t> sentence_starts_;    // stream position of each occurrence
  std::vector<uint32_t> occurrence_sentence_;  // and which sentence it is
  size_t size_ = 0;
};

}  // namespace bench
