#include "record/response_format.h"

#include <array>

namespace bench {
namespace {

struct FormatTraits {
  ResponseFormat format;
  const char* name;
  MetricFamily family;
  bool needs_tokenizer;
};

// One row per format: a new endpoint type slots in here.
constexpr std::array<FormatTraits, 13> kTraits = {{
    {ResponseFormat::kOpenAiChat, "OPENAI_CHAT_COMPLETIONS", MetricFamily::kLlm, true},
    {ResponseFormat::kOpenAiCompletions, "OPENAI_COMPLETIONS", MetricFamily::kLlm, true},
    {ResponseFormat::kOpenAiMultimodal, "OPENAI_MULTIMODAL", MetricFamily::kLlm, true},
    {ResponseFormat::kOpenAiEmbeddings, "OPENAI_EMBEDDINGS", MetricFamily::kBase, false},
    {ResponseFormat::kRankings, "RANKINGS", MetricFamily::kBase, false},
    {ResponseFormat::kHuggingFaceRankings, "HUGGINGFACE_RANKINGS", MetricFamily::kBase, false},
    {ResponseFormat::kImageRetrieval, "IMAGE_RETRIEVAL", MetricFamily::kImageRetrieval, false},
    {ResponseFormat::kHuggingFaceGenerate, "HUGGINGFACE_GENERATE", MetricFamily::kLlm, true},
    {ResponseFormat::kTritonGenerate, "TRITON_GENERATE", MetricFamily::kLlm, true},
    {ResponseFormat::kTriton, "TRITON", MetricFamily::kLlm, true},
    {ResponseFormat::kTritonCApi, "TRITON_C_API", MetricFamily::kLlm, false},
    {ResponseFormat::kDynamicGrpc, "DYNAMIC_GRPC", MetricFamily::kBase, false},
    {ResponseFormat::kOpenAiResponses, "OPENAI_RESPONSES", MetricFamily::kLlm, true},
}};

const FormatTraits& TraitsOf(ResponseFormat format) {
  for (const auto& t : kTraits) {
    if (t.format == format) return t;
  }
  return kTraits[0];
}

}  // namespace

// A view, not a copy: the output outlives every use, and there is one per read.
std::string_view ResponseString(const nlohmann::json& output) {
  if (output.is_object()) {
    const auto it = output.find("response");
    if (it != output.end() && it->is_string()) return it->get_ref<const std::string&>();
  } else if (output.is_string()) {
    return output.get_ref<const std::string&>();
  }
  return {};
}

const char* ResponseFormatName(ResponseFormat format) { return TraitsOf(format).name; }

std::optional<ResponseFormat> ResponseFormatFromName(std::string_view name) {
  for (const auto& t : kTraits) {
    if (name == t.name) return t.format;
  }
  struct Alias {
    std::string_view name;
    ResponseFormat format;
  };
  static constexpr std::array<Alias, 16> kAliases = {{
      {"chat", ResponseFormat::kOpenAiChat},
      {"completions", ResponseFormat::kOpenAiCompletions},
      {"embeddings", ResponseFormat::kOpenAiEmbeddings},
      {"nvclip", ResponseFormat::kOpenAiEmbeddings},
      {"rankings", ResponseFormat::kRankings},
      {"rankings_tei", ResponseFormat::kHuggingFaceRankings},
      {"multimodal", ResponseFormat::kOpenAiMultimodal},
      {"vision", ResponseFormat::kOpenAiMultimodal},
      {"image_retrieval", ResponseFormat::kImageRetrieval},
      {"huggingface_generate", ResponseFormat::kHuggingFaceGenerate},
      {"generate", ResponseFormat::kTritonGenerate},
      {"kserve", ResponseFormat::kTriton},
      {"template", ResponseFormat::kTriton},
      {"tensorrtllm_engine", ResponseFormat::kTritonCApi},
      {"dynamic_grpc", ResponseFormat::kDynamicGrpc},
      {"responses", ResponseFormat::kOpenAiResponses},
  }};
  for (const auto& a : kAliases) {
    if (name == a.name) return a.format;
  }
  return std::nullopt;
}

MetricFamily FamilyOf(ResponseFormat format) { return TraitsOf(format).family; }

bool NeedsTokenizer(ResponseFormat format) { return TraitsOf(format).needs_tokenizer; }

bool StreamEndsWithDone(ResponseFormat format) {
  return format != ResponseFormat::kTritonGenerate && format != ResponseFormat::kHuggingFaceGenerate &&
         format != ResponseFormat::kOpenAiResponses;
}

FormatInference InferResponseFormat(std::string_view service_kind, std::string_view endpoint,
                                    const nlohmann::json* first_request_inputs,
                                    const nlohmann::json* first_response_output) {
  FormatInference r;
  if (service_kind == "triton") {
    r.format = ResponseFormat::kTriton;
  } else if (service_kind == "triton_c_api") {
    r.format = ResponseFormat::kTritonCApi;
  } else if (service_kind == "dynamic_grpc") {
    r.format = ResponseFormat::kDynamicGrpc;
  } else if (service_kind == "openai") {
    while (endpoint.starts_with("/")) endpoint.remove_prefix(1);
    std::string payload;
    if (first_request_inputs != nullptr && first_request_inputs->is_object()) {
      const auto it = first_request_inputs->find("payload");
      if (it != first_request_inputs->end() && it->is_string()) payload = it->get<std::string>();
    }
    // GenAI-Perf peeks at the first request for lack of PA metadata (its TPA-66).
    const bool multimodal = payload.find("image_url") != std::string::npos ||
                            payload.find("input_audio") != std::string::npos;
    if (endpoint == "rerank") {
      r.format = ResponseFormat::kHuggingFaceRankings;
    } else if (endpoint == "v1/chat/completions") {
      r.format = multimodal ? ResponseFormat::kOpenAiMultimodal : ResponseFormat::kOpenAiChat;
    } else if (endpoint == "v1/completions") {
      r.format = ResponseFormat::kOpenAiCompletions;
    } else if (endpoint == "v1/embeddings") {
      r.format = ResponseFormat::kOpenAiEmbeddings;
    } else if (endpoint == "v1/ranking") {
      r.format = ResponseFormat::kRankings;
    } else if (endpoint == "v1/infer") {
      r.format = ResponseFormat::kImageRetrieval;
    } else if (endpoint == "v1/responses") {
      r.format = ResponseFormat::kOpenAiResponses;
    } else if (endpoint.find("huggingface/generate") != std::string_view::npos ||
               endpoint == "generate" || endpoint == "generate_stream") {
      // TGI's own paths, bench's defaults for huggingface_generate; Triton's are under v2/models/.
      r.format = ResponseFormat::kHuggingFaceGenerate;
    } else if (endpoint.find("generate") != std::string_view::npos) {
      r.format = ResponseFormat::kTritonGenerate;
    } else {
      const std::string_view response =
          first_response_output != nullptr ? ResponseString(*first_response_output) : "";
      if (response.find("chat.completion") != std::string::npos) {
        r.format = multimodal ? ResponseFormat::kOpenAiMultimodal : ResponseFormat::kOpenAiChat;
      } else if (response.find("text_completion") != std::string::npos) {
        r.format = ResponseFormat::kOpenAiCompletions;
      } else if (response.find("embedding") != std::string::npos) {
        r.format = ResponseFormat::kOpenAiEmbeddings;
      } else if (response.find("ranking") != std::string::npos) {
        r.format = ResponseFormat::kRankings;
      } else if (response.find("image_retrieval") != std::string::npos) {
        r.format = ResponseFormat::kImageRetrieval;
      } else if (response.find("\"object\":\"response\"") != std::string::npos ||
                 response.find("response.created") != std::string::npos) {
        r.format = ResponseFormat::kOpenAiResponses;  // bench addition
      } else if (response.find("generated_text") != std::string::npos) {
        // Bench addition: TGI's default path is the server root, which GenAI-Perf cannot place.
        r.format = ResponseFormat::kHuggingFaceGenerate;
      } else {
        r.error = "unknown OpenAI response format for endpoint '" + std::string(endpoint) +
                  "'; pass the endpoint type explicitly";
      }
    }
  } else {
    r.error = "unknown service kind '" + std::string(service_kind) + "'";
  }
  return r;
}

}  // namespace bench
