// Normalizer behaviour; expected strings were produced by Hugging Face tokenizers 0.23
// (Node binding, normalizeString) for the same inputs.

#include "tokenizer/hf/normalizer.h"

#include <gtest/gtest.h>

#include "tokenizer/hf/json.h"

namespace bench::hf {
namespace {

using nlohmann::json;

std::string Normalized(const json& config, std::string text) {
  MakeNormalizer(config, "normalizer")->Normalize(text);
  return text;
}

TEST(HfNormalizer, UnicodeForms) {
  EXPECT_EQ(Normalized(json{{"type", "NFKC"}}, "\ufb01 \u2460\uff12 \u212b"), "fi 12 \u00c5");
  EXPECT_EQ(Normalized(json{{"type", "NFC"}}, "e\u0301 A\u030a"), "\u00e9 \u00c5");
  EXPECT_EQ(Normalized(json{{"type", "NFD"}}, "\u00e9"), "e\u0301");
  EXPECT_EQ(Normalized(json{{"type", "NFC"}}, "plain ascii"), "plain ascii");
}

TEST(HfNormalizer, LowercaseIsPerCharacterFullMapping) {
  // İ lowercases to "i̇" (two code points); a final Σ stays σ (no context rule).
  EXPECT_EQ(Normalized(json{{"type", "Lowercase"}}, "H\u00c9LLO \u0130\u03a3 \u03a3\u0391\u03a3"),
            "h\u00e9llo i\u0307\u03c3 \u03c3\u03b1\u03c3");
}

TEST(HfNormalizer, StripReplacePrepend) {
  EXPECT_EQ(Normalized(json{{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}}, " \t hi there \u3000"), "hi there");
  EXPECT_EQ(Normalized(json{{"type", "Strip"}, {"strip_left", true}, {"strip_right", false}}, "  hi  "), "hi  ");
  EXPECT_EQ(Normalized(json{{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\u2581"}}, "a b  c"),
            "a\u2581b\u2581\u2581c");
  EXPECT_EQ(Normalized(json{{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", " "}}, "a b    c"), "a b c");
  EXPECT_EQ(Normalized(json{{"type", "Prepend"}, {"prepend", "\u2581"}}, "x"), "\u2581x");
  EXPECT_EQ(Normalized(json{{"type", "Prepend"}, {"prepend", "\u2581"}}, ""), "");
}

TEST(HfNormalizer, SequenceAndStripAccents) {
  const json seq{{"type", "Sequence"},
                 {"normalizers", json::array({json{{"type", "NFKC"}}, json{{"type", "Lowercase"}},
                                              json{{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "_"}},
                                              json{{"type", "Prepend"}, {"prepend", "#"}}})}};
  EXPECT_EQ(Normalized(seq, "\uff21\uff22 C"), "#ab_c");
  const json accents{{"type", "Sequence"}, {"normalizers", json::array({json{{"type", "NFD"}}, json{{"type", "StripAccents"}}})}};
  EXPECT_EQ(Normalized(accents, "caf\u00e9 na\u00efve"), "cafe naive");
}

TEST(HfNormalizer, UnsupportedTypeNamesTheField) {
  try {
    MakeNormalizer(json{{"type", "Sequence"}, {"normalizers", json::array({json{{"type", "Precompiled"}}})}}, "normalizer");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "field 'normalizer.normalizers[0].type': unsupported normalizer 'Precompiled'");
  }
}

}  // namespace
}  // namespace bench::hf
