// BpeModel's word split: a long SentencePiece-style piece ("▁a▁b▁c...") is encoded word by word
// only when the merges make that exact, and then gives the ids of the whole-piece merge.

#include "tokenizer/hf/bpe.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/default_tokenizer.h"

namespace bench::hf {
namespace {

const std::string kMark = "\xE2\x96\x81";  // "▁"

using Merges = std::vector<std::pair<std::string, std::string>>;

// Every merge's left+right joins the vocabulary after the given base tokens, in merge order.
BpeModel MakeModel(std::vector<std::string> tokens, const Merges& merges, BpeOptions options) {
  for (const auto& [l, r] : merges) tokens.push_back(l + r);
  Vocab vocab;
  int32_t next = 0;
  for (const std::string& t : tokens) {
    if (vocab.Find(t) < 0) vocab.Add(t, next++);
  }
  return BpeModel(std::move(vocab), merges, std::move(options));
}

BpeOptions WithUnk() {
  BpeOptions o;
  o.unk_token = "<unk>";
  return o;
}

// A text of `words` words over a, b, c and the unknown x, each led by one to three "▁".
std::string RandomPiece(std::mt19937_64& rng, int words) {
  static const char* const kChars[] = {"a", "b", "c", "x"};
  std::string s;
  for (int w = 0; w < words; ++w) {
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) s += kMark;
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) s += kChars[rng() % 4];
  }
  return s;
}

std::string Hex(std::string_view s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    std::snprintf(buf, sizeof buf, "%02X ", c);
    out += buf;
  }
  return out;
}

std::vector<int32_t> Split(const BpeModel& m, std::string_view piece) {
  std::vector<int32_t> ids;
  m.Tokenize(piece, ids);
  return ids;
}

std::vector<int32_t> Unsplit(const BpeModel& m, std::string_view piece) {
  std::vector<int32_t> ids;
  m.TokenizeUnsplit(piece, ids);
  return ids;
}

// Ranks chosen so that the whole-piece order interleaves words: "▁▁" and "ab" merge before the
// word-start merges, and "▁▁a" competes with "▁a".
const Merges kSafeMerges = {{"a", "b"}, {kMark, kMark}, {"b", "c"},   {kMark, "a"},  {kMark + kMark, "a"},
                            {"c", "a"}, {kMark, "ab"},  {"ab", "c"},  {kMark + "a", "b"}, {kMark + "ab", "c"}};
const std::vector<std::string> kBase = {"<unk>", kMark, "a", "b", "c"};

TEST(HfBpe, SplitIsOnAndExactWhenNoMergeCrossesAWordStart) {
  const BpeModel m = MakeModel(kBase, kSafeMerges, WithUnk());
  EXPECT_TRUE(m.SplitsWords());
  std::mt19937_64 rng(1);
  for (int i = 0; i < 500; ++i) {
    const std::string piece = RandomPiece(rng, 1 + static_cast<int>(rng() % 120));  // up to ~1 KB
    ASSERT_EQ(Split(m, piece), Unsplit(m, piece)) << piece;
    ASSERT_EQ(Split(m, piece), Unsplit(m, piece)) << "cached: " << piece;
  }
}

TEST(HfBpe, AMergeAcrossAWordStartTurnsTheSplitOff) {
  // "c▁" ends in "c" and begins a right side with "▁": joining it would span the cut before "▁".
  Merges merges = kSafeMerges;
  merges.insert(merges.begin(), {"c", kMark});
  const BpeModel m = MakeModel(kBase, merges, WithUnk());
  EXPECT_FALSE(m.SplitsWords());
  const int32_t c_mark = m.TokenToId("c" + kMark).value();
  std::string piece;
  for (int i = 0; i < 100; ++i) piece += kMark + "abc";
  const std::vector<int32_t> ids = Split(m, piece);
  EXPECT_EQ(ids, Unsplit(m, piece));
  EXPECT_NE(std::find(ids.begin(), ids.end(), c_mark), ids.end()) << "the merge across words applies";
  std::mt19937_64 rng(2);
  for (int i = 0; i < 200; ++i) {
    const std::string p = RandomPiece(rng, 1 + static_cast<int>(rng() % 120));
    ASSERT_EQ(Split(m, p), Unsplit(m, p)) << p;
  }
}

