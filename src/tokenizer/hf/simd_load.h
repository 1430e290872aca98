#pragma once
// tokenizer.json through simdjson: the BPE model's vocab and merges (nearly all of the file:
// 32,000 tokens and 59,000 merges for Mistral-7B) go straight into their hash tables, and only
// the small rest becomes the nlohmann::json the component builders read. Parsing the whole file
// into one nlohmann DOM cost ~5x more instructions, most of bench's start-up.
//
// This is an accelerator, not a second parser with its own rules: it takes only the common
// shape and gives up (returns null) on anything else — invalid JSON, a repeated token, key or
// id, a merge or id of another form, a model that is not BPE, any error from the builders — so
// that the caller's nlohmann path (LoadHfTokenizerThroughDom) produces exactly today's result
// or message. For what it does take, the tokenizer equals the DOM path's (simd_load_test).

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tokenizer/hf/bpe.h"

namespace bench {

class HfTokenizer;

namespace hf {

/// Splits `json_text` into the model's vocab and merges (`tables`) and the rest (`rest`, for
/// HfTokenizer's constructor); false if it is not the common shape this path takes.
bool ReadTokenizerJson(std::string_view json_text, nlohmann::json& rest, BpeTables& tables);

/// The tokenizer of `json_text`, or null if it is not the common shape this path takes.
std::unique_ptr<HfTokenizer> LoadWithSimdjson(std::string_view json_text, const std::string& name);

}  // namespace hf
}  // namespace bench
