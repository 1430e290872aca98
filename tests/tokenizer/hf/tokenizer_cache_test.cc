// The tokenizer cache must give the tokenizer the JSON gives, and never trust an entry that is
// stale, foreign or damaged.

#include "tokenizer/hf/tokenizer_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_util.h"
#include "tokenizer/hf/same_tokenizer.h"
#include "tokenizer/default_tokenizer.h"
#include "tokenizer/hf/tokenizer.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// Points the cache at a fresh directory for one test and restores the variable after.
class CacheDir {
 public:
  const fs::path& path() const { return dir_.path(); }
  std::vector<fs::path> Entries() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_.path())) out.push_back(e.path());
    return out;
  }

 private:
  test::TempDir dir_;
  test::ScopedEnv env_{"BENCH_TOKENIZER_CACHE", dir_.path().string()};
};

using test::ExpectSameTokenizer;

const TokenizerLoadResult& Reference() {
  static const TokenizerLoadResult r = LoadHfTokenizerThroughDom(DefaultTokenizerJson(), "builtin");
  return r;
}

// Text of the same size that is not JSON at all: a load that succeeds with it came from the cache.
std::string Garbage() { return std::string(DefaultTokenizerJson().size(), '#'); }

TEST(TokenizerCache, WritesOnFirstLoadAndReadsTheSameTokenizerBack) {
  CacheDir cache;
  TokenizerLoadResult cold = hf::LoadHfTokenizerCached(DefaultTokenizerJson(), "k1", "builtin");
  ASSERT_NE(cold.tokenizer, nullptr) << cold.error;
  ASSERT_EQ(cache.Entries().size(), 1u);
  TokenizerLoadResult warm = hf::LoadHfTokenizerCached(Garbage(), "k1", "builtin");
  ASSERT_NE(warm.tokenizer, nullptr) << "the entry was not used";
  EXPECT_EQ(warm.tokenizer->Name(), "builtin");
  ExpectSameTokenizer(*warm.tokenizer, *Reference().tokenizer);
  ExpectSameTokenizer(*cold.tokenizer, *Reference().tokenizer);
}

TEST(TokenizerCache, AnotherKeyOrSizeIsNotServedFromTheEntry) {
  CacheDir cache;
  ASSERT_NE(hf::LoadHfTokenizerCached(DefaultTokenizerJson(), "k1", "builtin").tokenizer, nullptr);
  // Another key: its own entry, parsed from its text.
  EXPECT_EQ(hf::LoadHfTokenizerCached(Garbage(), "k2", "builtin").tokenizer, nullptr);
  // The same key with a text of another size: the entry is stale, the text is parsed.
  const std::string tiny = R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";
  TokenizerLoadResult r = hf::LoadHfTokenizerCached(tiny, "k1", "tiny");
  ASSERT_NE(r.tokenizer, nullptr) << r.error;
  EXPECT_EQ(r.tokenizer->VocabSize(), 3u);
  EXPECT_EQ(r.tokenizer->Encode("ab"), (std::vector<int32_t>{2}));
}

TEST(TokenizerCache, DamagedEntriesAreIgnoredAndRewritten) {
  CacheDir cache;
  ASSERT_NE(hf::LoadHfTokenizerCached(DefaultTokenizerJson(), "k", "builtin").tokenizer, nullptr);
  const fs::path entry = cache.Entries().at(0);
  const std::string good = test::ReadFile(entry);
  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x20;
  const std::vector<std::string> damaged = {flipped, good.substr(0, good.size() / 3), good.substr(0, 10), "",
                                            std::string(good.size(), '\0'), good + "x"};
  for (size_t i = 0; i < damaged.size(); ++i) {
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << damaged[i];
    EXPECT_EQ(hf::LoadHfTokenizerCached(Garbage(), "k", "builtin").tokenizer, nullptr) << "damage " << i;
    TokenizerLoadResult r = hf::LoadHfTokenizerCached(DefaultTokenizerJson(), "k", "builtin");
    ASSERT_NE(r.tokenizer, nullptr) << r.error;
    ExpectSameTokenizer(*r.tokenizer, *Reference().tokenizer);
    EXPECT_EQ(test::ReadFile(entry), good) << "damage " << i << ": the entry was not rewritten";
  }
}

TEST(TokenizerCache, AChangedFileIsReadAgain) {
  CacheDir cache;
  test::TempDir dir;
  const fs::path file = dir.path() / "tokenizer.json";
  std::ofstream(file) << R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";
  TokenizerLoadResult first = hf::LoadHfTokenizerFileCached(file.string(), file.string());
  ASSERT_NE(first.tokenizer, nullptr) << first.error;
  EXPECT_EQ(first.tokenizer->Encode("ab"), (std::vector<int32_t>{2}));
  // Same size, new content and modification time: no longer the entry's file.
  std::ofstream(file, std::ios::trunc) << R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [     ]}})";
  fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(5));
  TokenizerLoadResult second = hf::LoadHfTokenizerFileCached(file.string(), file.string());
  ASSERT_NE(second.tokenizer, nullptr) << second.error;
  EXPECT_EQ(second.tokenizer->Encode("ab"), (std::vector<int32_t>{0, 1}));
}

TEST(TokenizerCache, ErrorsAreTheDomPathsAndNothingIsWritten) {
  CacheDir cache;
  for (const std::string text : {"", "{not json", R"({"model": {"vocab": {"a": 0, "a": 1}, "merges": []}})"}) {
    const TokenizerLoadResult r = hf::LoadHfTokenizerCached(text, "k", "x.json");
    const TokenizerLoadResult dom = LoadHfTokenizerThroughDom(text, "x.json");
    EXPECT_EQ(r.error, dom.error) << text;
    EXPECT_EQ(r.tokenizer == nullptr, dom.tokenizer == nullptr) << text;
  }
  EXPECT_TRUE(cache.Entries().empty());
}

TEST(TokenizerCache, KeepsTheNewestSixteenEntries) {
  CacheDir cache;
  const std::string tiny = R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";
  for (int i = 0; i < 20; ++i) {
    ASSERT_NE(hf::LoadHfTokenizerCached(tiny, "key " + std::to_string(i), "tiny").tokenizer, nullptr);
    // Distinct modification times, so "newest" is well defined on coarse file systems too.
    for (const fs::path& e : cache.Entries()) {
      fs::last_write_time(e, fs::last_write_time(e) - std::chrono::seconds(1));
    }
  }
  EXPECT_EQ(cache.Entries().size(), 16u);
  const std::string garbage(tiny.size(), '#');
  EXPECT_NE(hf::LoadHfTokenizerCached(garbage, "key 19", "tiny").tokenizer, nullptr) << "the newest was removed";
  EXPECT_EQ(hf::LoadHfTokenizerCached(garbage, "key 0", "tiny").tokenizer, nullptr) << "the oldest was kept";
}

TEST(TokenizerCache, OffMeansNoDirectory) {
  CacheDir cache;
  ::setenv("BENCH_TOKENIZER_CACHE", "off", 1);
  EXPECT_TRUE(hf::TokenizerCacheDir().empty());
  ASSERT_NE(hf::LoadHfTokenizerCached(DefaultTokenizerJson(), "k", "builtin").tokenizer, nullptr);
  EXPECT_TRUE(cache.Entries().empty());
}

}  // namespace
}  // namespace bench
