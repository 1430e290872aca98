// Gpt2Matches (hand-matched ASCII, Oniguruma elsewhere) against Regex::FindAll of the same
// pattern: identical matches on hand-picked cases and on random text over every ASCII byte,
// contractions, whitespace runs and non-ASCII letters, digits and spaces.

#include "tokenizer/hf/gpt2_split.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace bench::hf {
namespace {

const Regex& Gpt2Regex() {
  static const std::unique_ptr<Regex> regex = [] {
    std::string error;
    auto r = Regex::Compile(kGpt2Regex, &error);
    EXPECT_NE(r, nullptr) << error;
    return r;
  }();
  return *regex;
}

std::vector<std::string> Cut(std::string_view text, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const auto& [s, e] : spans) out.emplace_back(text.substr(s, e - s));
  return out;
}

void ExpectSameAsRegex(std::string_view text) {
  ASSERT_EQ(Cut(text, Gpt2Matches(text, Gpt2Regex())), Cut(text, Gpt2Regex().FindAll(text)))
      << "text: '" << text << "'";
}

TEST(HfGpt2Split, HandPickedCases) {
  EXPECT_EQ(Cut("Hello world's 123  x\n\n y!!", Gpt2Matches("Hello world's 123  x\n\n y!!", Gpt2Regex())),
            (std::vector<std::string>{"Hello", " world", "'s", " 123", " ", " x", "\n\n", " y", "!!"}));
  for (const char* text :
       {"", " ", "  ", "a", " a", "a ", "'s", "'", "''s", " 's", "'re'", "'ll've'd'm't", "'S", "x'", "don't", "I'm", "\n",
        " \n", "\n ", "\n x", " \t x", "   x", "12.5%", " 1 2  3   ", "a1b2", "$$ $ !", "\x01\x1f\x7f \x0b\x0c",
        "end  ", "end \n", "caf\xC3\xA9 au lait", "x\xC2\xA0y", "a \xC2\xA0 b", "\xC2\x85x", "\xE3\x80\x80 x",
        "\xD9\xA3\xD9\xA4 12", "it\xE2\x80\x99s", "\xF0\x9F\x98\x80 ok", " \xE6\x97\xA5\xE6\x9C\xAC"}) {
    ExpectSameAsRegex(text);
  }
}

TEST(HfGpt2Split, AsciiMatchesNeedNoRegexAndOthersDefer) {
  EXPECT_EQ(Gpt2AsciiMatchEnd("hello world", 0), 5u);
  EXPECT_EQ(Gpt2AsciiMatchEnd("hello world", 5), 11u);
  EXPECT_EQ(Gpt2AsciiMatchEnd("caf\xC3\xA9", 0), 0u);  // "\xC3\xA9" may continue the letters
  EXPECT_EQ(Gpt2AsciiMatchEnd(" \xC3\xA9", 0), 0u);
  EXPECT_EQ(Gpt2AsciiMatchEnd("  \xC2\xA0", 0), 0u);   // U+00A0 is \s: the run may go on
  EXPECT_EQ(Gpt2AsciiMatchEnd("ab cd", 2), 5u);
}

TEST(HfGpt2Split, RandomTextMatchesTheRegex) {
  const std::vector<std::string> pieces = {
      " ", " ", "  ", "\n", "\t", "\r\n", "\x0b", "\x0c", "'", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S",
      "a", "Z", "word", "x", "0", "42", "!", ".", ",", "--", "$", "_", "\x01", "\x1c", "\x7f", "\xC3\xA9",
      "\xC2\xA0", "\xC2\x85", "\xE3\x80\x80", "\xE2\x80\x83", "\xD9\xA3", "\xE2\x85\xA0", "\xE6\x97\xA5",
      "\xF0\x9F\x98\x80", "\xE2\x80\x99", "\xCC\x81"};
  std::mt19937_64 rng(17);
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    for (int k = static_cast<int>(rng() % 40); k > 0; --k) text += pieces[rng() % pieces.size()];
    ExpectSameAsRegex(text);
  }
  // Any ASCII byte at all.
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    for (int k = static_cast<int>(rng() % 30); k > 0; --k) text += static_cast<char>(rng() % 128);
    ExpectSameAsRegex(text);
  }
}

}  // namespace
}  // namespace bench::hf
