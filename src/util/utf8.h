#pragma once
// UTF-8 encoding, decoding and validation shared by the tokenizer, the profile-export reader and
// the console renderer. Validity follows the Unicode standard (no overlongs, surrogates or code
// points above U+10FFFF), which is what Python's and Rust's decoders accept.

#include <cstddef>
#include <string>
#include <string_view>

namespace bench {

/// Decodes the code point at `s[i]` (which must be valid UTF-8) and advances `i` past it.
char32_t NextCodePoint(std::string_view s, size_t& i);
/// Byte length of the UTF-8 sequence starting with `lead` (1 for continuation/invalid bytes).
size_t Utf8SequenceLength(unsigned char lead);
/// Appends `cp` encoded as UTF-8.
void AppendUtf8(std::string& out, char32_t cp);
/// Length (1 to 4) of the well-formed UTF-8 sequence at `s[i]` (Unicode table 3-7), or 0 when it
/// is ill-formed or cut short by the end of `s`; then `*maximal_subpart`, when given, is the
/// length (at least 1) of its maximal ill-formed subpart, which replacing decoders skip.
size_t Utf8WellFormedLength(std::string_view s, size_t i, size_t* maximal_subpart = nullptr);
/// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);
/// `s` with each maximal ill-formed subsequence replaced by U+FFFD (Rust from_utf8_lossy).
std::string Utf8Lossy(std::string_view s);
/// `s` with every ill-formed byte sequence removed (Python's errors="ignore").
std::string DropInvalidUtf8(std::string_view s);

}  // namespace bench