TEST(HfBpe, OptionsThatBreakTheArgumentTurnTheSplitOff) {
  EXPECT_TRUE(MakeModel(kBase, kSafeMerges, WithUnk()).SplitsWords());
  // Without an unk token (and no byte fallback) "x" is dropped, so a word can end in "▁".
  EXPECT_FALSE(MakeModel(kBase, kSafeMerges, BpeOptions{}).SplitsWords());
  BpeOptions prefix = WithUnk();
  prefix.continuing_subword_prefix = "##";
  std::vector<std::string> prefixed = kBase;
  for (const char* t : {"##a", "##b", "##c", "##" "\xE2\x96\x81"}) prefixed.push_back(t);
  EXPECT_FALSE(MakeModel(prefixed, {}, prefix).SplitsWords());
  BpeOptions suffix = WithUnk();
  suffix.end_of_word_suffix = "</w>";
  EXPECT_FALSE(MakeModel(kBase, {}, suffix).SplitsWords());
  BpeOptions mark_unk;
  mark_unk.unk_token = "<unk>" + kMark;
  EXPECT_FALSE(MakeModel({"<unk>" + kMark, kMark, "a"}, {}, mark_unk).SplitsWords());
  // "▁" itself unknown: the word start would be a byte or an unk token, fusing with others.
  EXPECT_FALSE(MakeModel({"<unk>", "a", "b"}, {{"a", "b"}}, WithUnk()).SplitsWords());
  // Two tokens with one id: a symbol's text would not follow from its id.
  Vocab shared;
  for (const char* t : {"<unk>", "\xE2\x96\x81", "a", "\xE2\x96\x81" "a"}) shared.Add(t, static_cast<int32_t>(shared.size()));
  shared.Add("b", 2);
  EXPECT_FALSE(BpeModel(std::move(shared), {{kMark, "a"}}, WithUnk()).SplitsWords());
}

TEST(HfBpe, DroppedCharactersStayExactWithTheSplitOff) {
  // "▁x▁a": with "x" dropped the whole piece merges "▁" + "▁a"; cut before the second "▁", it
  // could not. The split is off for such a model, so the ids stay those of the whole piece.
  const BpeModel m = MakeModel(kBase, kSafeMerges, BpeOptions{});
  EXPECT_FALSE(m.SplitsWords());
  std::mt19937_64 rng(3);
  for (int i = 0; i < 200; ++i) {
    const std::string p = RandomPiece(rng, 1 + static_cast<int>(rng() % 120));
    ASSERT_EQ(Split(m, p), Unsplit(m, p)) << p;
  }
}

TEST(HfBpe, IgnoreMergesLooksAtTheWholePieceOnly) {
  // "▁ca" is a token that BPE does not reach from its characters ("ca" merges first, and "▁"
  // does not merge with "ca"): a whole piece "▁ca" is that token, a word "▁ca" inside a longer
  // piece is not.
  BpeOptions o = WithUnk();
  o.ignore_merges = true;
  std::vector<std::string> base = kBase;
  base.push_back(kMark + "ca");
  const BpeModel m = MakeModel(base, kSafeMerges, o);
  ASSERT_TRUE(m.SplitsWords());
  const int32_t mark_ca = m.TokenToId(kMark + "ca").value();
  EXPECT_EQ(Split(m, kMark + "ca"), (std::vector<int32_t>{mark_ca}));
  std::string longer;
  for (int i = 0; i < 80; ++i) longer += kMark + "ab" + kMark + "ca";
  const std::vector<int32_t> ids = Split(m, longer);
  EXPECT_EQ(ids, Unsplit(m, longer));
  EXPECT_EQ(std::find(ids.begin(), ids.end(), mark_ca), ids.end());
}

