#pragma once
// The simulator's Triton dialect: what it takes from a KServe v2 ModelInferRequest shaped for
// the TensorRT-LLM backend (text_input, max_tokens, min_length, stream) or the vLLM backend
// (text_input, stream, sampling_parameters as a JSON string). No sockets here.

#include <string>

#include "kserve/kserve.pb.h"
#include "sim/openai.h"

namespace bench {

/// Reads `request` into the simulator's request (model, stream, token limits, input tokens by
/// ApproxPromptTokens, the seed from options.seed and the prompt); `error` names the input
/// that is missing or unreadable.
SimParseResult ParseKserveRequest(const inference::ModelInferRequest& request, const SimulatorOptions& options);

}  // namespace bench
