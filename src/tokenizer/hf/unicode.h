#pragma once
// UTF-8 and character-class helpers with the semantics of Rust's `char`/`str`, which the
// Hugging Face tokenizers library is written against (is_whitespace, is_alphanumeric,
// String::from_utf8_lossy). Character properties come from ICU.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "util/utf8.h"

namespace bench::hf {

// The UTF-8 helpers live in utf8.h; these names keep the tokenizer code short.
using bench::AppendUtf8;
using bench::IsValidUtf8;
using bench::NextCodePoint;
using bench::Utf8Lossy;
using bench::Utf8SequenceLength;

/// Rust char::is_whitespace (the Unicode White_Space property).
bool IsWhitespace(char32_t c);
/// Rust char::is_numeric (general categories Nd, Nl, No).
bool IsNumeric(char32_t c);
/// Rust char::is_alphanumeric (Alphabetic or numeric).
bool IsAlphanumeric(char32_t c);
/// ASCII punctuation or a Unicode punctuation category (the BERT/Punctuation pre-tokenizer rule).
bool IsPunctuation(char32_t c);

/// GPT-2's byte-to-printable-character table: byte b is rendered as ByteLevelChar(b).
const std::array<std::string, 256>& ByteLevelChars();
/// Inverse of ByteLevelChars(): the byte a character stands for, or -1.
int ByteLevelByte(char32_t c);

}  // namespace bench::hf
