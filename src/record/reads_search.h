#pragma once
// Whether a short key occurs in a response's reads taken as one text, without joining them.
// The post-run stage looks for a few JSON keys in every body ("reasoning, "timings") to skip the
// costly parse of the bodies that cannot hold them; a read ends wherever the socket read ended,
// so a key may straddle two reads (or more, when reads are shorter than the key), and searching
// each read alone missed it: the request then lost its reasoning rows.

#include <cstddef>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

/// True when `key` occurs in the response strings of `outputs` (ResponseString of each) read
/// back to back. `first` and `second` choose the key's bytes the search tests first, as in
/// ContainsSubstring (util/substring_search).
bool ReadsContain(const std::vector<nlohmann::json>& outputs, std::string_view key, size_t first = 1,
                  size_t second = 0);

}  // namespace bench
