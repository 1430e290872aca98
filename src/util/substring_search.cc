#include "util/substring_search.h"

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bench {

bool ContainsSubstring(std::string_view text, std::string_view needle) {
  const size_t k = needle.size();
  if (k < 3) return text.find(needle) != std::string_view::npos;
  if (text.size() < k) return false;
  size_t i = 0;  // candidate start positions [0, text.size() - k] are left from here
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(needle[1]);
  const __m128i last = _mm_set1_epi8(needle[k - 2]);
  // A block covers starts i..i+15: it reads text[i + 1 .. i + k - 2 + 15], inside the text.
  for (; i + 16 + k - 1 <= text.size(); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i + 1));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i + k - 2));
    auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
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
    if (text[i + 1] == needle[1] && text[i + k - 2] == needle[k - 2] &&
        std::memcmp(text.data() + i, needle.data(), k) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace bench
