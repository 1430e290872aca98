#pragma once
// tokenizer.json "normalizer": rewrites text before added-token matching and pre-tokenization.
// Unicode normal forms come from ICU; the rest follow the Hugging Face tokenizers semantics.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace bench::hf {

/// One normalizer (or a Sequence of them).
class Normalizer {
 public:
  virtual ~Normalizer() = default;
  /// Rewrites `text` (valid UTF-8) in place.
  virtual void Normalize(std::string& text) const = 0;
};

/// Builds a normalizer from its tokenizer.json object; throws ConfigError naming `path`.
std::unique_ptr<Normalizer> MakeNormalizer(const nlohmann::json& j, const std::string& path);

}  // namespace bench::hf
