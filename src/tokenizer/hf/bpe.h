#pragma once
// Byte-pair-encoding model (tokenizer.json "model": {"type": "BPE"}): GPT-2-style byte-level
// vocabularies and SentencePiece-style ones with byte_fallback.
//
// Merging uses a min-heap of candidate pairs over a linked list of symbols (O(n log n) per
// piece), and a cache (hf/word_cache) maps recently seen pieces to their ids. SentencePiece-style
// vocabularies without a pre-tokenizer hand over whole texts as one piece ("▁a▁b▁c..."); when
// the merges provably never join across a word start, such a piece is encoded (and cached)
// word by word instead, with exactly the same ids; the piece itself is then never cached (an
// answer is rarely seen twice, its words are).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/hf/model.h"
#include "tokenizer/hf/vocab.h"
#include "tokenizer/hf/word_cache.h"

namespace bench::hf {

/// BPE model options beyond vocabulary and merges.
struct BpeOptions {
  std::optional<std::string> unk_token;
  std::string continuing_subword_prefix;  ///< prepended to every non-initial character
  std::string end_of_word_suffix;         ///< appended to the last character
  bool fuse_unk = false;                  ///< consecutive unknown characters make one unk
  bool byte_fallback = false;             ///< unknown characters become <0xXX> byte tokens
  bool ignore_merges = false;             ///< a piece already in the vocabulary is one token
};

/// One merge as ids: left + right -> merged.
struct MergeIds {
  int32_t left;
  int32_t right;
  int32_t merged;
};

/// A BPE model's two big tables, read without a JSON DOM (hf/simd_load) or from the tokenizer
/// cache (hf/tokenizer_cache). FromJson moves `vocab` out and, from `merges`, fills `merge_ids`
/// and `split_words` (what the cache stores); given `split_words`, it takes `merge_ids` instead
/// of `merges` and skips the string lookups.
struct BpeTables {
  Vocab vocab;
  std::vector<std::pair<std::string, std::string>> merges;  ///< in rank order
  std::vector<MergeIds> merge_ids;                          ///< in rank order
  std::optional<bool> split_words;
};

/// A BPE model; Tokenize is thread-safe.
class BpeModel final : public Model {
 public:
  /// Parses {"type": "BPE", "vocab": ..., "merges": ...}; throws ConfigError naming `path`.
  /// With `tables`, vocab and merges come from there (moved out) and `j` need not hold them.
  static std::unique_ptr<BpeModel> FromJson(const nlohmann::json& j, const std::string& path,
                                            BpeTables* tables = nullptr);
  /// Builds a model from a vocabulary and ordered merges (pairs of token strings).
  BpeModel(Vocab vocab, const std::vector<std::pair<std::string, std::string>>& merges,
           BpeOptions options);

  void Tokenize(std::string_view piece, std::vector<int32_t>& out) const override;
  std::optional<int32_t> TokenToId(std::string_view token) const override;
  const std::string* IdToToken(int32_t id) const override;
  size_t IdBound() const override { return vocab_.IdBound(); }
  size_t Size() const override { return vocab_.size(); }

  /// True if Tokenize encodes a piece of several words word by word (the load-time check passed).
  bool SplitsWords() const { return split_words_; }
  /// Tokenize without the cache and without the word split: the reference the split must
  /// equal (tests).
  void TokenizeUnsplit(std::string_view piece, std::vector<int32_t>& out) const;

 private:
  using Merge = MergeTable::Merge;

  BpeModel() = default;
  void Init(const std::vector<std::pair<std::string, std::string>>& merges, const std::string& path,
            std::vector<MergeIds>* ids = nullptr);
  void InitFromIds(const std::vector<MergeIds>& ids, bool split_words, const std::string& path);
  void InitSpecialIds();
  bool WholePieceToken(std::string_view piece, std::vector<int32_t>& out) const;
  bool WordSplitIsExact(const std::vector<std::pair<std::string, std::string>>& merges) const;
  void EncodeCached(std::string_view piece, std::vector<int32_t>& out) const;
  void MergeWord(std::string_view piece, std::vector<int32_t>& out) const;

  Vocab vocab_;
  MergeTable merges_;
  BpeOptions options_;
  std::optional<int32_t> unk_id_;
  std::array<int32_t, 256> byte_ids_{};  // id of "<0xXX>" per byte, -1 if absent
  bool split_words_ = false;             // WordSplitIsExact() held when the model was built
  mutable WordCache cache_;  // Tokenize is const and thread-safe; the cache locks per shard
};

}  // namespace bench::hf
