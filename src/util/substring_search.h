#pragma once
// Whether a short needle occurs in a long text, for the post-run searches of a JSON key over
// every response body (llama.cpp's "timings", a 2xx body's "error"). JSON is full of quotes, so
// a search anchored on a quoted key's first byte stops every few bytes; this compares two of the
// needle's bytes 16 positions a step and checks the whole needle only where both fit.

#include <cstddef>
#include <string_view>

namespace bench {

/// True when `needle` occurs in `text`. Positions are first tested on `needle[first]` and
/// `needle[second]` (second > first; by default its second and second-to-last bytes): two bytes
/// seldom seen that far apart in the text make the search fastest.
bool ContainsSubstring(std::string_view text, std::string_view needle, size_t first = 1, size_t second = 0);

}  // namespace bench
