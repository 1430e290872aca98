#pragma once
// The post-completion check of a 2xx response body: is it the SSE stream (or JSON body) an
// OpenAI-compatible server should send? Runs once per request after the run, never in the
// write callback. docs/metrics.md "Failures" states the rules. An event that differs from the
// last valid one only inside one string has only that string validated (util/json_shape).

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "record/record.h"

namespace bench {

/// Outcome of CheckResponseBody.
struct BodyCheck {
  RequestError error;         // kind kNone when the body is acceptable
  bool missing_done = false;  // a valid stream that ended without `data: [DONE]` (warning only)
};

/// Classifies the complete body of a 2xx response. `streaming`: the request asked for an SSE
/// stream of OpenAI JSON chunks; otherwise one JSON body is expected. Comments, `event:`/`id:`/
/// `retry:` lines, lines that are no field and usage-only (`choices: []`) chunks are accepted
/// as GenAI-Perf accepts them.
BodyCheck CheckResponseBody(std::string_view body, bool streaming);

/// CheckResponseBody(body, true), and what its one walk over the stream learnt on the way, for
/// the metrics stage: `reading` is set when the stream passed and every byte of it was found
/// valid UTF-8 (the caller need not check it again); it holds the BodyKey bits of the keys in
/// the body and, when `read_ends` (each read's end in `body`) cut the body between events and
/// every event gave an OpenAI text, each read's text as PreprocessResponses would keep it.
BodyCheck CheckStream(std::string_view body, std::span<const uint32_t> read_ends,
                      std::optional<BodyReading>& reading);

}  // namespace bench
