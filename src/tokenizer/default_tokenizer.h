#pragma once
// The built-in default tokenizer: Mistral-7B's tokenizer.json (Apache-2.0; 32k SentencePiece-style
// BPE with byte fallback), embedded in the binary at build time. bench counts with it for
// `--tokenizer builtin`, in the simulator, and when a model's own tokenizer cannot be resolved.
// Origin, licence and hash: src/tokenizer/mistral-7b/NOTICE.md.

#include <memory>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.h"

namespace bench {

/// Name the default tokenizer reports; LoadTokenizer resolves it back, so runs record it as is.
inline constexpr std::string_view kDefaultTokenizerName = "builtin";

/// The embedded tokenizer, parsed on first use (thread-safe; its sha256 is checked at build and test time).
/// Throws std::logic_error if the embedded bytes are corrupt — a broken build, not a user error.
const Tokenizer& DefaultTokenizer();

/// A handle owning nothing that forwards to DefaultTokenizer(), for APIs that hand out
/// std::unique_ptr<Tokenizer> (TokenizerLoadResult).
std::unique_ptr<Tokenizer> MakeDefaultTokenizer();

/// The embedded tokenizer.json bytes, exactly as in src/tokenizer/mistral-7b/.
std::string_view DefaultTokenizerJson();

/// The sha256 (lower-case hex) the embedded bytes must have.
std::string_view DefaultTokenizerExpectedSha256();

/// Lower-case hex sha256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace bench
