#include "dataset/prompt_corpus.h"

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tokenizer/builtin_tokenizer.h"

namespace bench {
namespace {

TEST(PromptCorpusTest, EmbeddedTextIsAsciiProse) {
  const std::string_view text = PromptCorpusText();
  EXPECT_GT(text.size(), 20000u);
  for (char c : text) ASSERT_TRUE(static_cast<unsigned char>(c) < 128) << "non-ASCII byte in corpus";
  const auto sentences = PromptCorpusSentences();
  EXPECT_GT(sentences.size(), 200u);
  for (std::string_view s : sentences) {
    ASSERT_FALSE(s.empty());
    EXPECT_NE(s.front(), ' ');
    EXPECT_NE(s.back(), ' ');
  }
}

TEST(PromptCorpusTest, StreamIsLargeStartsAtSentencesAndIsCachedPerTokenizer) {
  auto tok = MakeBuiltinTokenizer();
  const auto stream = CorpusTokens::For(*tok);
  EXPECT_GE(stream->size(), CorpusTokens::kMinStreamTokens);
  ASSERT_FALSE(stream->sentence_starts().empty());
  EXPECT_EQ(stream->sentence_starts().front(), 0u);
  EXPECT_EQ(CorpusTokens::For(*tok).get(), stream.get());
}

std::vector<int32_t> AllIds(const CorpusTokens& stream) {
  std::vector<int32_t> ids;
  stream.CopyRange(0, stream.size(), ids);
  return ids;
}

TEST(PromptCorpusTest, StreamIsDeterministic) {
  auto tok = MakeBuiltinTokenizer();
  const CorpusTokens a(*tok, 50000), b(*tok, 50000);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(AllIds(a), AllIds(b));
}

// The stream is each round's shuffled sentences, whole, one after the other: every start is a
// sentence's first id, and a range anywhere (across sentences, rounds and the end) is the
// stream's ids there.
TEST(PromptCorpusTest, RangesAreTheStreamsIdsWrappingRoundAtTheEnd) {
  auto tok = MakeBuiltinTokenizer();
  const CorpusTokens stream(*tok, 20000);
  const std::vector<int32_t> all = AllIds(stream);
  ASSERT_EQ(all.size(), stream.size());
  ASSERT_GE(stream.size(), 20000u);
  const std::vector<std::string_view> sentences = PromptCorpusSentences();
  for (size_t k = 0; k < 50; ++k) {  // the first sentences of the first round, encoded alone
    const size_t start = stream.sentence_starts()[k];
    const size_t end = k + 1 < stream.sentence_starts().size() ? stream.sentence_starts()[k + 1] : stream.size();
    std::string text = tok->Decode(std::span<const int32_t>(all.data() + start, end - start), true);
    if (text.starts_with(' ')) text.erase(0, 1);  // as encoded mid-text; some decoders strip it
    EXPECT_NE(std::find(sentences.begin(), sentences.end(), text), sentences.end()) << text;
  }
  for (const size_t start : {size_t{0}, size_t{1}, size_t{777}, stream.size() - 3, stream.size() + 5}) {
    for (const size_t length : {size_t{0}, size_t{1}, size_t{40}, size_t{1000}}) {
      std::vector<int32_t> got = {-7};  // appended after what is there
      stream.CopyRange(start, length, got);
      ASSERT_EQ(got.size(), length + 1);
      EXPECT_EQ(got[0], -7);
      for (size_t i = 0; i < length; ++i) ASSERT_EQ(got[i + 1], all[(start + i) % all.size()]) << start << "+" << i;
    }
  }
}

TEST(PromptCorpusTest, StreamDecodesToTextThatReencodesToTheSameIds) {
  auto tok = MakeBuiltinTokenizer();
  const CorpusTokens stream(*tok, 5000);
  const std::string text = tok->Decode(AllIds(stream), true);
  EXPECT_EQ(tok->CountTokens(text), stream.size());
}

}  // namespace
}  // namespace bench
