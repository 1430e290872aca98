// WordCache: a piece put is found with exactly its ids, similar pieces never alias, a full shard
// is cleared rather than grown, and concurrent use returns only ids that were put for the piece.

#include "tokenizer/hf/word_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace bench::hf {
namespace {

std::vector<int32_t> CacheLookup(const WordCache& cache, std::string_view piece, bool* found = nullptr) {
  std::vector<int32_t> out{-7};  // Find appends: what was there stays
  const bool hit = cache.Find(piece, WordCache::Hash(piece), out);
  if (found != nullptr) *found = hit;
  EXPECT_EQ(out.front(), -7);
  out.erase(out.begin());
  return out;
}

void CachePut(WordCache& cache, std::string_view piece, const std::vector<int32_t>& ids) {
  cache.Put(piece, WordCache::Hash(piece), ids);
}

TEST(HfWordCache, FindsExactlyWhatWasPut) {
  WordCache cache;
  bool found = true;
  EXPECT_TRUE(CacheLookup(cache, "\xE2\x96\x81the", &found).empty());
  EXPECT_FALSE(found);
  CachePut(cache, "\xE2\x96\x81the", {278});
  CachePut(cache, "\xE2\x96\x81then", {2550, 7});
  CachePut(cache, "\xE2\x96\x81th", {});  // a piece whose characters were all dropped
  EXPECT_EQ(CacheLookup(cache, "\xE2\x96\x81the", &found), std::vector<int32_t>{278});
  EXPECT_TRUE(found);
  EXPECT_EQ(CacheLookup(cache, "\xE2\x96\x81then"), (std::vector<int32_t>{2550, 7}));
  EXPECT_TRUE(CacheLookup(cache, "\xE2\x96\x81th", &found).empty());
  EXPECT_TRUE(found);
  CacheLookup(cache, "\xE2\x96\x81thee", &found);
  EXPECT_FALSE(found);
  CacheLookup(cache, "the", &found);
  EXPECT_FALSE(found);
  EXPECT_EQ(cache.Size(), 3u);
  CachePut(cache, "\xE2\x96\x81the", {1, 2, 3});  // a second put of a cached piece changes nothing
  EXPECT_EQ(CacheLookup(cache, "\xE2\x96\x81the"), std::vector<int32_t>{278});
  EXPECT_EQ(cache.Size(), 3u);
}

TEST(HfWordCache, ManyPiecesKeepTheirOwnIdsAndAFullShardIsCleared) {
  WordCache cache;
  constexpr int kPieces = 100000;  // ~6,250 a shard: each fills (4,096) and is cleared once
  for (int i = 0; i < kPieces; ++i) CachePut(cache, "w" + std::to_string(i), {i, -i});
  size_t found_count = 0;
  for (int i = 0; i < kPieces; ++i) {
    bool found = false;
    const std::vector<int32_t> ids = CacheLookup(cache, "w" + std::to_string(i), &found);
    if (!found) continue;  // cleared with its shard
    ++found_count;
    ASSERT_EQ(ids, (std::vector<int32_t>{i, -i})) << i;
  }
  EXPECT_EQ(found_count, cache.Size());
  EXPECT_LE(found_count, 16u * WordCache::kShardCapacity);
  EXPECT_GT(found_count, 16000u);  // what each shard took since its clear
  // The most recent pieces are all there.
  for (int i = kPieces - 500; i < kPieces; ++i) {
    bool found = false;
    CacheLookup(cache, "w" + std::to_string(i), &found);
    ASSERT_TRUE(found) << i;
  }
}

// A shard starts small and doubles as it fills: the pieces put before each growth are still
// found with their ids after it (long pieces, in the arena, too).
TEST(HfWordCache, GrowingKeepsEveryPiece) {
  WordCache cache;
  constexpr int kPieces = 40000;  // ~2,500 a shard: three doublings, below the capacity
  const auto piece = [](int i) { return (i % 7 == 0 ? "a-long-piece-over-sixteen-bytes-" : "w") + std::to_string(i); };
  for (int i = 0; i < kPieces; ++i) CachePut(cache, piece(i), {i});
  EXPECT_EQ(cache.Size(), static_cast<size_t>(kPieces));
  for (int i = 0; i < kPieces; ++i) {
    bool found = false;
    const std::vector<int32_t> ids = CacheLookup(cache, piece(i), &found);
    ASSERT_TRUE(found) << i;
    ASSERT_EQ(ids, std::vector<int32_t>{i}) << i;
  }
}

TEST(HfWordCache, LongAndEmptyPiecesAreNotCached) {
  WordCache cache;
  const std::string longest(WordCache::kMaxPieceBytes, 'a');
  const std::string too_long(WordCache::kMaxPieceBytes + 1, 'a');
  CachePut(cache, longest, {1});
  CachePut(cache, too_long, {2});
  CachePut(cache, "", {3});
  bool found = false;
  EXPECT_EQ(CacheLookup(cache, longest, &found), std::vector<int32_t>{1});
  CacheLookup(cache, too_long, &found);
  EXPECT_FALSE(found);
  CacheLookup(cache, "", &found);
  EXPECT_FALSE(found);
}

TEST(HfWordCache, ConcurrentPutsAndFindsNeverMixIds) {
  WordCache cache;
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, &bad, t] {
      for (int i = 0; i < 30000; ++i) {
        const int k = (i * 7 + t * 13) % 9000;
        const std::string piece = "p" + std::to_string(k);
        std::vector<int32_t> out;
        if (cache.Find(piece, WordCache::Hash(piece), out)) {
          bad[static_cast<size_t>(t)] += out != std::vector<int32_t>{k, k + 1};
        } else {
          const std::vector<int32_t> ids{k, k + 1};
          cache.Put(piece, WordCache::Hash(piece), ids);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace bench::hf
