#include "tokenizer/hf/json.h"

namespace bench::hf {

using nlohmann::json;

std::string Sub(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

const json* OptionalField(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& Field(const json& obj, std::string_view key, const std::string& path) {
  if (!obj.is_object()) throw ConfigError(path, "expected an object");
  const auto it = obj.find(key);
  if (it == obj.end()) throw ConfigError(Sub(path, key), "missing");
  return *it;
}

std::string StringField(const json& obj, std::string_view key, const std::string& path) {
  const json& v = Field(obj, key, path);
  if (!v.is_string()) throw ConfigError(Sub(path, key), "expected a string");
  return v.get<std::string>();
}

std::string StringOr(const json& obj, std::string_view key, const std::string& path,
                     std::string fallback) {
  const json* v = OptionalField(obj, key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) throw ConfigError(Sub(path, key), "expected a string");
  return v->get<std::string>();
}

bool BoolOr(const json& obj, std::string_view key, const std::string& path, bool fallback) {
  const json* v = OptionalField(obj, key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) throw ConfigError(Sub(path, key), "expected true or false");
  return v->get<bool>();
}

int64_t IntOr(const json& obj, std::string_view key, const std::string& path, int64_t fallback) {
  const json* v = OptionalField(obj, key);
  if (v == nullptr) return fallback;
  if (!v->is_number_integer() || v->get<int64_t>() < 0) {
    throw ConfigError(Sub(path, key), "expected a non-negative integer");
  }
  return v->get<int64_t>();
}

}  // namespace bench::hf
