#include "dataset/endpoint_bodies.h"

namespace bench {

using ojson = nlohmann::ordered_json;

bool HasEndpointBody(const std::string& endpoint_type) {
  return endpoint_type == "generate" || endpoint_type == "huggingface_generate" || endpoint_type == "responses";
}

std::optional<ojson> EndpointBody(const std::string& endpoint_type, BodyParts parts) {
  ojson body = ojson::object();
  if (endpoint_type == "generate") {
    body["text_input"] = ojson::array({std::move(parts.prompt)});
    if (parts.streaming) body["stream"] = true;
    if (parts.max_tokens) body["max_tokens"] = *parts.max_tokens;
    return body;
  }
  if (endpoint_type == "huggingface_generate") {
    body["model"] = std::move(parts.model);
    body["inputs"] = std::move(parts.prompt);
    if (parts.max_tokens) body["parameters"] = ojson{{"max_new_tokens", *parts.max_tokens}};
    return body;
  }
  if (endpoint_type == "responses") {
    body["model"] = std::move(parts.model);
    body["input"] = ojson::array({ojson{{"role", "user"}, {"content", std::move(parts.prompt)}}});
    if (parts.streaming) body["stream"] = true;
    if (parts.max_tokens) body["max_output_tokens"] = *parts.max_tokens;
    return body;
  }
  return std::nullopt;
}

void AddExtraInput(const std::string& endpoint_type, ojson& body, const std::string& key, const ojson& value) {
  if (endpoint_type == "huggingface_generate") {
    const auto parameters = body.find("parameters");
    if (parameters != body.end() && parameters->is_object() && parameters->contains(key)) {
      (*parameters)[key] = value;
      return;
    }
  }
  body[key] = value;
}

std::string DefaultEndpointPath(const std::string& endpoint_type, const std::string& model, bool streaming) {
  if (endpoint_type == "chat") return "v1/chat/completions";
  if (endpoint_type == "completions") return "v1/completions";
  if (endpoint_type == "generate") return "v2/models/" + model + (streaming ? "/generate_stream" : "/generate");
  if (endpoint_type == "huggingface_generate") return streaming ? "generate_stream" : "generate";
  if (endpoint_type == "responses") return "v1/responses";
  return "";
}

}  // namespace bench
