#pragma once
// The built-in word tokenizer: the language the simulator speaks. It lets `bench profile
// --simulator` and the tests count tokens exactly without any downloaded tokenizer.
//
// Vocabulary: ids 0..255 are single bytes (fallback for anything unknown); then, for each word
// w of BuiltinWords() in order, "w" and " w" (leading space). Pre-tokenization splits text into
// pieces matching ` ?[A-Za-z]+| ?[0-9]| ?[^\sA-Za-z0-9]|\s+`; a piece found in the vocabulary is
// one token, any other piece is one token per UTF-8 byte. Decoding concatenates the pieces.

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "bench/tokenizer.h"

namespace bench {

/// The simulator's word list (lower-case ASCII words, no duplicates).
std::span<const std::string_view> BuiltinWords();

/// A new built-in tokenizer (cheap; the vocabulary is static).
std::unique_ptr<Tokenizer> MakeBuiltinTokenizer();

/// Id of " w" (with leading space) for the i-th builtin word; the simulator emits these.
int32_t BuiltinSpacedWordId(size_t word_index);

}  // namespace bench
