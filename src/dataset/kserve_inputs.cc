#include "dataset/kserve_inputs.h"

#include <fmt/format.h>

namespace bench {

nlohmann::ordered_json MakeKserveBody(nlohmann::ordered_json body, const std::string& backend, std::string prompt,
                                      std::optional<int> max_tokens, bool streaming,
                                      const nlohmann::ordered_json& extra_inputs) {
  using Json = nlohmann::ordered_json;
  body["text_input"] = Json::array({std::move(prompt)});
  if (backend == "vllm") {
    body["exclude_input_in_output"] = Json::array({true});
    if (streaming) body["stream"] = Json::array({true});
    // A JSON string with string values, as GenAI-Perf's json.dumps writes it.
    if (max_tokens) body["sampling_parameters"] = Json::array({fmt::format("{{\"max_tokens\": \"{}\"}}", *max_tokens)});
  } else {
    body["max_tokens"] = Json::array({max_tokens.value_or(kTensorRtLlmDefaultMaxTokens)});
    body["exclude_input_in_output"] = Json::array({true});
    if (streaming) body["stream"] = Json::array({true});
  }
  for (const auto& [key, value] : extra_inputs.items()) body[key] = Json::array({value});
  return body;
}

}  // namespace bench
