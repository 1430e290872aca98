#pragma once
// One request's `response_outputs`: perf_analyzer's object per network read, {"response":
// "<raw text of the read>"} for OpenAI and {"text_output": "<text>"} for Triton. Everything
// bench records has that shape, so the texts are kept back to back in one buffer under one key
// with the end of each: a record holds no JSON object per read (four allocations and a copy of
// the read each, two million of them in a 20,000-request run; issue #23). An export read from a
// file may hold any other shape (the TRT-LLM C API's {"output_ids": [...]}, several keys,
// non-string values, mixed keys): those are kept exactly as read, as JSON.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

class ResponseOutputs {
 public:
  /// No outputs yet; each AddText adds {"response": text}, OpenAI's shape.
  ResponseOutputs() = default;
  /// No outputs yet; each AddText adds {key: text}.
  explicit ResponseOutputs(std::string key) : key_(std::move(key)) {}
  /// The reads of one body, taken without a copy: output i is {key: texts[ends[i-1], ends[i])}
  /// (ends never decrease). Ends past the body (a body cut off at its size limit) end at its end.
  ResponseOutputs(std::string key, std::string texts, std::vector<uint32_t> ends);
  /// Outputs as an export file holds them: the compact form when every one is
  /// {"<one same key>": "<string>"}, else the values as given.
  static ResponseOutputs FromJson(std::vector<nlohmann::json> outputs);

  size_t size() const { return compact_ ? ends_.size() : general_.size(); }
  bool empty() const { return size() == 0; }

  /// True when every output is {Key(): <string>}: always for what bench records itself.
  bool compact() const { return compact_; }
  /// The key of the compact form ("" for the general form).
  const std::string& Key() const { return key_; }
  /// The compact form: output i's text.
  std::string_view Text(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(texts_.data() + begin, ends_[i] - begin);
  }
  /// The compact form: every text back to back (the body, for reads).
  std::string_view Texts() const { return texts_; }
  /// The compact form: every ResponseString back to back (the texts under "response"; none
  /// under any other key).
  std::string_view ResponseStrings() const { return key_ == "response" ? Texts() : std::string_view(); }
  /// The compact form: adds {Key(): text}. Throws std::length_error past 4 GiB of text.
  void AddText(std::string_view text);
  /// The compact form: room for `outputs` more outputs holding `text_bytes` more bytes.
  void Reserve(size_t outputs, size_t text_bytes);
  /// The general form: output i as read.
  const nlohmann::json& Json(size_t i) const { return general_[i]; }

  /// The response string of output i ({"response": "..."} or a bare string, as ResponseString
  /// of record/response_format); "" for anything else.
  std::string_view ResponseString(size_t i) const;
  /// The string under `key` of output i, when output i is an object holding a string there.
  std::optional<std::string_view> StringAt(size_t i, std::string_view key) const;
  /// Output i as perf_analyzer writes it ({Key(): text}, or the JSON as read).
  nlohmann::json Output(size_t i) const;
  /// Every output, as a JSON array.
  nlohmann::json ToJson() const;

  /// The same outputs (the same JSON), whichever form holds them.
  friend bool operator==(const ResponseOutputs& a, const ResponseOutputs& b);

 private:
  std::string key_ = "response";
  std::string texts_;           // the compact form's texts back to back
  std::vector<uint32_t> ends_;  // the compact form: where each text ends in texts_
  std::vector<nlohmann::json> general_;  // the general form: each output as read
  bool compact_ = true;
};

}  // namespace bench
