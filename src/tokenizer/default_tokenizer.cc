#include "tokenizer/default_tokenizer.h"

#include <openssl/evp.h>

#include <mutex>
#include <stdexcept>

#include "util/embed.h"
#include "tokenizer/hf/tokenizer.h"
#include "tokenizer/hf/tokenizer_cache.h"

// cmake/EmbeddedTokenizer.cmake defines both for this file only.
#if !defined(BENCH_DEFAULT_TOKENIZER_JSON) || !defined(BENCH_DEFAULT_TOKENIZER_SHA256)
#error "build default_tokenizer.cc through CMake (cmake/EmbeddedTokenizer.cmake)"
#endif

// The bytes go into .rodata as they are; the json is parsed from there on first use.
BENCH_EMBED_FILE(bench_default_tokenizer, BENCH_DEFAULT_TOKENIZER_JSON);

namespace bench {
namespace {

// Forwards to the shared instance; lets LoadTokenizer return it as a unique_ptr.
class DefaultTokenizerHandle final : public Tokenizer {
 public:
  std::vector<int32_t> Encode(std::string_view text, bool add_special_tokens) const override {
    return DefaultTokenizer().Encode(text, add_special_tokens);
  }
  std::string Decode(std::span<const int32_t> ids, bool skip_special_tokens) const override {
    return DefaultTokenizer().Decode(ids, skip_special_tokens);
  }
  size_t CountTokens(std::string_view text) const override { return DefaultTokenizer().CountTokens(text); }
  size_t VocabSize() const override { return DefaultTokenizer().VocabSize(); }
  std::string Name() const override { return std::string(kDefaultTokenizerName); }
};

// The bytes' sha256 is checked when the build is configured (cmake/EmbeddedTokenizer.cmake) and
// by the test DefaultTokenizer.EmbeddedBytesAreTheCheckedInFileWithItsHash, not here: hashing
// 1.8 MB on every start cost 53 M instructions, and .rodata does not change after the build.
std::unique_ptr<Tokenizer> Load() {
  // Keyed by the hash the build checked: a new embedded file is a new entry.
  TokenizerLoadResult r = hf::LoadHfTokenizerCached(DefaultTokenizerJson(), "builtin " + std::string(BENCH_DEFAULT_TOKENIZER_SHA256),
                                                    std::string(kDefaultTokenizerName));
  if (!r.tokenizer) throw std::logic_error("the embedded default tokenizer does not load: " + r.error);
  return std::move(r.tokenizer);
}

}  // namespace

const Tokenizer& DefaultTokenizer() {
  static std::once_flag once;
  static std::unique_ptr<Tokenizer> tokenizer;
  // An exception leaves the flag unset, so a later call retries (and throws again).
  std::call_once(once, [] { tokenizer = Load(); });
  return *tokenizer;
}

std::unique_ptr<Tokenizer> MakeDefaultTokenizer() { return std::make_unique<DefaultTokenizerHandle>(); }

std::string_view DefaultTokenizerJson() {
  return {bench_default_tokenizer_begin, static_cast<size_t>(bench_default_tokenizer_end - bench_default_tokenizer_begin)};
}

std::string_view DefaultTokenizerExpectedSha256() { return BENCH_DEFAULT_TOKENIZER_SHA256; }

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL EVP_Digest(sha256) failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace bench
