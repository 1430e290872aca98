#pragma once
// Checked access to tokenizer.json fields. Every failure names the JSON path ("model.merges[3]")
// so a malformed file produces one actionable line instead of a nlohmann exception text.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bench::hf {

/// A tokenizer.json that does not have the expected shape; what() names the JSON field.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& field, const std::string& problem)
      : std::runtime_error("field '" + field + "': " + problem) {}
};

/// `obj[key]`, or ConfigError if `obj` is not an object or lacks `key`.
const nlohmann::json& Field(const nlohmann::json& obj, std::string_view key, const std::string& path);
/// `obj[key]` if present and not null.
const nlohmann::json* OptionalField(const nlohmann::json& obj, std::string_view key);
/// The string at `obj[key]`; ConfigError if missing or not a string.
std::string StringField(const nlohmann::json& obj, std::string_view key, const std::string& path);
/// The string at `obj[key]`, `fallback` if missing or null.
std::string StringOr(const nlohmann::json& obj, std::string_view key, const std::string& path,
                     std::string fallback);
/// The boolean at `obj[key]`, `fallback` if missing or null.
bool BoolOr(const nlohmann::json& obj, std::string_view key, const std::string& path, bool fallback);
/// The non-negative integer at `obj[key]`, `fallback` if missing or null.
int64_t IntOr(const nlohmann::json& obj, std::string_view key, const std::string& path,
              int64_t fallback);
/// `path + "." + key` (the label of a nested field in errors).
std::string Sub(const std::string& path, std::string_view key);
/// `path + "[i]"`.
std::string Index(const std::string& path, size_t i);

}  // namespace bench::hf
