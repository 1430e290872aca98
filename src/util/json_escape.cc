#include "util/json_escape.h"

#include <array>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace bench {

namespace {

// What follows the backslash for the escapes of two bytes; 0 for bytes written as they are,
// and for the other control characters (\u00XX).
constexpr std::array<char, 256> kShortEscape = [] {
  std::array<char, 256> t{};
  t['"'] = '"';
  t['\\'] = '\\';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  return t;
}();

#if defined(__x86_64__)
// For each mask of the bytes of an 8-byte block that need a two-byte escape, the shuffle that
// spreads the block out: a backslash (source byte 8) before each such byte.
struct EscapeShuffle {
  std::array<std::array<uint8_t, 16>, 256> control{};
  std::array<uint8_t, 256> length{};  // 8 + escapes (no popcnt instruction before SSE4.2)
};
constexpr EscapeShuffle kEscapeShuffle = [] {
  EscapeShuffle t;
  for (int mask = 0; mask < 256; ++mask) {
    size_t o = 0;
    for (uint8_t j = 0; j < 8; ++j) {
      if (mask & (1 << j)) t.control[mask][o++] = 8;
      t.control[mask][o++] = j;
    }
    t.length[mask] = static_cast<uint8_t>(o);
    while (o < 16) t.control[mask][o++] = 0x80;  // zero
  }
  return t;
}();

// WriteString's usual case 8 bytes at a time, without a branch per escape (an SSE chunk has
// one every ~6 bytes, and mispredicted branches were most of the cost): the escape letters
// are put in place, one shuffle spreads the block out with its backslashes, and one 16-byte
// store writes it (the caller leaves 16 bytes of room past the worst case). Returns how many
// bytes of `in` were written; it stops before a block holding a control character without a
// two-byte escape, and before the last 1-7 bytes.
__attribute__((target("ssse3"))) size_t EscapeBlocksSsse3(const unsigned char* in, size_t n, char*& d) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  const __m128i below_16 = _mm_set1_epi8(0x0F);
  // Letters of the control characters with a two-byte escape, by low nibble (\b \t \n \f \r).
  const __m128i letters = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 'b', 't', 'n', 0, 'f', 'r', 0, 0);
  const __m128i backslash_at_8 = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0, 0, 0, 0, 0);
  const __m128i zero = _mm_setzero_si128();
  const auto mask_of = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
  size_t i = 0;
  // 16 bytes a step: the tests are made once for both halves (half the instructions per byte of
  // the 8-byte loop below, which takes the rest and any block with a \u00XX control).
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);
    const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(v, below_16), below_16);
    const __m128i letter = _mm_shuffle_epi8(letters, v);
    const __m128i short_control = _mm_andnot_si128(_mm_cmpeq_epi8(letter, zero), low);
    if (mask_of(_mm_andnot_si128(short_control, control)) != 0) break;
    const __m128i source = _mm_or_si128(_mm_andnot_si128(short_control, v), _mm_and_si128(short_control, letter));
    const unsigned mask =
        mask_of(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), control));
    // Each half in bytes 0-7 with the backslash in byte 8, as the 8-byte loop has it.
    const __m128i low_half = _mm_or_si128(_mm_move_epi64(source), backslash_at_8);
    const __m128i high_half = _mm_or_si128(_mm_move_epi64(_mm_srli_si128(source, 8)), backslash_at_8);
    const unsigned low_mask = mask & 0xFFu;
    const unsigned high_mask = mask >> 8;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d),
                     _mm_shuffle_epi8(low_half, _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                                    kEscapeShuffle.control[low_mask].data()))));
    d += kEscapeShuffle.length[low_mask];
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d),
                     _mm_shuffle_epi8(high_half, _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                                     kEscapeShuffle.control[high_mask].data()))));
    d += kEscapeShuffle.length[high_mask];
  }
  for (; i + 8 <= n; i += 8) {
    const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + i));  // high half 0
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);
    const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(v, below_16), below_16);  // v <= 0x0F
    const __m128i letter = _mm_shuffle_epi8(letters, v);  // letters[v & 15] for v < 0x80
    const __m128i short_control = _mm_andnot_si128(_mm_cmpeq_epi8(letter, zero), low);
    if ((mask_of(_mm_andnot_si128(short_control, control)) & 0xFFu) != 0) break;  // \u00XX
    const __m128i source = _mm_or_si128(
        _mm_or_si128(_mm_andnot_si128(short_control, v), _mm_and_si128(short_control, letter)), backslash_at_8);
    const unsigned mask =
        mask_of(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), control)) & 0xFFu;
    const __m128i spread = _mm_shuffle_epi8(
        source, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kEscapeShuffle.control[mask].data())));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), spread);
    d += kEscapeShuffle.length[mask];
  }
  return i;
}

