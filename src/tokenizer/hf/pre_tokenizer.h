#pragma once
// tokenizer.json "pre_tokenizer": cuts normalized text into the pieces the model encodes one by
// one (and may rewrite them, as ByteLevel and Metaspace do).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/hf/pattern.h"

namespace bench::hf {

/// A piece of text on its way to the model.
struct Piece {
  std::string text;
  bool at_origin = false;  ///< starts at offset 0 of the input (Metaspace "first" needs it)
};

/// What Split does with the pieces a pattern matches (HF SplitDelimiterBehavior).
enum class SplitBehavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

/// Pieces of `text` cut at `matches` (sorted, non-overlapping) under `behavior`; `invert` swaps
/// the roles of matches and gaps. Empty pieces are dropped.
std::vector<Span> SplitSpans(std::string_view text, const std::vector<Span>& matches,
                             SplitBehavior behavior, bool invert);

/// Spans of the single characters of `text` satisfying `pred` (a character-class pattern).
std::vector<Span> CharMatches(std::string_view text, const std::function<bool(char32_t)>& pred);

/// One pre-tokenizer (or a Sequence of them).
class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  /// Replaces `pieces` by their pre-tokenized sub-pieces.
  virtual void PreTokenize(std::vector<Piece>& pieces) const = 0;
};

/// Builds a pre-tokenizer from its tokenizer.json object; throws ConfigError naming `path`.
std::unique_ptr<PreTokenizer> MakePreTokenizer(const nlohmann::json& j, const std::string& path);

}  // namespace bench::hf
