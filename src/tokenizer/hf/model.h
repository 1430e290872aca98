#pragma once
// tokenizer.json "model": turns one pre-tokenized piece into ids, and owns the vocabulary.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/hf/vocab.h"

namespace bench::hf {

/// Hash for string-keyed maps that accept std::string_view lookups without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// A subword model (BPE, WordPiece, ...). Const methods are safe to call concurrently.
class Model {
 public:
  virtual ~Model() = default;
  /// Appends the ids of `piece` (non-empty, valid UTF-8) to `out`.
  virtual void Tokenize(std::string_view piece, std::vector<int32_t>& out) const = 0;
  /// Id of `token` in the model vocabulary.
  virtual std::optional<int32_t> TokenToId(std::string_view token) const = 0;
  /// Token text of `id`, or null if the model has no such id.
  virtual const std::string* IdToToken(int32_t id) const = 0;
  /// One past the largest id of the model vocabulary.
  virtual size_t IdBound() const = 0;
  /// Number of tokens in the vocabulary (HF's get_vocab_size; below IdBound() if ids have gaps).
  virtual size_t Size() const = 0;
};

struct BpeTables;

/// Builds the model from tokenizer.json's "model" object; throws ConfigError naming `path`.
/// `tables`: a BPE model's vocab and merges already read (hf/simd_load), absent from `j`.
std::unique_ptr<Model> MakeModel(const nlohmann::json& j, const std::string& path, BpeTables* tables = nullptr);

/// Reads a {token: id} object into `vocab`; throws ConfigError naming `path`.
void ReadVocab(const nlohmann::json& j, const std::string& path, Vocab& vocab);

}  // namespace bench::hf
