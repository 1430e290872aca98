#include "util/substring_search.h"

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bench {

bool ContainsSubstring(std::string_view text, std::string_view needle, size_t first, size_t second) {
  const size_t k = needle.size();
  if (second == 0) second = k >= 2 ? k - 2 : 0;
  if (k < 3 || first >= second || second >= k) return text.find(needle) != std::string_view::npos;
  if (text.size() < k) return false;
  size_t i = 0;  // candidate start positions [0, text.size() - k] are left from here
#if defined(__SSE2__)
  const __m128i one = _mm_set1_epi8(needle[first]);
  const __m128i two = _mm_set1_epi8(needle[second]);
  // A block covers starts i..i+15: it reads up to text[i + second + 15], inside the text.
  for (; i + 16 + k - 1 <= text.size(); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i + first));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i + second));
    auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, one), _mm_cmpeq_epi8(b, two))));
    while (hits != 0) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(hits));
      if (std::memcmp(text.data() + at, needle.data(), k) == 0) return true;
      hits &= hits - 1;
    }
  }
#endif
  // The rest (or a short text, such as the few bytes around one changed string): the same two
  // bytes tested first, one position a step.
  for (; i + k <= text.size(); ++i) {
    if (text[i + first] == needle[first] && text[i + second] == needle[second] &&
        std::memcmp(text.data() + i, needle.data(), k) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace bench
