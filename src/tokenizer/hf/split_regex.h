#pragma once
// The pre-tokenization regexes most byte-level tokenizers use — GPT-2's (ByteLevel use_regex),
// cl100k's (GPT-4, Llama-3: a Split) and Qwen's (cl100k with single digits) — matched by hand
// where the text is ASCII and by Oniguruma elsewhere, with exactly the matches Regex::FindAll
// gives. Every text counted goes through one of them; a hand-written step costs a few
// instructions a byte where onig_search cost ~1,000 a match.

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/hf/pattern.h"

namespace bench::hf {

/// GPT-2's pattern.
inline constexpr std::string_view kGpt2Regex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
/// cl100k's pattern (tiktoken's GPT-4 encoding; Llama-3's tokenizer.json).
inline constexpr std::string_view kCl100kRegex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
/// Qwen2/3's pattern: cl100k's with one digit a match.
inline constexpr std::string_view kQwenRegex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

/// A regex with a hand-written matcher (declared in pattern.h, which keeps one).
enum class KnownSplit : uint8_t { kNone = 0, kGpt2, kCl100k, kQwen };

/// Which known pattern `pattern` is, by its exact text.
KnownSplit IdentifySplit(std::string_view pattern);

/// The end of the `kind` match starting at `pos` (< text.size()) when deciding it reads only
/// ASCII bytes, else 0 (the caller asks the regex). In these patterns every position starts a
/// match (their classes cover all characters) and nothing looks behind, so matches can be
/// taken one at a time.
size_t AsciiMatchEnd(KnownSplit kind, std::string_view text, size_t pos);

/// Regex::FindAll(text) for `regex`, compiled from the pattern of `kind` (not kNone).
std::vector<Span> KnownSplitMatches(KnownSplit kind, std::string_view text, const Regex& regex);

/// KnownSplitMatches for GPT-2 (ByteLevel's regex).
inline std::vector<Span> Gpt2Matches(std::string_view text, const Regex& gpt2) {
  return KnownSplitMatches(KnownSplit::kGpt2, text, gpt2);
}

}  // namespace bench::hf
