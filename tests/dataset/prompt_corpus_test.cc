#include "dataset/prompt_corpus.h"

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
  EXPECT_GE(stream->ids().size(), CorpusTokens::kMinStreamTokens);
  ASSERT_FALSE(stream->sentence_starts().empty());
  EXPECT_EQ(stream->sentence_starts().front(), 0u);
  EXPECT_EQ(CorpusTokens::For(*tok).get(), stream.get());
}

TEST(PromptCorpusTest, StreamIsDeterministic) {
  auto tok = MakeBuiltinTokenizer();
  const CorpusTokens a(*tok, 50000), b(*tok, 50000);
  ASSERT_EQ(a.ids().size(), b.ids().size());
  EXPECT_TRUE(std::equal(a.ids().begin(), a.ids().end(), b.ids().begin()));
}

TEST(PromptCorpusTest, StreamDecodesToTextThatReencodesToTheSameIds) {
  auto tok = MakeBuiltinTokenizer();
  const CorpusTokens stream(*tok, 5000);
  const std::string text = tok->Decode(stream.ids(), true);
  EXPECT_EQ(tok->CountTokens(text), stream.ids().size());
}

}  // namespace
}  // namespace bench
