#pragma once
// A compact binary copy of a parsed tokenizer.json, so that a start with a tokenizer seen
// before skips the JSON parse and the 3 string lookups per BPE merge (for Mistral-7B ~60 M of
// the ~75 M instructions of its load). An entry holds the file's non-table JSON, the vocab in
// file order, the merges as ids and the word-split check's result, behind a header naming its
// source (key + size) and a checksum of the rest. A missing, stale, foreign or damaged entry
// (any mismatch, any bound or id out of range) is ignored and rewritten from the JSON; writes
// go to a temporary file renamed into place, so concurrent runs never read half an entry; the
// 16 most recently written entries are kept.
//
// Only tokenizers the simdjson path takes (hf/simd_load) are cached; the others load through
// the nlohmann DOM as before.

#include <filesystem>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.h"

namespace bench::hf {

/// $BENCH_TOKENIZER_CACHE if set ("" or "off": no cache), else $XDG_CACHE_HOME/bench/tokenizers,
/// else ~/.cache/bench/tokenizers. Empty when caching is off or no home is known.
std::filesystem::path TokenizerCacheDir();

/// The tokenizer of `json_text`, from the cache entry for `key` when it is valid, else parsed
/// (and the entry written). `key` must change whenever the text may have (a hash, or the path
/// with its size and modification time). Errors are LoadHfTokenizerFromString's.
TokenizerLoadResult LoadHfTokenizerCached(std::string_view json_text, const std::string& key, const std::string& name);

/// LoadHfTokenizerFile through the cache, keyed by the file's absolute path, size and mtime.
TokenizerLoadResult LoadHfTokenizerFileCached(const std::string& path, const std::string& name);

}  // namespace bench::hf
