#include "util/json_shape.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bench {
namespace {

// Length of the common prefix of `a` and `b` (both at least `n` bytes), 8 bytes a step.
size_t SamePrefix(const char* a, const char* b, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes a step (x86-64's baseline): a chunk's ~150 bytes before its text in ~10 steps.
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
    const unsigned same = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)));
    if (same != 0xFFFFu) return i + static_cast<size_t>(std::countr_zero(~same & 0xFFFFu));
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      uint64_t x;
      uint64_t y;
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      // The lowest differing byte is the first one in memory.
      if (x != y) return i + static_cast<size_t>(std::countr_zero(x ^ y)) / 8;
    }
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Length of the common suffix of the bytes before `a_end` and `b_end`, at most `n`.
size_t SameSuffix(const char* a_end, const char* b_end, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a_end - i - 16));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b_end - i - 16));
    const unsigned same = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)));
    // Bit 15 is the last byte: count the equal bytes from the top.
    if (same != 0xFFFFu) return i + static_cast<size_t>(std::countl_zero(static_cast<uint16_t>(~same)));
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      uint64_t x;
      uint64_t y;
      std::memcpy(&x, a_end - i - 8, 8);
      std::memcpy(&y, b_end - i - 8, 8);
      // The highest differing byte is the last one in memory.
      if (x != y) return i + static_cast<size_t>(std::countl_zero(x ^ y)) / 8;
    }
  }
  while (i < n && a_end[-1 - static_cast<ptrdiff_t>(i)] == b_end[-1 - static_cast<ptrdiff_t>(i)]) ++i;
  return i;
}

}  // namespace

void JsonShape::RememberAllStrings(std::string_view text) {
  owned_.clear();
  text_ = text;
  spans_.clear();
  // Valid JSON: outside strings a quote opens one; inside, a backslash takes the next byte.
  for (size_t i = 0; i < text.size();) {
    const void* quote = std::memchr(text.data() + i, '"', text.size() - i);
    if (quote == nullptr) break;
    i = static_cast<size_t>(static_cast<const char*>(quote) - text.data()) + 1;
    const size_t begin = i;
    while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
    if (i >= text.size()) {  // not valid after all
      Forget();
      return;
    }
    spans_.push_back({begin, i});
    ++i;
  }
}

void JsonShape::RememberCopy(std::string_view text, Span span) {
  owned_.assign(text);
  text_ = owned_;
  spans_.assign(1, span);
}

void JsonShape::Forget() {
  owned_.clear();
  text_ = {};
  spans_.clear();
}

std::optional<JsonShape::Span> JsonShape::Match(std::string_view text) const {
  const std::optional<Change> change = MatchChange(text);
  if (!change) return std::nullopt;
  return change->span;
}

std::optional<JsonShape::Change> JsonShape::MatchChange(std::string_view text) const {
  if (spans_.empty()) return std::nullopt;
  const size_t n = text_.size();
  const size_t m = text.size();
  const size_t limit = std::min(n, m);
  const size_t prefix = SamePrefix(text_.data(), text.data(), limit);
  if (prefix == n && n == m) return Change{0, spans_.front(), true};
  const size_t suffix = SameSuffix(text_.data() + n, text.data() + m, limit - prefix);
  // The template's changed bytes are [prefix, n - suffix): they must lie inside one span, the
  // last one that begins at or before `prefix`.
  auto it = std::upper_bound(spans_.begin(), spans_.end(), prefix,
                             [](size_t at, const Span& s) { return at < s.begin; });
  if (it == spans_.begin()) return std::nullopt;
  --it;
  if (n - suffix > it->end) return std::nullopt;
  return Change{static_cast<size_t>(it - spans_.begin()), Span{it->begin, m - (n - it->end)}, false};
}

std::optional<size_t> JsonShape::SpanStartingAt(size_t begin) const {
  const auto it = std::lower_bound(spans_.begin(), spans_.end(), begin,
                                   [](const Span& s, size_t at) { return s.begin < at; });
  if (it == spans_.end() || it->begin != begin) return std::nullopt;
  return static_cast<size_t>(it - spans_.begin());
}

bool StaysOneString(std::string_view content) {
  for (size_t i = 0; i < content.size(); ++i) {
    const char c = content[i];
    if (c == '"') return false;
    if (c == '\\' && ++i == content.size()) return false;
  }
  return true;
}

}  // namespace bench
