#pragma once
// The simulator's encoder endpoints, whose answer is one JSON body after the prefill time (no
// tokens are generated): OpenAI's /v1/embeddings, NIM's /v1/ranking and TEI's /rerank. The
// shapes are the real APIs': embeddings `{"object":"list","data":[{"object":"embedding",
// "embedding":[...],"index":i}],"model","usage"}`, NIM `{"rankings":[{"index","logit"}]}`
// sorted by logit, TEI `[{"index","score"}]` sorted by score. Pure: no sockets here.

#include <cstdint>
#include <string_view>

#include "sim/openai.h"

namespace bench {

struct SimulatorOptions;

/// The endpoint an encoder path names ("/v1/embeddings", "/v1/ranking", "/rerank"), if any.
std::optional<SimEndpoint> SimEncoderEndpointOf(std::string_view path);

/// True for the endpoints answered by one JSON body after the prefill (SimEncoderEndpointOf's).
bool IsSimEncoder(SimEndpoint endpoint);

/// Parses an encoder request and writes its whole answer into `encoder_answer` (a vector drawn
/// from each text, a score from each query-passage pair, and the simulator seed, so a text or
/// pair gets the same answer in any request). `input_tokens` is
/// the sum over every text (ApproxPromptTokens), which the prefill time and usage use. A body
/// the real API would refuse is a one-line 400 reason.
SimParseResult ParseSimEncoderRequest(SimEndpoint endpoint, std::string_view body, const SimulatorOptions& options);

}  // namespace bench
