#pragma once
// The simulator as OpenAI's Responses API (`POST /v1/responses`): request parsing, the streamed
// `response.*` events (named by an `event:` line and by their `type`, numbered by
// `sequence_number`) and the response object.

#include <cstdint>
#include <memory>
#include <string_view>

#include "sim/api_stream.h"
#include "sim/openai.h"

namespace bench {

struct SimulatorOptions;

/// A Responses body: `input` (a string, or messages whose content is a string or parts with
/// `text`) is required; `max_output_tokens` is the output length; `stream`, `model`.
SimParseResult ParseResponsesRequest(std::string_view body, const SimulatorOptions& options);

/// Stream: response.created, response.in_progress, response.output_item.added and
/// response.content_part.added with the head; one response.output_text.delta per chunk; then
/// response.output_text.done, response.content_part.done, response.output_item.done and
/// response.completed (status "completed") or, when max_output_tokens cut the answer,
/// response.incomplete (status "incomplete", incomplete_details.reason "max_output_tokens"), as
/// OpenAI does; the last event's response carries `usage`. No `data: [DONE]`.
std::unique_ptr<SimApiStream> MakeResponsesStream(const SimRequest& request, std::string_view id, int64_t created);

}  // namespace bench
