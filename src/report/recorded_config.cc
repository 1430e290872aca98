#include "report/recorded_config.h"

#include <fstream>
#include <vector>

#include "report/artifacts.h"

namespace bench {

nlohmann::ordered_json RecordedInputConfig(const std::filesystem::path& export_path) {
  const std::filesystem::path sibling =
      export_path.parent_path() / GenAiPerfFileName(export_path.filename().string(), "json");
  std::ifstream in(sibling);
  if (!in) return nullptr;
  const auto doc = nlohmann::ordered_json::parse(in, nullptr, false);
  if (!doc.is_object() || !doc.contains("input_config") || !doc["input_config"].is_object()) return nullptr;
  return doc["input_config"];
}

nlohmann::ordered_json ComparableInputConfig(nlohmann::ordered_json input_config) {
  if (!input_config.is_object()) return input_config;
  for (const char* key : {"subcommand", "verbose", "output"}) input_config.erase(key);
  return input_config;
}

namespace {

// Path of the first differing value below two unequal values ("" when they differ as a whole).
std::string DifferenceBelow(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  if (!a.is_object() || !b.is_object()) return "";
  auto child = [](const nlohmann::ordered_json& o, const std::string& key) {
    const auto it = o.find(key);
    return it == o.end() ? nlohmann::ordered_json() : *it;
  };
  std::vector<std::string> keys;
  for (const auto& [key, value] : a.items()) keys.push_back(key);
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key)) keys.push_back(key);
  }
  for (const std::string& key : keys) {
    const auto x = child(a, key);
    const auto y = child(b, key);
    if (x == y) continue;
    const std::string deeper = DifferenceBelow(x, y);
    return deeper.empty() ? key : key + "." + deeper;
  }
  return "";
}

}  // namespace

std::string FirstDifference(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  if (a == b) return "";
  const std::string path = DifferenceBelow(a, b);
  return path.empty() ? "the whole value" : path;
}

std::string RecordedTokenizer(const nlohmann::ordered_json& input_config) {
  if (!input_config.is_object()) return "";
  const auto name = input_config.value("/tokenizer/name"_json_pointer, nlohmann::ordered_json());
  return name.is_string() ? name.get<std::string>() : "";
}

}  // namespace bench
