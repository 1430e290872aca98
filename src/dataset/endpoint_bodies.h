#pragma once
// The request bodies of the endpoint types that are not OpenAI chat or completions: Triton's
// generate extension and TGI's generate as GenAI-Perf's converters write them (reference §3.3),
// and the OpenAI Responses API as AIPerf sends it. dataset/inputs' body builder asks here first.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// What one body is made of.
struct BodyParts {
  std::string model;
  std::string prompt;
  bool streaming = false;
  std::optional<int> max_tokens;  // sampled or from a trace; unset = the server's default
};

/// True for the endpoint types EndpointBody builds.
bool HasEndpointBody(const std::string& endpoint_type);

/// The body for `endpoint_type`, or nullopt for chat and completions (dataset/inputs' own):
///   generate:              {"text_input": [prompt], ["stream": true], ["max_tokens": N]}
///                          (no model: Triton takes it from the path)
///   huggingface_generate:  {"model": m, "inputs": prompt, ["parameters": {"max_new_tokens": N}]}
///                          (no stream field: the path, generate_stream, asks for a stream)
///   responses:             {"model": m, "input": [{"role": "user", "content": prompt}],
///                          ["stream": true], ["max_output_tokens": N]}
std::optional<nlohmann::ordered_json> EndpointBody(const std::string& endpoint_type, BodyParts parts);

/// Adds one extra input (`--extra-inputs` or a trace's own key) to a body of `endpoint_type`,
/// replacing a key of the same name. TGI's converter puts a key that `parameters` already holds
/// there (e.g. max_new_tokens), any other at the top level.
void AddExtraInput(const std::string& endpoint_type, nlohmann::ordered_json& body, const std::string& key,
                   const nlohmann::ordered_json& value);

/// The default URL path of an endpoint type ("" for an unknown one): GenAI-Perf's for chat,
/// completions and generate (`v2/models/{model}/generate`); `generate_stream` (Triton's and
/// TGI's streaming paths) when `streaming`; TGI's `generate` (GenAI-Perf posts to the server
/// root, which answers a stream only for a "stream": true body); `v1/responses`.
std::string DefaultEndpointPath(const std::string& endpoint_type, const std::string& model, bool streaming);

}  // namespace bench
