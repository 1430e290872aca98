// The built-in word tokenizer the simulator speaks.

#include "bench/builtin_tokenizer.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(BuiltinTokenizer, WordsWithLeadingSpaceAreOneToken) {
  auto tok = MakeBuiltinTokenizer();
  const std::vector<int32_t> ids = tok->Encode("the water is good");
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids[1], BuiltinSpacedWordId(85));  // " water" (word index 85)
  EXPECT_EQ(tok->Decode(ids), "the water is good");
}

TEST(BuiltinTokenizer, UnknownTextFallsBackToBytesAndRoundTrips) {
  auto tok = MakeBuiltinTokenizer();
  const std::string text = "zzq 42 \xE6\x97\xA5!";
  const std::vector<int32_t> ids = tok->Encode(text);
  EXPECT_EQ(tok->Decode(ids), text);
  EXPECT_EQ(tok->CountTokens(text), ids.size());
  for (int32_t id : ids) EXPECT_LT(static_cast<size_t>(id), tok->VocabSize());
}

TEST(BuiltinTokenizer, SpacedWordIdsDecodeToTheirWord) {
  auto tok = MakeBuiltinTokenizer();
  const auto words = BuiltinWords();
  for (size_t i = 0; i < words.size(); ++i) {
    const int32_t id = BuiltinSpacedWordId(i);
    EXPECT_EQ(tok->Decode(std::span<const int32_t>(&id, 1)), std::string(" ").append(words[i]));
  }
}

}  // namespace
}  // namespace bench
