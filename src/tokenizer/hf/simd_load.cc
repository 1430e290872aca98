#include "tokenizer/hf/simd_load.h"

#include <simdjson.h>

#include <climits>
#include <vector>

#include "tokenizer/hf/bpe.h"
#include "tokenizer/hf/tokenizer.h"

namespace bench::hf {
namespace {

namespace dom = simdjson::dom;
using nlohmann::json;

// The value nlohmann's own parser would build: non-negative integers are unsigned, negative
// ones signed, the rest double; for objects the last of repeated keys wins (its operator[]).
json ToJson(dom::element e) {
  switch (e.type()) {
    case dom::element_type::OBJECT: {
      json out = json::object();
      for (dom::key_value_pair field : dom::object(e)) out[std::string(field.key)] = ToJson(field.value);
      return out;
    }
    case dom::element_type::ARRAY: {
      json out = json::array();
      for (dom::element item : dom::array(e)) out.push_back(ToJson(item));
      return out;
    }
    case dom::element_type::STRING:
      return std::string(std::string_view(e));
    case dom::element_type::INT64: {
      const int64_t v = int64_t(e);
      return v >= 0 ? json(static_cast<uint64_t>(v)) : json(v);
    }
    case dom::element_type::UINT64:
      return uint64_t(e);
    case dom::element_type::DOUBLE:
      return double(e);
    case dom::element_type::BOOL:
      return bool(e);
    case dom::element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

// {token: id}; false on any shape the DOM path might read differently (a repeated token: the
// DOM keeps the last; two tokens of one id: the DOM adds them in sorted order).
bool ReadVocab(dom::element e, Vocab& vocab) {
  dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) return false;
  vocab.Reserve(obj.size());
  std::vector<bool> id_taken;
  size_t count = 0;
  for (dom::key_value_pair field : obj) {
    int64_t id = 0;
    if (field.value.get_int64().get(id) != simdjson::SUCCESS || id < 0 || id > INT32_MAX) return false;
    const auto i = static_cast<size_t>(id);
    if (i >= id_taken.size()) id_taken.resize(std::max(i + 1, 2 * id_taken.size()), false);
    if (id_taken[i]) return false;
    id_taken[i] = true;
    vocab.Add(field.key, static_cast<int32_t>(id));
    ++count;
  }
  return vocab.size() == count;
}

// ["left right", ...] or [["left", "right"], ...], in rank order.
bool ReadMerges(dom::element e, std::vector<std::pair<std::string, std::string>>& merges) {
  dom::array arr;
  if (e.get_array().get(arr) != simdjson::SUCCESS) return false;
  merges.reserve(arr.size());
  for (dom::element m : arr) {
    std::string_view s;
    if (m.get_string().get(s) == simdjson::SUCCESS) {
      const size_t space = s.find(' ');
      if (space == std::string_view::npos || s.find(' ', space + 1) != std::string_view::npos) return false;
      merges.emplace_back(s.substr(0, space), s.substr(space + 1));
      continue;
    }
    dom::array pair;
    std::string_view left;
    std::string_view right;
    if (m.get_array().get(pair) != simdjson::SUCCESS || pair.size() != 2 ||
        pair.at(0).get_string().get(left) != simdjson::SUCCESS ||
        pair.at(1).get_string().get(right) != simdjson::SUCCESS) {
      return false;
    }
    merges.emplace_back(left, right);
  }
  return true;
}

// "model" without its vocab and merges (those into `tables`); false unless both are there once.
bool ReadModel(dom::element e, json& model, BpeTables& tables) {
  dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) return false;
  bool vocab_seen = false;
  bool merges_seen = false;
  model = json::object();
  for (dom::key_value_pair field : obj) {
    if (field.key == "vocab") {
      if (vocab_seen || !ReadVocab(field.value, tables.vocab)) return false;
      vocab_seen = true;
    } else if (field.key == "merges") {
      if (merges_seen || !ReadMerges(field.value, tables.merges)) return false;
      merges_seen = true;
    } else {
      model[std::string(field.key)] = ToJson(field.value);
    }
  }
  return vocab_seen && merges_seen;
}

}  // namespace

bool ReadTokenizerJson(std::string_view json_text, json& rest, BpeTables& tables) {
  dom::parser parser;
  const simdjson::padded_string padded(json_text);
  dom::object top;
  if (parser.parse(padded).get_object().get(top) != simdjson::SUCCESS) return false;
  rest = json::object();
  bool model_seen = false;
  for (dom::key_value_pair field : top) {
    if (field.key == "model") {
      if (model_seen || !ReadModel(field.value, rest["model"], tables)) return false;
      model_seen = true;
    } else {
      rest[std::string(field.key)] = ToJson(field.value);
    }
  }
  return model_seen;
}

std::unique_ptr<HfTokenizer> LoadWithSimdjson(std::string_view json_text, const std::string& name) {
  json rest;
  BpeTables tables;
  if (!ReadTokenizerJson(json_text, rest, tables)) return nullptr;
  try {
    return std::make_unique<HfTokenizer>(rest, name, &tables);
  } catch (const std::exception&) {
    return nullptr;  // the DOM path names the field
  }
}

}  // namespace bench::hf
