#include "record/response_outputs.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "record/response_format.h"

namespace bench {

namespace {

constexpr size_t kMaxTextBytes = std::numeric_limits<uint32_t>::max();

// The key of `output` when it is {"<key>": "<string>"}, else null.
const std::string* OnlyStringKey(const nlohmann::json& output) {
  if (!output.is_object() || output.size() != 1) return nullptr;
  const auto it = output.begin();
  return it.value().is_string() ? &it.key() : nullptr;
}

// The bytes of the texts when `outputs` fits the compact form (one same key, string values,
// offsets that fit 32 bits), else nullopt.
std::optional<size_t> CompactBytes(const std::vector<nlohmann::json>& outputs) {
  const std::string* key = nullptr;
  size_t bytes = 0;
  for (const nlohmann::json& output : outputs) {
    const std::string* k = OnlyStringKey(output);
    if (k == nullptr || (key != nullptr && *k != *key)) return std::nullopt;
    key = k;
    bytes += output.begin().value().get_ref<const std::string&>().size();
    if (bytes > kMaxTextBytes) return std::nullopt;
  }
  return bytes;
}

}  // namespace

ResponseOutputs::ResponseOutputs(std::string key, std::string texts, std::vector<uint32_t> ends)
    : key_(std::move(key)), texts_(std::move(texts)), ends_(std::move(ends)) {
  // Only the last reads of a body cut off at its limit end past it; clamping keeps the ends
  // ordered and every text inside the buffer, and the buffer holds nothing past the last end.
  const auto size = static_cast<uint32_t>(std::min(texts_.size(), kMaxTextBytes));
  for (uint32_t& end : ends_) end = std::min(end, size);
  texts_.resize(ends_.empty() ? 0 : ends_.back());
}

ResponseOutputs ResponseOutputs::FromJson(std::vector<nlohmann::json> outputs) {
  ResponseOutputs r;
  if (const std::optional<size_t> bytes = CompactBytes(outputs)) {
    if (outputs.empty()) return r;
    r.key_ = outputs[0].begin().key();
    r.Reserve(outputs.size(), *bytes);  // exactly: a file's records are all held at once
    for (const nlohmann::json& output : outputs) r.AddText(output.begin().value().get_ref<const std::string&>());
    return r;
  }
  r.key_.clear();
  r.compact_ = false;
  r.general_ = std::move(outputs);
  return r;
}

void ResponseOutputs::AddText(std::string_view text) {
  if (text.size() > kMaxTextBytes - texts_.size()) throw std::length_error("response outputs past 4 GiB");
  texts_.append(text);
  ends_.push_back(static_cast<uint32_t>(texts_.size()));
}

void ResponseOutputs::Reserve(size_t outputs, size_t text_bytes) {
  ends_.reserve(ends_.size() + outputs);
  texts_.reserve(texts_.size() + text_bytes);
}

std::string_view ResponseOutputs::ResponseString(size_t i) const {
  if (!compact_) return bench::ResponseString(general_[i]);
  return key_ == "response" ? Text(i) : std::string_view();
}

std::optional<std::string_view> ResponseOutputs::StringAt(size_t i, std::string_view key) const {
  if (compact_) return key == key_ ? std::optional<std::string_view>(Text(i)) : std::nullopt;
  const nlohmann::json& output = general_[i];
  if (!output.is_object()) return std::nullopt;
  const auto it = output.find(key);
  if (it == output.end() || !it->is_string()) return std::nullopt;
  return it->get_ref<const std::string&>();
}

nlohmann::json ResponseOutputs::Output(size_t i) const {
  if (!compact_) return general_[i];
  nlohmann::json output(nlohmann::json::value_t::object);
  output.emplace(key_, std::string(Text(i)));
  return output;
}

nlohmann::json ResponseOutputs::ToJson() const {
  nlohmann::json array = nlohmann::json::array();
  for (size_t i = 0; i < size(); ++i) array.push_back(Output(i));
  return array;
}

bool operator==(const ResponseOutputs& a, const ResponseOutputs& b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  if (a.compact_ && b.compact_) return a.key_ == b.key_ && a.ends_ == b.ends_ && a.texts_ == b.texts_;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.Output(i) != b.Output(i)) return false;
  }
  return true;
}

}  // namespace bench
