#pragma once
// "builtin": the name under which the simulator and `--tokenizer builtin` reach the default
// (embedded Mistral-7B) tokenizer, and the simulator's output vocabulary. Every word of
// BuiltinWords() is one token of that tokenizer at the start of a text and after a space, so the
// simulator's answers ("w1 w2 ... wn", no leading space) count exactly n tokens.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "tokenizer/tokenizer.h"

namespace bench {

/// The simulator's word list (lower-case ASCII words, no duplicates, one token each).
std::span<const std::string_view> BuiltinWords();

/// A handle to the default tokenizer (cheap; the tokenizer itself is shared and loaded once).
std::unique_ptr<Tokenizer> MakeBuiltinTokenizer();

/// Token id of the i-th builtin word ("▁w"; the same at text start and after a space).
int32_t BuiltinSpacedWordId(size_t word_index);

}  // namespace bench
