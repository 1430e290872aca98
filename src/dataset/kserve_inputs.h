#pragma once
// GenAI-Perf's request bodies for Triton's KServe gRPC endpoint (--endpoint-type kserve,
// reference §3.3): no "payload" wrapper, each key an input tensor holding a list, shaped for the
// TensorRT-LLM or the vLLM backend.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// GenAI-Perf's max_tokens for TensorRT-LLM when no --output-tokens-mean is given.
constexpr int kTensorRtLlmDefaultMaxTokens = 256;

/// Completes `body` (which holds "model") for `backend` ("tensorrtllm" or "vllm"):
/// TensorRT-LLM {"text_input": [prompt], "max_tokens": [N or 256], "exclude_input_in_output":
/// [true], ["stream": [true]]}; vLLM {"text_input": [prompt], "exclude_input_in_output": [true],
/// ["stream": [true]], ["sampling_parameters": ["{\"max_tokens\": \"N\"}"]]}; then each of
/// `extra_inputs` as a one-element list, overriding.
nlohmann::ordered_json MakeKserveBody(nlohmann::ordered_json body, const std::string& backend, std::string prompt,
                                      std::optional<int> max_tokens, bool streaming,
                                      const nlohmann::ordered_json& extra_inputs);

}  // namespace bench