// 64 bytes a step where the CPU can compress bytes (AVX-512 VBMI2): the tests are made once
// for the 64, then each half's bytes are paired with a backslash in front of each, and one
// compress keeps the backslashes of the bytes that need one and drops the rest: no table, one
// store per 32 bytes (2.3 times SSSE3's speed on whole SSE bodies, docs/benchmarks.md). A
// separate function so the compiler clears the upper halves (vzeroupper) before the SSE code
// that takes the rest: without that every SSE instruction after it pays for them (the AVX2
// attempt's lesson). Returns how many bytes of `in` were written; it stops before a block
// holding a control character without a two-byte escape, and before the last 1-63 bytes. The
// compress stays in registers: written straight to memory it is microcoded on AMD's Zen 4.
// (GCC 12's cast and plain extract of a 512-bit register warn of an uninitialized variable in
// their headers; the masked extract does not.)
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2,bmi2,popcnt"), noinline)) size_t EscapeBlocksAvx512(
    const unsigned char* in, size_t n, char*& d) {
  const __m512i quote = _mm512_set1_epi8('"');
  const __m512i backslash = _mm512_set1_epi8('\\');
  const __m512i last_control = _mm512_set1_epi8(0x1F);
  const __m512i below_16 = _mm512_set1_epi8(0x0F);
  const __m512i letters =
      _mm512_maskz_broadcast_i32x4(0xFFFF, _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 'b', 't', 'n', 0, 'f', 'r', 0, 0));
  const __m512i backslash_first = _mm512_set1_epi16('\\');  // the low byte of each pair
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512i v = _mm512_loadu_si512(in + i);
    const __mmask64 control = _mm512_cmple_epu8_mask(v, last_control);
    const __m512i letter = _mm512_shuffle_epi8(letters, v);  // letters[v & 15] for v < 0x80
    const __mmask64 short_control = _mm512_cmple_epu8_mask(v, below_16) & _mm512_test_epi8_mask(letter, letter);
    if ((control & ~short_control) != 0) break;  // \u00XX
    const __m512i source = _mm512_mask_blend_epi8(short_control, v, letter);
    const uint64_t needs = _mm512_cmpeq_epi8_mask(v, quote) | _mm512_cmpeq_epi8_mask(v, backslash) | control;
    // Byte 2k is the backslash of source byte k, byte 2k + 1 the byte itself (always kept).
    const __m512i low_bytes = _mm512_cvtepu8_epi16(_mm512_maskz_extracti64x4_epi64(0xF, source, 0));
    const __m512i high_bytes = _mm512_cvtepu8_epi16(_mm512_maskz_extracti64x4_epi64(0xF, source, 1));
    const __m512i low = _mm512_or_si512(_mm512_slli_epi16(low_bytes, 8), backslash_first);
    const __m512i high = _mm512_or_si512(_mm512_slli_epi16(high_bytes, 8), backslash_first);
    const uint64_t keep_low = _pdep_u64(needs, 0x5555555555555555ULL) | 0xAAAAAAAAAAAAAAAAULL;
    const uint64_t keep_high = _pdep_u64(needs >> 32, 0x5555555555555555ULL) | 0xAAAAAAAAAAAAAAAAULL;
    _mm512_storeu_si512(d, _mm512_maskz_compress_epi8(keep_low, low));
    d += 32 + __builtin_popcount(static_cast<uint32_t>(needs));
    _mm512_storeu_si512(d, _mm512_maskz_compress_epi8(keep_high, high));
    d += 32 + __builtin_popcount(static_cast<uint32_t>(needs >> 32));
  }
  return i;
}
#endif

}  // namespace

namespace detail {

// Escapes like rapidjson's Writer: quote, backslash and control characters; every other byte,
// including invalid UTF-8 from a read that split a character, is passed through unchanged.
// An SSE chunk holds an escaped quote every few bytes, so a branch or an append per escape cost
// more than the copying: the usual strings (two-byte escapes at most) are written through a
// pointer without a branch per byte, and only a rarer control character takes the slow loop.
// They are escaped straight into `out`'s room: a scratch buffer appended afterwards copied the
// export's 400 MB once more.
void AppendEscaped(ByteBuffer& out, std::string_view s, JsonEscapeSimd simd) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto* in = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  // The bound when every byte takes a two-byte escape, and room for a 16-byte store past it.
  char* d = out.Room(2 * n + 2 + 16);
  *d++ = '"';
  size_t i = 0;
#if defined(__x86_64__)
  if (simd == JsonEscapeSimd::kAvx512) i = EscapeBlocksAvx512(in, n, d);
  // The AVX-512 step leaves the last 1-63 bytes, or stops before a \u00XX block.
  if (simd >= JsonEscapeSimd::kSsse3) i += EscapeBlocksSsse3(in + i, n - i, d);
#else
  (void)simd;
#endif
  for (; i < n; ++i) {
    const unsigned char c = in[i];
    const char e = kShortEscape[c];
    if (e == 0 && c < 0x20) break;  // \u00XX: finished below
    // A backslash, overwritten by the byte itself when it needs no escape.
    const size_t escaped = e != 0;
    d[0] = '\\';
    d[escaped] = escaped ? e : static_cast<char>(c);
    d += 1 + escaped;
  }
  if (i < n) {  // a control character written \u00XX: six bytes at most for each one left
    out.CommitTo(d);
    d = out.Room(6 * (n - i) + 1);
  }
  for (; i < n; ++i) {
    const unsigned char c = in[i];
    if (const char e = kShortEscape[c]; e != 0) {
      *d++ = '\\';
      *d++ = e;
    } else if (c < 0x20) {
      *d++ = '\\';
      *d++ = 'u';
      *d++ = '0';
      *d++ = '0';
      *d++ = kHex[c >> 4];
      *d++ = kHex[c & 0xF];
    } else {
      *d++ = static_cast<char>(c);
    }
  }
  *d++ = '"';
  out.CommitTo(d);
}

}  // namespace detail

JsonEscapeSimd BestJsonEscapeSimd() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt")) {
    return JsonEscapeSimd::kAvx512;
  }
  if (__builtin_cpu_supports("ssse3")) return JsonEscapeSimd::kSsse3;
#endif
  return JsonEscapeSimd::kNone;
}

void AppendJsonString(ByteBuffer& out, std::string_view s) {
  static const JsonEscapeSimd simd = BestJsonEscapeSimd();
  detail::AppendEscaped(out, s, simd);
}

}  // namespace bench
