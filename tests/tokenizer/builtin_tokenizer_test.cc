// "builtin": the default (Mistral-7B) tokenizer under its short name, and the simulator's words.

#include "tokenizer/builtin_tokenizer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bench {
namespace {

TEST(BuiltinTokenizer, IsTheDefaultMistralTokenizer) {
  auto tok = MakeBuiltinTokenizer();
  EXPECT_EQ(tok->Name(), "builtin");
  EXPECT_EQ(tok->VocabSize(), 32000u);
  EXPECT_EQ(tok->Encode("the end", /*add_special_tokens=*/true), (std::vector<int32_t>{1, 272, 948}));
}

// The simulator's exactness rests on this: each word is one token at text start ("▁w") and the
// same one token after a space, whatever word precedes or follows it.
TEST(BuiltinTokenizer, EveryWordIsOneTokenAtStartAndAfterASpace) {
  auto tok = MakeBuiltinTokenizer();
  const auto words = BuiltinWords();
  ASSERT_GE(words.size(), 200u);
  EXPECT_EQ(std::set<std::string_view>(words.begin(), words.end()).size(), words.size()) << "duplicates";
  const int32_t the = tok->Encode("the").at(0);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string w(words[i]);
    const int32_t id = BuiltinSpacedWordId(i);
    EXPECT_EQ(tok->Encode(w), (std::vector<int32_t>{id})) << w;
    EXPECT_EQ(tok->Encode("the " + w), (std::vector<int32_t>{the, id})) << w;
    EXPECT_EQ(tok->Encode(w + " the"), (std::vector<int32_t>{id, the})) << w;
  }
}

TEST(BuiltinTokenizer, AllWordsJoinedCountOneTokenEach) {
  auto tok = MakeBuiltinTokenizer();
  std::string text;
  std::vector<int32_t> expected;
  for (size_t i = 0; i < BuiltinWords().size(); ++i) {
    if (i > 0) text += ' ';
    text += BuiltinWords()[i];
    expected.push_back(BuiltinSpacedWordId(i));
  }
  EXPECT_EQ(tok->Encode(text), expected);
  EXPECT_EQ(tok->Decode(expected), text);
}

TEST(BuiltinTokenizer, UnknownTextFallsBackToBytesAndRoundTrips) {
  auto tok = MakeBuiltinTokenizer();
  const std::string text = "zzq 42 \xE6\x97\xA5!";
  const std::vector<int32_t> ids = tok->Encode(text);
  EXPECT_EQ(tok->Decode(ids), text);
  EXPECT_EQ(tok->CountTokens(text), ids.size());
  for (int32_t id : ids) EXPECT_LT(static_cast<size_t>(id), tok->VocabSize());
}

}  // namespace
}  // namespace bench
