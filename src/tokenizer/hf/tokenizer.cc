#include "tokenizer/hf/tokenizer.h"

#include <algorithm>
#include <optional>

#include "tokenizer/hf/json.h"
#include "tokenizer/hf/simd_load.h"
#include "tokenizer/hf/unicode.h"
#include "util/read_file.h"

namespace bench {

using nlohmann::json;

HfTokenizer::HfTokenizer(const json& j, std::string name, hf::BpeTables* tables) : name_(std::move(name)) {
  if (!j.is_object()) throw hf::ConfigError("(top level)", "expected an object");
  if (const json* n = hf::OptionalField(j, "normalizer")) normalizer_ = hf::MakeNormalizer(*n, "normalizer");
  if (const json* p = hf::OptionalField(j, "pre_tokenizer")) pre_tokenizer_ = hf::MakePreTokenizer(*p, "pre_tokenizer");
  model_ = hf::MakeModel(hf::Field(j, "model", ""), "model", tables);
  if (const json* p = hf::OptionalField(j, "post_processor")) post_processor_ = hf::MakePostProcessor(*p, "post_processor");
  if (const json* d = hf::OptionalField(j, "decoder")) decoder_ = hf::MakeDecoder(*d, "decoder");
  std::vector<hf::AddedToken> added;
  if (const json* a = hf::OptionalField(j, "added_tokens")) added = hf::AddedVocabulary::ParseJson(*a, "added_tokens");
  hf::AddedVocabulary::AssignIds(added, *model_);
  added_ = hf::AddedVocabulary(std::move(added), normalizer_.get());
}

void HfTokenizer::EncodeSegment(std::string_view segment, bool at_origin, std::vector<int32_t>& ids) const {
  std::string normalized(segment);
  if (normalizer_) normalizer_->Normalize(normalized);
  for (const hf::AddedSplit& part : added_.Split(normalized, /*normalized=*/true)) {
    if (part.id >= 0) {
      ids.push_back(part.id);
      continue;
    }
    const auto [s, e] = part.span;
    if (s == e) continue;
    if (!pre_tokenizer_) {  // SentencePiece-style (Llama-2, Mistral): the model takes the span as is
      model_->Tokenize(std::string_view(normalized).substr(s, e - s), ids);
      continue;
    }
    std::vector<hf::Piece> pieces{hf::Piece{normalized.substr(s, e - s), at_origin && s == 0}};
    pre_tokenizer_->PreTokenize(pieces);
    for (const hf::Piece& p : pieces) model_->Tokenize(p.text, ids);
  }
}

std::vector<int32_t> HfTokenizer::Encode(std::string_view text, bool add_special_tokens) const {
  // HF only ever sees valid UTF-8 (a Rust &str); repair other input the way Rust would.
  std::string repaired;
  if (!hf::IsValidUtf8(text)) {
    repaired = hf::Utf8Lossy(text);
    text = repaired;
  }
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 4);
  for (const hf::AddedSplit& part : added_.Split(text, /*normalized=*/false)) {
    if (part.id >= 0) {
      ids.push_back(part.id);
    } else if (part.span.first != part.span.second) {
      EncodeSegment(text.substr(part.span.first, part.span.second - part.span.first), part.span.first == 0, ids);
    }
  }
  if (add_special_tokens && post_processor_) post_processor_->Process(ids);
  return ids;
}

std::string HfTokenizer::Decode(std::span<const int32_t> ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    const std::string* token = nullptr;
    if (const hf::AddedToken* added = added_.FindById(id)) {
      token = &added->content;
    } else {
      token = model_->IdToToken(id);
    }
    if (token == nullptr) continue;  // unknown ids are dropped, as HF does
    if (skip_special_tokens && added_.IsSpecialContent(*token)) continue;
    tokens.push_back(*token);
  }
  if (!decoder_) {
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) out += ' ';
      out += tokens[i];
    }
    return out;
  }
  decoder_->DecodeChain(tokens);
  std::string out;
  for (const auto& t : tokens) out += t;
  return out;
}

size_t HfTokenizer::VocabSize() const { return std::max(model_->IdBound(), added_.IdBound()); }

TokenizerLoadResult LoadHfTokenizerFromString(std::string_view json_text, const std::string& name) {
  if (std::unique_ptr<HfTokenizer> fast = hf::LoadWithSimdjson(json_text, name)) {
    return TokenizerLoadResult{std::move(fast), ""};
  }
  return LoadHfTokenizerThroughDom(json_text, name);
}

TokenizerLoadResult LoadHfTokenizerThroughDom(std::string_view json_text, const std::string& name) {
  TokenizerLoadResult result;
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::exception& e) {
    // parse_error, and also out_of_range.406 for a number too large for a double ("1e400"),
    // which used to escape as an exception and abort bench (found by tokenizer_json_fuzz).
    // A download cut short is the usual cause of a bad file; name that instead of parser state.
    std::string what = e.what();
    if (const size_t id_end = what.find("] "); id_end != std::string::npos) {
      what.erase(0, id_end + 2);  // "[json.exception.parse_error.101] "
    }
    if (json_text.empty()) {
      what = "the file is empty";
    } else if (what.find("unexpected end of input") != std::string::npos) {
      what = "truncated (the input ends after " + std::to_string(json_text.size()) + " bytes)";
    }
    result.error = "tokenizer '" + name + "': invalid JSON: " + what;
    return result;
  }
  try {
    result.tokenizer = std::make_unique<HfTokenizer>(j, name);
  } catch (const hf::ConfigError& e) {
    result.error = "tokenizer '" + name + "': " + e.what();
  } catch (const std::exception& e) {
    // nlohmann type errors from a field we did not check explicitly still become one line.
    result.error = "tokenizer '" + name + "': malformed tokenizer.json: " + e.what();
  }
  return result;
}

TokenizerLoadResult LoadHfTokenizerFile(const std::string& path) {
  const std::optional<std::string> text = ReadWholeFile(path);
  if (!text) return TokenizerLoadResult{nullptr, "tokenizer '" + path + "': cannot open file"};
  return LoadHfTokenizerFromString(*text, path);
}

}  // namespace bench
