#include "kserve/infer_request.h"

#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace bench {
namespace {

using Json = nlohmann::ordered_json;  // tensors in the order of the body

template <typename T>
void AppendLittleEndian(std::string& raw, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // x86-64 and aarch64 are little-endian, as the protocol is
  raw.append(bytes, sizeof(T));
}

template <typename T>
T ReadLittleEndian(std::string_view raw, size_t at) {
  T value;
  std::memcpy(&value, raw.data() + at, sizeof(T));
  return value;
}

// The datatype of a tensor whose elements are `elements`; "" when they mix types.
std::string DatatypeOf(std::string_view name, const Json& elements) {
  std::string type;
  for (const Json& e : elements) {
    const char* t = e.is_string()                ? "BYTES"
                    : e.is_boolean()             ? "BOOL"
                    : e.is_number_integer()      ? (name == "random_seed" ? "UINT64" : "INT32")
                    : e.is_number_float()        ? "FP32"
                                                 : "";
    if (*t == '\0' || (!type.empty() && type != t)) return "";
    type = t;
  }
  return type.empty() ? "BYTES" : type;
}

void AppendElements(const std::string& type, const Json& elements, std::string& raw) {
  for (const Json& e : elements) {
    if (type == "BYTES") {
      AppendRawBytesElement(raw, e.get_ref<const std::string&>());
    } else if (type == "BOOL") {
      raw.push_back(e.get<bool>() ? 1 : 0);
    } else if (type == "UINT64") {
      AppendLittleEndian<uint64_t>(raw, e.get<uint64_t>());
    } else if (type == "INT32") {
      AppendLittleEndian<int32_t>(raw, e.get<int32_t>());
    } else {
      AppendLittleEndian<float>(raw, e.get<float>());
    }
  }
}

// The elements of one raw tensor as text, by datatype.
std::optional<std::vector<std::string>> RawElements(const std::string& type, std::string_view raw) {
  if (type == "BYTES") return SplitRawBytes(raw);
  std::vector<std::string> out;
  const size_t width = type == "BOOL" ? 1 : type == "INT32" || type == "FP32" ? 4 : type == "UINT64" || type == "INT64" ? 8 : 0;
  if (width == 0 || raw.size() % width != 0) return std::nullopt;
  for (size_t at = 0; at < raw.size(); at += width) {
    if (type == "BOOL") out.push_back(raw[at] != 0 ? "true" : "false");
    if (type == "INT32") out.push_back(std::to_string(ReadLittleEndian<int32_t>(raw, at)));
    if (type == "INT64") out.push_back(std::to_string(ReadLittleEndian<int64_t>(raw, at)));
    if (type == "UINT64") out.push_back(std::to_string(ReadLittleEndian<uint64_t>(raw, at)));
    if (type == "FP32") out.push_back(fmt::format("{}", ReadLittleEndian<float>(raw, at)));
  }
  return out;
}

// The elements of a tensor sent as typed contents.
std::vector<std::string> TypedElements(const inference::InferTensorContents& c) {
  std::vector<std::string> out;
  for (const std::string& b : c.bytes_contents()) out.push_back(b);
  for (const bool b : c.bool_contents()) out.push_back(b ? "true" : "false");
  for (const int32_t v : c.int_contents()) out.push_back(std::to_string(v));
  for (const int64_t v : c.int64_contents()) out.push_back(std::to_string(v));
  for (const uint32_t v : c.uint_contents()) out.push_back(std::to_string(v));
  for (const uint64_t v : c.uint64_contents()) out.push_back(std::to_string(v));
  for (const float v : c.fp32_contents()) out.push_back(fmt::format("{}", v));
  for (const double v : c.fp64_contents()) out.push_back(fmt::format("{}", v));
  return out;
}

}  // namespace

std::optional<KserveBackend> KserveBackendFromName(std::string_view name) {
  if (name == "tensorrtllm") return KserveBackend::kTensorRtLlm;
  if (name == "vllm") return KserveBackend::kVllm;
  return std::nullopt;
}

const char* KserveBackendName(KserveBackend backend) {
  return backend == KserveBackend::kVllm ? "vllm" : "tensorrtllm";
}

void AppendRawBytesElement(std::string& raw, std::string_view element) {
  AppendLittleEndian<uint32_t>(raw, static_cast<uint32_t>(element.size()));
  raw.append(element);
}

std::optional<std::vector<std::string>> SplitRawBytes(std::string_view raw) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < raw.size()) {
    if (raw.size() - at < 4) return std::nullopt;
    const uint32_t n = ReadLittleEndian<uint32_t>(raw, at);
    at += 4;
    if (raw.size() - at < n) return std::nullopt;
    out.emplace_back(raw.substr(at, n));
    at += n;
  }
  return out;
}

std::string BuildInferRequest(std::string_view body, KserveBackend backend, bool streaming, std::string_view id,
                              inference::ModelInferRequest& out) {
  out.Clear();
  const Json doc = Json::parse(body, nullptr, false);
  if (!doc.is_object()) return "request body is not a JSON object of input tensors";
  for (const auto& [name, value] : doc.items()) {
    if (name == "model") {
      if (!value.is_string()) return "\"model\" must be a string";
      out.set_model_name(value.get<std::string>());
      continue;
    }
    // GenAI-Perf's inputs hold each tensor as a list; a lone value is one element.
    const Json elements = value.is_array() ? value : Json::array({value});
    const std::string type = DatatypeOf(name, elements);
    if (type.empty()) return fmt::format("input tensor '{}': elements must be all strings, all booleans or all numbers", name);
    auto* input = out.add_inputs();
    input->set_name(name);
    input->set_datatype(type);
    if (backend == KserveBackend::kTensorRtLlm) input->add_shape(1);  // the batch dimension
    input->add_shape(static_cast<int64_t>(elements.size()));
    AppendElements(type, elements, *out.add_raw_input_contents());
  }
  if (out.model_name().empty()) return "request body has no \"model\"";
  out.set_id(std::string(id));
  if (streaming) (*out.mutable_parameters())["triton_enable_empty_final_response"].set_bool_param(true);
  return "";
}

std::optional<std::vector<std::string>> InputElements(const inference::ModelInferRequest& request,
                                                      std::string_view name) {
  for (int i = 0; i < request.inputs_size(); ++i) {
    const auto& input = request.inputs(i);
    if (input.name() != name) continue;
    if (request.raw_input_contents_size() > 0) {
      if (i >= request.raw_input_contents_size()) return std::nullopt;
      return RawElements(input.datatype(), request.raw_input_contents(i));
    }
    return TypedElements(input.contents());
  }
  return std::nullopt;
}

}  // namespace bench
