#pragma once
// Token counting seam: the metrics stage and the prompt generator see only this interface.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// A tokenizer that can count, encode and decode text. Implementations must be safe to call
/// from several threads at once (const methods, internal caches synchronised).
class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  /// Token ids of `text`; `add_special_tokens` applies the post-processor (e.g. BOS).
  virtual std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens = false) const = 0;
  /// Text of `ids`; special tokens are dropped when `skip_special_tokens` is set.
  virtual std::string Decode(std::span<const int32_t> ids, bool skip_special_tokens = true) const = 0;
  /// Number of tokens in `text` without special tokens (GenAI-Perf's len(encode(text))).
  virtual size_t CountTokens(std::string_view text) const { return Encode(text).size(); }
  /// Ids usable for synthetic text: [0, VocabSize()) minus special tokens is a safe range.
  virtual size_t VocabSize() const = 0;
  /// Short description for logs and input_config ("builtin", a file path, ...).
  virtual std::string Name() const = 0;
};

/// Outcome of LoadTokenizer: a tokenizer, or a one-line error naming what failed. `warning` is
/// set (one line, for spdlog::warn) when the tokenizer is the built-in fallback.
struct TokenizerLoadResult {
  std::unique_ptr<Tokenizer> tokenizer;
  std::string error;
  std::string warning;
};

/// Resolves `spec`: "builtin" (the embedded Mistral-7B tokenizer, default_tokenizer.h), a path to
/// a tokenizer.json, a directory holding one, or a Hugging Face model id whose tokenizer.json is
/// taken from the HF cache or downloaded at `revision` (see hf_hub.h). A name that resolves to no
/// tokenizer at all falls back to "builtin" with a warning; a file or directory that exists but
/// is broken, or a missing "*.json" path, is an error.
TokenizerLoadResult LoadTokenizer(const std::string& spec, const std::string& revision = "main");

/// What the artifacts record as the tokenizer that counted: `spec` as given, or "builtin" when
/// loading it fell back (so `bench report` on the export counts the same way).
inline std::string TokenizerUsed(const std::string& spec, const TokenizerLoadResult& loaded) {
  return loaded.warning.empty() ? spec : std::string("builtin");
}

}  // namespace bench
