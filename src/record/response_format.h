#pragma once
// The response formats of a profile export: GenAI-Perf's names and --endpoint-type aliases,
// which metrics each gets, and which format an export holds (InferResponseFormat).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bench {

/// The response formats GenAI-Perf distinguishes (its ResponseFormat enum plus the C API).
/// A new endpoint type adds a value here and one row in the traits table in response_format.cc.
enum class ResponseFormat {
  kOpenAiChat,           // OPENAI_CHAT_COMPLETIONS
  kOpenAiCompletions,    // OPENAI_COMPLETIONS
  kOpenAiMultimodal,     // OPENAI_MULTIMODAL (chat with image_url / input_audio parts)
  kOpenAiEmbeddings,     // OPENAI_EMBEDDINGS (also NV-CLIP)
  kRankings,             // RANKINGS (NIM v1/ranking)
  kHuggingFaceRankings,  // HUGGINGFACE_RANKINGS (TEI rerank)
  kImageRetrieval,       // IMAGE_RETRIEVAL (NIM v1/infer)
  kHuggingFaceGenerate,  // HUGGINGFACE_GENERATE (TGI generate)
  kTritonGenerate,       // TRITON_GENERATE (Triton HTTP generate, service kind openai)
  kTriton,               // TRITON (KServe gRPC: {"text_output": ...} outputs)
  kTritonCApi,           // PA triton_c_api (TRT-LLM engine: output_ids)
  kDynamicGrpc,          // dynamic_grpc (latency/throughput only)
  kOpenAiResponses,      // bench addition: OpenAI Responses API (AIPerf's `responses`)
};

/// Which GenAI-Perf parser computes the metrics of a format.
enum class MetricFamily {
  kLlm,             // LLMProfileDataParser: TTFT, ITL, OSL, ...
  kBase,            // ProfileDataParser: request latency and throughput only
  kImageRetrieval,  // ImageRetrievalProfileDataParser: adds image latency/throughput
};

/// Upper-case GenAI-Perf name, e.g. "OPENAI_CHAT_COMPLETIONS"; "TRITON_C_API" and
/// "DYNAMIC_GRPC" for the two formats GenAI-Perf has no enum value for.
const char* ResponseFormatName(ResponseFormat format);
/// Accepts a ResponseFormatName or a GenAI-Perf --endpoint-type ("chat", "completions",
/// "embeddings", "nvclip", "rankings", "multimodal"/"vision", "image_retrieval",
/// "huggingface_generate", "generate", "kserve", "tensorrtllm_engine", "dynamic_grpc", and
/// bench's "responses").
std::optional<ResponseFormat> ResponseFormatFromName(std::string_view name);
/// The parser family of `format`.
MetricFamily FamilyOf(ResponseFormat format);
/// True when ISL/OSL need a tokenizer (LLM formats except the TRT-LLM C API).
bool NeedsTokenizer(ResponseFormat format);

/// False for the formats whose streams end without OpenAI's `data: [DONE]` (Triton's
/// generate_stream, TGI's generate_stream, the Responses API's `response.completed`).
bool StreamEndsWithDone(ResponseFormat format);

/// Outcome of InferResponseFormat: a format, or a one-line error.
struct FormatInference {
  std::optional<ResponseFormat> format;
  std::string error;
};

/// GenAI-Perf's ProfileDataParser._get_profile_metadata: the format from the export's
/// service_kind and endpoint; for chat and unknown endpoints it peeks at `first_request`
/// (the first request of the first experiment; may be null).
FormatInference InferResponseFormat(std::string_view service_kind, std::string_view endpoint,
                                    const nlohmann::json* first_request_inputs,
                                    const nlohmann::json* first_response_output);

/// The response string of one PA output ({"response": "..."} or a bare string); a view into
/// `output`, or "" for anything else.
std::string_view ResponseString(const nlohmann::json& output);

}  // namespace bench
