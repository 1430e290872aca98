#pragma once
// The GPT-2 pre-tokenization regex (ByteLevel's use_regex), matched by hand where the text is
// ASCII and by Oniguruma elsewhere, with exactly the matches Regex::FindAll gives: every byte-level
// tokenizer runs it over every text counted, and a hand-written step costs a few instructions a
// byte where onig_search cost ~1,000 a match.

#include <string_view>
#include <vector>

#include "tokenizer/hf/pattern.h"

namespace bench::hf {

/// GPT-2's pattern: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
inline constexpr std::string_view kGpt2Regex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

/// The end of the GPT-2 match starting at `pos` (< text.size()) when deciding it reads only
/// ASCII bytes, else 0 (the caller asks the regex). Every position starts a match (the classes
/// cover all characters) and nothing looks behind, so matches can be taken one at a time.
size_t Gpt2AsciiMatchEnd(std::string_view text, size_t pos);

/// Regex::FindAll(text) for `gpt2`, compiled from kGpt2Regex.
std::vector<Span> Gpt2Matches(std::string_view text, const Regex& gpt2);

}  // namespace bench::hf
