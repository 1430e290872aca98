#pragma once
// UTF-8 and character-class helpers with the semantics of Rust's `char`/`str`, which the
// Hugging Face tokenizers library is written against (is_whitespace, is_alphanumeric,
// String::from_utf8_lossy). Character properties come from ICU.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace bench::hf {

/// Decodes the code point at `s[i]` (which must be valid UTF-8) and advances `i` past it.
char32_t NextCodePoint(std::string_view s, size_t& i);
/// Byte length of the UTF-8 sequence starting with `lead` (1 for continuation/invalid bytes).
size_t Utf8SequenceLength(unsigned char lead);
/// Appends `cp` encoded as UTF-8.
void AppendUtf8(std::string& out, char32_t cp);
/// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);
/// `s` with each maximal ill-formed subsequence replaced by U+FFFD (Rust from_utf8_lossy).
std::string Utf8Lossy(std::string_view s);

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
