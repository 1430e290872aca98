#pragma once
// tokenizer.json "added_tokens": tokens (special or not) that are cut out of the text before
// the model sees it. Matching is leftmost-longest over all contents, as HF's Aho-Corasick does;
// tokens with normalized=false are matched in the raw text, the others after normalization.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/hf/model.h"
#include "tokenizer/hf/pattern.h"

namespace bench::hf {

class Normalizer;

/// One entry of "added_tokens".
struct AddedToken {
  int32_t id = 0;
  std::string content;
  bool single_word = false;  ///< match only when not inside a word
  bool lstrip = false;       ///< the match swallows whitespace on its left
  bool rstrip = false;       ///< the match swallows whitespace on its right
  bool normalized = false;   ///< matched in normalized text (and its content normalized too)
  bool special = false;      ///< dropped by Decode(skip_special_tokens=true)
};

/// A span of text and the added token it matched, or -1 for plain text.
struct AddedSplit {
  Span span;
  int32_t id;
};

/// The added tokens of a tokenizer and their matchers.
class AddedVocabulary {
 public:
  AddedVocabulary() = default;
  /// Parses the "added_tokens" array; throws ConfigError naming `path`.
  static std::vector<AddedToken> ParseJson(const nlohmann::json& j, const std::string& path);
  /// Gives each token the id HF gives it, whatever the file says: the model's id for a content
  /// the model knows, else the next id after the model vocabulary and earlier added tokens.
  /// Drops empty and repeated contents.
  static void AssignIds(std::vector<AddedToken>& tokens, const Model& model);
  /// Indexes `tokens`; normalized ones are matched by their content run through `normalizer`.
  AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer);

  /// Cuts `text` into plain and added-token spans, using the raw (`normalized` false) or the
  /// normalized token set. Plain spans may be empty only when `text` is.
  std::vector<AddedSplit> Split(std::string_view text, bool normalized) const;
  /// The added token with `id`, or null.
  const AddedToken* FindById(int32_t id) const;
  /// True when `content` is the content of a special added token.
  bool IsSpecialContent(std::string_view content) const;
  /// One past the largest added-token id (0 if none).
  size_t IdBound() const { return id_bound_; }

 private:
  // Byte trie over token contents; each node's terminal is an index into tokens_ or -1.
  struct Trie {
    std::unordered_map<uint64_t, int32_t> edges;  // (node << 8 | byte) → child
    std::vector<int32_t> terminal{-1};
    std::array<bool, 256> first{};
    int first_count = 0;  // distinct bytes in `first`
    int only_first = -1;  // the byte every content begins with when first_count is 1 ('<' often)
    void Insert(std::string_view pattern, int32_t token_index);
    bool Empty() const { return terminal.size() == 1; }
    /// The first index from `i` on where a content may begin, or text.size().
    size_t NextCandidate(std::string_view text, size_t i) const;
  };
  std::vector<AddedSplit> SplitWith(std::string_view text, const Trie& trie) const;

  std::vector<AddedToken> tokens_;
  std::unordered_map<int32_t, size_t> by_id_;
  std::unordered_set<std::string, StringHash, std::equal_to<>> special_contents_;
  Trie raw_, normalized_;
  size_t id_bound_ = 0;
};

}  // namespace bench::hf
