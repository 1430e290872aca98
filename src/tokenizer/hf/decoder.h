#pragma once
// tokenizer.json "decoder": turns token strings back into text. Each decoder rewrites the list
// of token strings (HF's decode_chain); the final text is their concatenation.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench::hf {

/// One decoder (or a Sequence of them).
class Decoder {
 public:
  virtual ~Decoder() = default;
  /// Rewrites `tokens` in place.
  virtual void DecodeChain(std::vector<std::string>& tokens) const = 0;
};

/// Builds a decoder from its tokenizer.json object; throws ConfigError naming `path`.
std::unique_ptr<Decoder> MakeDecoder(const nlohmann::json& j, const std::string& path);

}  // namespace bench::hf
