#pragma once
// A KServe v2 inference request from a request body. bench's kserve bodies are what
// GenAI-Perf writes into inputs.json for Triton (reference §3.3): a JSON object whose "model"
// names the model and whose every other key is one input tensor, its list the elements
// ({"model": "m", "text_input": ["..."], "max_tokens": [256], "stream": [true]}).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kserve/kserve.pb.h"

namespace bench {

/// The Triton backend the tensors are shaped for: the TensorRT-LLM ensemble batches (shape
/// [1, n]); the vLLM model does not (shape [n]).
enum class KserveBackend { kTensorRtLlm, kVllm };

/// "tensorrtllm" / "vllm" -> the backend; nullopt for any other name.
std::optional<KserveBackend> KserveBackendFromName(std::string_view name);
const char* KserveBackendName(KserveBackend backend);

/// Fills `out` from `body` (tensors as raw_input_contents, the request id as `id`; streaming
/// asks for Triton's empty final response, as perf_analyzer does, so the end of every stream is
/// seen). Element types: strings are BYTES, booleans BOOL, integers INT32 (UINT64 for
/// `random_seed`), other numbers FP32; a tensor mixing types is an error. Returns "" or a
/// one-line reason naming the tensor.
std::string BuildInferRequest(std::string_view body, KserveBackend backend, bool streaming, std::string_view id,
                              inference::ModelInferRequest& out);

/// The elements of input tensor `name` of `request` as strings (BYTES elements as they are,
/// numbers and booleans in decimal/true/false); nullopt when there is no such input or its
/// contents cannot be read.
std::optional<std::vector<std::string>> InputElements(const inference::ModelInferRequest& request,
                                                      std::string_view name);

/// Appends BYTES elements in the raw layout: each a 4-byte little-endian length, then its bytes.
void AppendRawBytesElement(std::string& raw, std::string_view element);
/// Splits a raw BYTES tensor into its elements; nullopt when the lengths do not add up.
std::optional<std::vector<std::string>> SplitRawBytes(std::string_view raw);

}  // namespace bench