// --- The built-in (Mistral-7B) model ----------------------------------------------------------

std::unique_ptr<BpeModel> BuiltinModel() {
  const nlohmann::json j = nlohmann::json::parse(DefaultTokenizerJson());
  return BpeModel::FromJson(j.at("model"), "model");
}

// The built-in normalizer: Prepend "▁", Replace " " → "▁".
std::string Normalize(std::string_view text) {
  std::string s = kMark;
  for (char c : text) {
    if (c == ' ') {
      s += kMark;
    } else {
      s += c;
    }
  }
  return s;
}

TEST(HfBpe, BuiltinModelSplitsWordsWithTheSameIds) {
  const auto m = BuiltinModel();
  ASSERT_TRUE(m->SplitsWords()) << "Mistral-7B's merges never join across a word start";
  // Common words, numbers, punctuation, a literal "▁", CJK, emoji and rare scripts (byte fallback),
  // combining marks, tabs and newlines.
  const std::vector<std::string> words = {
      "the", "model", "answered", "quickly", ",", "and", ".", "We", "tokenization", "don't", "I'm",
      "2024", "3.14159", "-", "--", "(x)", "\"quoted\"", "http://example.com/a?b=c", "\xE2\x96\x81",
      "\xE2\x96\x81\xE2\x96\x81x", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "\xF0\x9F\x98\x80",
      "\xF0\x9F\xA7\xAA\xF0\x9F\xA7\xAA", "\xE1\x9A\xA0\xE1\x9B\x87", "e\xCC\x81", "\xC3\xA9t\xC3\xA9",
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", "\t", "\n", "a\nb", "zzqx", "Ω≈ç√",
      "\xEA\xB0\x80\xEB\x82\x98", "<s>", "</s>", "<0x41>", "\xE2\x80\x94"};
  std::mt19937_64 rng(4);
  size_t long_pieces = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 150);
    if (rng() % 4 == 0) text += std::string(1 + rng() % 3, ' ');
    for (int w = 0; w < n; ++w) {
      if (w > 0) text += std::string(rng() % 5 == 0 ? 1 + rng() % 4 : (rng() % 7 == 0 ? 0 : 1), ' ');
      text += words[rng() % words.size()];
    }
    if (rng() % 4 == 0) text += std::string(1 + rng() % 3, ' ');
    const std::string piece = Normalize(text);
    long_pieces += piece.size() > 256;
    ASSERT_EQ(Split(*m, piece), Unsplit(*m, piece)) << text;
  }
  EXPECT_GT(long_pieces, 500u);
  // The whole tokenizer takes the same path: its ids equal the unsplit merge of the normalized text.
  const std::string text = "the  model answered   quickly, \xF0\x9F\x98\x80 and then it stopped generating.";
  std::string repeated;
  for (int i = 0; i < 20; ++i) repeated += text;
  EXPECT_EQ(DefaultTokenizer().Encode(repeated), Unsplit(*m, Normalize(repeated)));
}

TEST(HfBpe, BuiltinModelSplitIsExactOnIllFormedBytes) {
  // Model::Tokenize is promised valid UTF-8, but the cut must still fall where MergeWord steps:
  // lead bytes before a "▁" swallow it, stray continuation bytes do not.
  const auto m = BuiltinModel();
  const std::vector<std::string> parts = {kMark, kMark, kMark, "a", "the", "\xF0", "\xE2", "\xE2\x96", "\x81", "\x96",
                                          "\xC3", "\xFF", "\xF0\x9F", "\xE6\x97\xA5", "x"};
  std::mt19937_64 rng(5);
  for (int i = 0; i < 1000; ++i) {
    std::string piece;
    for (int k = 1 + static_cast<int>(rng() % 300); k > 0; --k) piece += parts[rng() % parts.size()];
    ASSERT_EQ(Split(*m, piece), Unsplit(*m, piece)) << Hex(piece);
  }
}

}  // namespace
}  // namespace bench::hf
