#pragma once
// Whether a short key occurs in a response's reads taken as one text, without joining them.
// The post-run stage looks for a few JSON keys in every body ("reasoning, "timings") to skip the
// costly parse of the bodies that cannot hold them; a read ends wherever the socket read ended,
// so a key may straddle two reads (or more, when reads are shorter than the key), and searching
// each read alone missed it: the request then lost its reasoning rows. The body check of a live
// run notes the keys on its own walk (RequestRecord::reading), so the reads are searched only
// for records read back from a file.

#include <cstddef>
#include <string_view>

#include "record/record.h"
#include "record/response_outputs.h"

namespace bench {

/// True when `key` occurs in the response strings of `outputs` (ResponseString of each) read
/// back to back. `first` and `second` choose the key's bytes the search tests first, as in
/// ContainsSubstring (util/substring_search).
bool ReadsContain(const ResponseOutputs& outputs, std::string_view key, size_t first = 1, size_t second = 0);

/// The keys the post-run stage looks for in bodies, as bits of BodyReading::keys.
enum BodyKey : unsigned {
  kErrorKey = 1,      // `"error"`: an error object (the stream check)
  kReasoningKey = 2,  // `"reasoning`: reasoning_content / reasoning deltas (metrics/reasoning_metrics)
  kTimingsKey = 4,    // `"timings"`: llama.cpp's server timings (telemetry/request_timings)
};
inline constexpr unsigned kAllBodyKeys = kErrorKey | kReasoningKey | kTimingsKey;

/// The key's text.
std::string_view BodyKeyText(BodyKey key);

/// ReadsContain(record.response_outputs, BodyKeyText(key)), from the body check's walk when the
/// record has one.
bool ReadsContain(const RequestRecord& record, BodyKey key);

/// The bits of the `wanted` keys that occur in `text` starting at a position in [from, to) (a key
/// may run on past `to`). All three begin with a quote, so only quotes are looked at.
unsigned BodyKeysStartingIn(std::string_view text, size_t from, size_t to, unsigned wanted = kAllBodyKeys);

}  // namespace bench
