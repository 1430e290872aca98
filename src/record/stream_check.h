#pragma once
// The post-completion check of a 2xx response body: is it the SSE stream (or JSON body) an
// OpenAI-compatible server should send? Runs once per request after the run, never in the
// write callback. docs/metrics.md "Failures" states the rules. An event that differs from the
// last valid one only inside one string has only that string validated (util/json_shape).

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

}  // namespace bench
