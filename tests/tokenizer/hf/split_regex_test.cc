// The hand-written matchers of hf/split_regex (GPT-2, cl100k, Qwen; Oniguruma for a match that
// reads a non-ASCII byte) against Regex::FindAll of the same pattern: identical matches on
// hand-picked cases and on random text over every ASCII byte, contractions in both cases,
// whitespace and line-break runs, digit runs and non-ASCII letters, digits and spaces.

#include "tokenizer/hf/split_regex.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace bench::hf {
namespace {

struct KnownPattern {
  KnownSplit kind;
  std::string_view text;
};

const KnownPattern kKnown[] = {{KnownSplit::kGpt2, kGpt2Regex}, {KnownSplit::kCl100k, kCl100kRegex},
                               {KnownSplit::kQwen, kQwenRegex}};

const Regex& CompiledSplit(KnownSplit kind) {
  static const std::vector<std::unique_ptr<Regex>> compiled = [] {
    std::vector<std::unique_ptr<Regex>> out;
    for (const KnownPattern& k : kKnown) {
      std::string error;
      out.push_back(Regex::Compile(k.text, &error));
      EXPECT_NE(out.back(), nullptr) << error;
    }
    return out;
  }();
  return *compiled[static_cast<size_t>(kind) - 1];
}

std::vector<std::string> Cut(std::string_view text, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const auto& [s, e] : spans) out.emplace_back(text.substr(s, e - s));
  return out;
}

void ExpectSameAsRegex(KnownSplit kind, std::string_view text) {
  const Regex& regex = CompiledSplit(kind);
  ASSERT_EQ(Cut(text, KnownSplitMatches(kind, text, regex)), Cut(text, regex.FindAll(text)))
      << "pattern " << static_cast<int>(kind) << ", text: '" << text << "'";
}

TEST(HfSplitRegex, IdentifiesTheKnownPatternsOnly) {
  for (const KnownPattern& k : kKnown) EXPECT_EQ(IdentifySplit(k.text), k.kind);
  EXPECT_EQ(IdentifySplit(R"(\w+|[^\w\s]+)"), KnownSplit::kNone);
  EXPECT_EQ(IdentifySplit(std::string(kGpt2Regex) + "|x"), KnownSplit::kNone);
}

TEST(HfSplitRegex, HandPickedCases) {
  const std::string_view text = "Hello world's 123  x\n\n y!!";
  EXPECT_EQ(Cut(text, Gpt2Matches(text, CompiledSplit(KnownSplit::kGpt2))),
            (std::vector<std::string>{"Hello", " world", "'s", " 123", " ", " x", "\n\n", " y", "!!"}));
  EXPECT_EQ(Cut(text, KnownSplitMatches(KnownSplit::kCl100k, text, CompiledSplit(KnownSplit::kCl100k))),
            (std::vector<std::string>{"Hello", " world", "'s", " ", "123", " ", " x", "\n\n", " y", "!!"}));
  for (const KnownPattern& k : kKnown) {
    for (const char* t :
         {"", " ", "  ", "a", " a", "a ", "'s", "'S", "'Re", "'", "''s", " 's", "'re'", "'ll've'd'm't", "x'", "don't",
          "I'M", "\n", " \n", "\n ", "\n x", " \t x", "\t\tx", "   x", "12.5%", " 1 2  3   ", "1234567", "a1b2",
          "$$ $ !", "!abc", "!!abc", "a!\n\nb", " !\r\n", "\x01\x1f\x7f \x0b\x0c", "end  ", "end \n", " \n \n ",
          "caf\xC3\xA9 au lait", "x\xC2\xA0y", "a \xC2\xA0 b", "\xC2\x85x", "\xE3\x80\x80 x", "\xD9\xA3\xD9\xA4 12",
          "12\xD9\xA3", "it\xE2\x80\x99s", "'\xC5\xBF", "\xF0\x9F\x98\x80 ok", " \xE6\x97\xA5\xE6\x9C\xAC",
          " \xE2\x80\x94 x", "!\xC3\xA9"}) {
      ExpectSameAsRegex(k.kind, t);
    }
  }
}

TEST(HfSplitRegex, AsciiMatchesNeedNoRegexAndOthersDefer) {
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kGpt2, "hello world", 0), 5u);
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kGpt2, "hello world", 5), 11u);
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kGpt2, "caf\xC3\xA9", 0), 0u);  // "\xC3\xA9" may continue the letters
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kGpt2, " \xC3\xA9", 0), 0u);
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kGpt2, "  \xC2\xA0", 0), 0u);  // U+00A0 is \s: the run may go on
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kCl100k, "12345", 0), 3u);
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kQwen, "12345", 0), 1u);
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kCl100k, "12\xD9\xA3", 0), 0u);  // an Arabic-Indic digit may be the third
  EXPECT_EQ(AsciiMatchEnd(KnownSplit::kNone, "abc", 0), 0u);
}

TEST(HfSplitRegex, RandomTextMatchesTheRegex) {
  const std::vector<std::string> pieces = {
      " ", " ", "  ", "\n", "\t", "\r\n", "\r", "\x0b", "\x0c", "'", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d",
      "'S", "'RE", "'Ll", "a", "Z", "word", "x", "0", "42", "12345", "!", ".", ",", "--", "$", "_", "/", "\x01",
      "\x1c", "\x7f", "\xC3\xA9", "\xC2\xA0", "\xC2\x85", "\xE3\x80\x80", "\xE2\x80\x83", "\xD9\xA3", "\xE2\x85\xA0",
      "\xE6\x97\xA5", "\xF0\x9F\x98\x80", "\xE2\x80\x99", "\xCC\x81", "\xC5\xBF", "\xE2\x80\x94"};
  std::mt19937_64 rng(17);
  for (const KnownPattern& k : kKnown) {
    for (int round = 0; round < 3000; ++round) {
      std::string text;
      for (int n = static_cast<int>(rng() % 40); n > 0; --n) text += pieces[rng() % pieces.size()];
      ExpectSameAsRegex(k.kind, text);
    }
    for (int round = 0; round < 3000; ++round) {  // any ASCII byte at all
      std::string text;
      for (int n = static_cast<int>(rng() % 30); n > 0; --n) text += static_cast<char>(rng() % 128);
      ExpectSameAsRegex(k.kind, text);
    }
  }
}

TEST(HfSplitRegex, APatternFromJsonUsesTheMatcher) {
  const Pattern p = Pattern::FromJson(nlohmann::json{{"Regex", std::string(kCl100kRegex)}}, "pattern");
  const std::string text = "I'M here:\r\n  1234 caf\xC3\xA9!";
  EXPECT_EQ(Cut(text, p.FindAll(text)), Cut(text, CompiledSplit(KnownSplit::kCl100k).FindAll(text)));
}

}  // namespace
}  // namespace bench::hf
