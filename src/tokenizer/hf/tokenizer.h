#pragma once
// A Hugging Face `tokenizer.json` tokenizer that reproduces the ids of HF's `tokenizers`
// library: added tokens → normalizer → pre-tokenizer → model → post-processor, and the
// decoder chain for Decode. Supported components are listed in the hf_*.h headers; an
// unsupported one fails loading with the JSON field that names it.

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tokenizer/hf/added_vocabulary.h"
#include "tokenizer/hf/decoder.h"
#include "tokenizer/hf/model.h"
#include "tokenizer/hf/normalizer.h"
#include "tokenizer/hf/post_processor.h"
#include "tokenizer/hf/pre_tokenizer.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// A tokenizer loaded from tokenizer.json. Thread-safe for concurrent const calls.
class HfTokenizer final : public Tokenizer {
 public:
  /// Builds from a parsed tokenizer.json; throws hf::ConfigError naming the bad field.
  /// `tables`: the BPE model's vocab and merges read without the DOM (hf/simd_load).
  HfTokenizer(const nlohmann::json& j, std::string name, hf::BpeTables* tables = nullptr);

  std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens = false) const override;
  std::string Decode(std::span<const int32_t> ids, bool skip_special_tokens = true) const override;
  size_t VocabSize() const override;
  std::string Name() const override { return name_; }

 private:
  void EncodeSegment(std::string_view segment, bool at_origin, std::vector<int32_t>& ids) const;

  std::string name_;
  std::unique_ptr<hf::Normalizer> normalizer_;
  std::unique_ptr<hf::PreTokenizer> pre_tokenizer_;
  std::unique_ptr<hf::Model> model_;
  std::unique_ptr<hf::PostProcessor> post_processor_;
  std::unique_ptr<hf::Decoder> decoder_;
  hf::AddedVocabulary added_;
};

/// Parses tokenizer.json text; errors are one line naming `name` and the JSON field.
/// Tries hf/simd_load first; whatever it does not take (any error, any unusual shape) goes
/// through LoadHfTokenizerThroughDom, so results and messages are those of the DOM path.
TokenizerLoadResult LoadHfTokenizerFromString(std::string_view json_text, const std::string& name);

/// The reference path: the whole text parsed into one nlohmann DOM (~5x slower).
TokenizerLoadResult LoadHfTokenizerThroughDom(std::string_view json_text, const std::string& name);

/// Reads and parses the tokenizer.json at `path`.
TokenizerLoadResult LoadHfTokenizerFile(const std::string& path);

}  // namespace bench
