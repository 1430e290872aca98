// Pre-tokenizer behaviour; expected pieces were produced by Hugging Face tokenizers 0.23
// (Node binding, preTokenizeString) for the same inputs.

#include "tokenizer/hf/pre_tokenizer.h"

#include <gtest/gtest.h>

#include "tokenizer/hf/json.h"

namespace bench::hf {
namespace {

using nlohmann::json;

std::vector<std::string> Pieces(const json& config, const std::string& text) {
  auto pre = MakePreTokenizer(config, "pre_tokenizer");
  std::vector<Piece> pieces{Piece{text, true}};
  pre->PreTokenize(pieces);
  std::vector<std::string> out;
  for (const auto& p : pieces) out.push_back(p.text);
  return out;
}

json SplitDash(const std::string& behavior, bool invert) {
  return json{{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior}, {"invert", invert}};
}

using V = std::vector<std::string>;

TEST(HfPreTokenizer, SplitBehaviours) {
  const std::string s = "a--b---c-";
  EXPECT_EQ(Pieces(SplitDash("Removed", false), s), (V{"a", "b", "c"}));
  EXPECT_EQ(Pieces(SplitDash("Removed", true), s), (V{"-", "-", "-", "-", "-", "-"}));
  EXPECT_EQ(Pieces(SplitDash("Isolated", false), s), (V{"a", "-", "-", "b", "-", "-", "-", "c", "-"}));
  EXPECT_EQ(Pieces(SplitDash("MergedWithPrevious", false), s), (V{"a-", "-", "b-", "-", "-", "c-"}));
  EXPECT_EQ(Pieces(SplitDash("MergedWithPrevious", true), s), (V{"a", "-", "-b", "-", "-", "-c", "-"}));
  EXPECT_EQ(Pieces(SplitDash("MergedWithNext", false), s), (V{"a", "-", "-b", "-", "-", "-c", "-"}));
  EXPECT_EQ(Pieces(SplitDash("MergedWithNext", true), s), (V{"a-", "-", "b-", "-", "-", "c-"}));
  EXPECT_EQ(Pieces(SplitDash("Contiguous", false), s), (V{"a", "--", "b", "---", "c", "-"}));
  EXPECT_EQ(Pieces(SplitDash("Contiguous", true), s), (V{"a", "--", "b", "---", "c", "-"}));
}

TEST(HfPreTokenizer, SplitRegexIsOniguruma) {
  const json cfg{{"type", "Split"},
                 {"pattern", {{"Regex", R"((?i:'s|'t)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|\s+(?!\S)|\s+)"}}},
                 {"behavior", "Isolated"},
                 {"invert", false}};
  EXPECT_EQ(Pieces(cfg, "IT'S 12345 Ñandú  x"), (V{"IT", "'S", " ", "123", "45", " Ñandú", " ", " x"}));
}

TEST(HfPreTokenizer, Digits) {
  EXPECT_EQ(Pieces(json{{"type", "Digits"}, {"individual_digits", false}}, "abc123de45 \u0663\u0664"),
            (V{"abc", "123", "de", "45", " ", "\u0663\u0664"}));
  EXPECT_EQ(Pieces(json{{"type", "Digits"}, {"individual_digits", true}}, "abc123de45"),
            (V{"abc", "1", "2", "3", "de", "4", "5"}));
}

TEST(HfPreTokenizer, WhitespaceFamilies) {
  EXPECT_EQ(Pieces(json{{"type", "Whitespace"}}, "Hello, world!  how's it_going?"),
            (V{"Hello", ",", "world", "!", "how", "'", "s", "it_going", "?"}));
  EXPECT_EQ(Pieces(json{{"type", "WhitespaceSplit"}}, " a\tb\u00a0c  d "), (V{"a", "b", "c", "d"}));
  EXPECT_EQ(Pieces(json{{"type", "Punctuation"}}, "Hey, you!... \u00bfqu\u00e9?"),
            (V{"Hey", ",", " you", "!", ".", ".", ".", " ", "\u00bf", "qu\u00e9", "?"}));
  EXPECT_EQ(Pieces(json{{"type", "BertPreTokenizer"}}, "Hey, you! \u65e5\u672c"),
            (V{"Hey", ",", "you", "!", "\u65e5\u672c"}));
}

TEST(HfPreTokenizer, Metaspace) {
  const auto meta = [](const std::string& scheme, bool split) {
    return json{{"type", "Metaspace"}, {"replacement", "\u2581"}, {"prepend_scheme", scheme}, {"split", split}};
  };
  EXPECT_EQ(Pieces(meta("first", true), "Hey  friend! how"),
            (V{"\u2581Hey", "\u2581", "\u2581friend!", "\u2581how"}));
  EXPECT_EQ(Pieces(meta("always", false), "Hey friend"), (V{"\u2581Hey\u2581friend"}));
  EXPECT_EQ(Pieces(meta("never", true), "Hey friend"), (V{"Hey", "\u2581friend"}));
  // "first" prepends only to text at the start of the input (not after an added token).
  auto pre = MakePreTokenizer(meta("first", false), "p");
  std::vector<Piece> pieces{Piece{"later", false}};
  pre->PreTokenize(pieces);
  EXPECT_EQ(pieces[0].text, "later");
}

TEST(HfPreTokenizer, ByteLevel) {
  EXPECT_EQ(Pieces(json{{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}}, "Hello world's 123 \u00f1!!"),
            (V{"\u0120Hello", "\u0120world", "'s", "\u0120123", "\u0120\u00c3\u00b1", "!!"}));
  EXPECT_EQ(Pieces(json{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}, "Hello world"),
            (V{"Hello\u0120world"}));
}

TEST(HfPreTokenizer, SequenceAndErrors) {
  const json seq{{"type", "Sequence"},
                 {"pretokenizers", json::array({json{{"type", "WhitespaceSplit"}}, json{{"type", "Digits"}, {"individual_digits", true}}})}};
  EXPECT_EQ(Pieces(seq, "ab12 c3"), (V{"ab", "1", "2", "c", "3"}));
  try {
    MakePreTokenizer(json{{"type", "Split"}, {"pattern", {{"Regex", "(unclosed"}}}, {"behavior", "Isolated"}}, "pre_tokenizer");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("pre_tokenizer.pattern.Regex"), std::string::npos) << e.what();
  }
}

TEST(HfSplitSpans, EmptyMatchesAreDropped) {
  EXPECT_EQ(SplitSpans("abc", {{1, 1}}, SplitBehavior::kIsolated, false), (std::vector<Span>{{0, 1}, {1, 3}}));
  EXPECT_TRUE(SplitSpans("", {}, SplitBehavior::kIsolated, false).empty());
}

}  // namespace
}  // namespace bench::hf
