#pragma once
// Whether a short needle occurs in a long text, for the post-run searches of a JSON key over
// every response body (llama.cpp's "timings", a 2xx body's "error"). JSON is full of quotes, so
// a search anchored on a quoted key's first byte stops every few bytes; this compares two of the
// needle's inner bytes (its second and its second-to-last) 16 positions a step and checks the
// whole needle only where both fit.

#include <string_view>

namespace bench {

/// True when `needle` (at least 3 bytes) occurs in `text`.
bool ContainsSubstring(std::string_view text, std::string_view needle);

}  // namespace bench
