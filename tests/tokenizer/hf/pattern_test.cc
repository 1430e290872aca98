// Pattern::ReplaceAll's literal fast paths (one byte replaced without a branch per byte, or a find
// loop) against ReplaceAllBySpans, the general path over FindAll's matches: any divergence on
// edge cases or random bytes fails.

#include "tokenizer/hf/pattern.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace bench::hf {
namespace {

const std::string kPatternMark = "\xE2\x96\x81";  // "▁", what SentencePiece normalizers put for " "

void ExpectSameReplace(const Pattern& p, std::string_view text, std::string_view content) {
  ASSERT_EQ(p.ReplaceAll(text, content), p.ReplaceAllBySpans(text, content))
      << "text '" << text << "' content '" << content << "'";
}

// Literals and contents covering the fast path's limits: one byte to none, to itself, to up to
// eight bytes and to nine (the find loop), and multi-byte literals.
const std::vector<std::string> kReplaceLiterals = {" ", "a", "\xE2", "\x00", kPatternMark, "ab", "  "};
const std::vector<std::string> kReplaceContents = {"", " ", "x", kPatternMark, "12345678", "123456789", "aa", "a"};

TEST(HfPattern, LiteralReplaceMatchesTheGeneralPathOnEdgeCases) {
  const std::vector<std::string> texts = {
      "",
      " ",
      "     ",
      "a",
      "hello world",
      " leading and trailing ",
      "  double  spaces  ",
      "no-spaces-at-all",
      kPatternMark,
      " " + kPatternMark + " " + kPatternMark + " ",
      "caf\xC3\xA9 na\xC3\xAFve \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 ",  // 2-, 3- and 4-byte UTF-8
      "\xE2\x96 \x81\xFF \xC3",                                                // invalid UTF-8
      std::string("nul\0byte \0", 10),
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "ab ab  abab a b",
  };
  for (const std::string& lit : kReplaceLiterals) {
    const Pattern p = Pattern::Literal(lit);
    for (const std::string& text : texts) {
      for (const std::string& content : kReplaceContents) ExpectSameReplace(p, text, content);
    }
  }
}

TEST(HfPattern, LiteralReplaceMatchesTheGeneralPathOnRandomText) {
  // Bytes drawn mostly from the literals' own bytes so matches are dense, plus any byte at all.
  const std::string alphabet = std::string(" a b\xE2\x96\x81\x00", 8);
  std::mt19937_64 rng(3);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t n = rng() % 80;
    for (size_t i = 0; i < n; ++i) {
      text += rng() % 8 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    const Pattern p = Pattern::Literal(kReplaceLiterals[rng() % kReplaceLiterals.size()]);
    ExpectSameReplace(p, text, kReplaceContents[rng() % kReplaceContents.size()]);
  }
}

TEST(HfPattern, ReplacesAtBothEndsAndKeepsTheRest) {
  const Pattern space = Pattern::Literal(" ");
  EXPECT_EQ(space.ReplaceAll(" a b ", kPatternMark), kPatternMark + "a" + kPatternMark + "b" + kPatternMark);
  EXPECT_EQ(space.ReplaceAll("", kPatternMark), "");
  EXPECT_EQ(space.ReplaceAll("abc", kPatternMark), "abc");
  EXPECT_EQ(space.ReplaceAll("   ", ""), "");
  EXPECT_EQ(Pattern::Literal(kPatternMark).ReplaceAll(kPatternMark + "a" + kPatternMark, " "), " a ");
  // A 1 KB text: the output is sized exactly, with no stray bytes past the end.
  std::string big, expected;
  for (int i = 0; i < 200; ++i) {
    big += "word ";
    expected += "word" + kPatternMark;
  }
  const std::string out = space.ReplaceAll(big, kPatternMark);
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.size(), expected.size());
}

TEST(HfPattern, RegexReplaceIsTheGeneralPath) {
  std::string error;
  nlohmann::json j = {{"Regex", " +"}};
  const Pattern p = Pattern::FromJson(j, "pattern");
  EXPECT_EQ(p.ReplaceAll("a  b c", "_"), "a_b_c");
  EXPECT_EQ(p.ReplaceAll("a  b c", "_"), p.ReplaceAllBySpans("a  b c", "_"));
}

}  // namespace
}  // namespace bench::hf
