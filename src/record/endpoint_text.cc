#include "record/endpoint_text.h"

namespace bench {
namespace {

using OJson = nlohmann::ordered_json;

// A string field's text; a missing or null field is "", anything else an error.
bool StringField(const OJson& obj, const char* key, std::string& out) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    out.clear();
    return true;
  }
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

}  // namespace

TextExtraction HuggingFaceGenerateText(const OJson& data) {
  TextExtraction r;
  if (data.is_array()) {
    if (data.empty()) return r;
    if (!data[0].is_object()) {
      r.error = "Hugging Face generate response item is not an object";
    } else if (!StringField(data[0], "generated_text", r.text)) {
      r.error = "'generated_text' is not a string";
    }
    return r;
  }
  if (!data.is_object()) {
    r.error = "Hugging Face generate response is not a list or an object";
    return r;
  }
  const auto token = data.find("token");
  if (token == data.end()) {
    if (!StringField(data, "generated_text", r.text)) r.error = "'generated_text' is not a string";
    return r;
  }
  if (!token->is_object()) {
    r.error = "TGI stream event's 'token' is not an object";
    return r;
  }
  const auto special = token->find("special");
  if (special != token->end() && special->is_boolean() && special->get<bool>()) return r;
  if (!StringField(*token, "text", r.text)) r.error = "TGI stream event's 'token.text' is not a string";
  return r;
}

TextExtraction ResponsesText(const OJson& data) {
  TextExtraction r;
  if (!data.is_object()) {
    r.error = "Responses API body is not a JSON object";
    return r;
  }
  const auto type = data.find("type");
  if (type != data.end()) {  // a streamed event
    if (!type->is_string()) {
      r.error = "Responses API event's 'type' is not a string";
    } else if (type->get_ref<const std::string&>() == "response.output_text.delta" &&
               !StringField(data, "delta", r.text)) {
      r.error = "'delta' of response.output_text.delta is not a string";
    }
    return r;
  }
  const auto output = data.find("output");
  if (output == data.end() || !output->is_array()) {
    r.error = "Responses API response has no 'output' array";
    return r;
  }
  for (const OJson& item : *output) {
    if (!item.is_object() || item.value("type", "") != "message") continue;
    const auto content = item.find("content");
    if (content == item.end() || !content->is_array()) continue;
    for (const OJson& part : *content) {
      if (!part.is_object() || part.value("type", "") != "output_text") continue;
      std::string text;
      if (!StringField(part, "text", text)) {
        r.error = "'text' of an output_text part is not a string";
        return r;
      }
      r.text += text;
    }
  }
  return r;
}

bool SetHuggingFaceGenerateText(OJson& data, const std::string& text) {
  if (!data.is_object() || !data.contains("token") || !data["token"].is_object()) return false;
  data["token"]["text"] = text;
  return true;
}

bool SetResponsesText(OJson& data, const std::string& text) {
  if (!data.is_object() || data.value("type", "") != "response.output_text.delta") return false;
  data["delta"] = text;
  return true;
}

}  // namespace bench
