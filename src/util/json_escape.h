#pragma once
// JSON strings written as rapidjson's Writer writes them (perf_analyzer's profile export): quote,
// backslash and control characters escaped, every other byte, even invalid UTF-8, as it is.

#include <string_view>

#include "util/byte_buffer.h"

namespace bench {

/// Appends `s` to `out` as a quoted JSON string: \" \\ \b \f \n \r \t, other control
/// characters as \u00XX (upper-case hex), every other byte unchanged.
void AppendJsonString(ByteBuffer& out, std::string_view s);

/// The vector instructions the escaping uses; the best the CPU has, chosen once. Each includes
/// the ones before it. (An AVX2 step of 32 bytes measured no faster than SSSE3: its 8-byte
/// spreads, not the tests, set the pace. AVX-512 VBMI2 spreads 32 bytes in one compress.)
enum class JsonEscapeSimd { kNone, kSsse3, kAvx512 };
JsonEscapeSimd BestJsonEscapeSimd();

namespace detail {
/// AppendJsonString with the given instructions (the CPU must have them): each path is tested
/// against the others whatever the machine picks.
void AppendEscaped(ByteBuffer& out, std::string_view s, JsonEscapeSimd simd);
}  // namespace detail

}  // namespace bench
