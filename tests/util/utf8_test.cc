// UTF-8 validation at every alignment of the 8/16-byte ASCII skip, the well-formed length with its
// maximal ill-formed subpart (Unicode table 3-7), and the lossy and dropping decoders built on it.

#include "util/utf8.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

// One sequence at a time, no skipping: what IsValidUtf8's fast path must agree with.
bool ValidOneByOne(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = Utf8WellFormedLength(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

const std::vector<std::string> kWellFormed = {"\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xe1\x80\x80", "\xed\x9f\xbf",
                                              "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf3\xbf\xbf\xbf",
                                              "\xf4\x8f\xbf\xbf"};
// Overlongs, surrogates, above U+10FFFF, lone continuation bytes, bytes never in UTF-8, and
// sequences missing a continuation byte.
const std::vector<std::string> kIllFormed = {"\xc0\xaf", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf",
                                             "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\x80", "\xbf", "\xfe", "\xff",
                                             "\xc3" "a", "\xe2\x82" "a", "\xf0\x9f\x98" "a"};

TEST(Utf8Test, WellFormedLengthFollowsTable3_7) {
  EXPECT_EQ(Utf8WellFormedLength("a", 0), 1u);
  for (const std::string& s : kWellFormed) EXPECT_EQ(Utf8WellFormedLength(s, 0), s.size()) << s;
  // Ill-formed: the maximal subpart is what Rust's from_utf8_lossy replaces by one U+FFFD.
  const std::vector<std::pair<std::string, size_t>> subparts = {
      {"\xc0\xaf", 1}, {"\xe0\x9f\xbf", 1}, {"\xed\xa0\x80", 1}, {"\xf4\x90\x80\x80", 1}, {"\x80", 1}, {"\xff", 1},
      {"\xc3", 1},     {"\xe2\x82", 2},     {"\xe2\x82" "a", 2}, {"\xf0\x9f\x98", 3},     {"\xf0\x9f" "a", 2}};
  for (const auto& [s, subpart] : subparts) {
    size_t bad = 0;
    EXPECT_EQ(Utf8WellFormedLength(s, 0, &bad), 0u) << s;
    EXPECT_EQ(bad, subpart) << s;
  }
  EXPECT_EQ(Utf8WellFormedLength("x\xe2\x82\xac", 1), 3u);  // at an index
  EXPECT_EQ(Utf8WellFormedLength("\xe2\x82\xac", 0, nullptr), 3u);
}

// The ASCII skip reads 16 and 8 bytes at a time: every position of a sequence relative to
// those words, after and before runs of ASCII, must give the same answer.
TEST(Utf8Test, IsValidUtf8AtEveryAlignment) {
  for (size_t before = 0; before <= 33; ++before) {
    for (size_t after : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{17}}) {
      const std::string pre(before, 'a'), post(after, 'b');
      for (const std::string& seq : kWellFormed) EXPECT_TRUE(IsValidUtf8(pre + seq + post)) << before << " " << seq;
      for (const std::string& seq : kIllFormed) EXPECT_FALSE(IsValidUtf8(pre + seq + post)) << before << " " << seq;
      // A sequence cut off by the end of the input.
      for (const std::string& seq : kWellFormed) {
        EXPECT_FALSE(IsValidUtf8(pre + post + seq.substr(0, seq.size() - 1))) << before << " " << seq;
      }
    }
  }
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8(std::string(1000, 'x')));
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));  // NUL is ASCII
}

TEST(Utf8Test, IsValidUtf8AgreesWithOneSequenceAtATime) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"a", "abcdefgh", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                           "\x80", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe0\x80"};
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const size_t count = rng() % 12;
    for (size_t k = 0; k < count; ++k) {
      // Mostly valid pieces, so that long valid strings occur too.
      s += pieces[rng() % 8 < 7 ? rng() % 6 : 6 + rng() % 5];
    }
    ASSERT_EQ(IsValidUtf8(s), ValidOneByOne(s)) << ::testing::PrintToString(s);
  }
}

TEST(Utf8Test, LossyReplacesEachMaximalSubpartOnce) {
  EXPECT_EQ(Utf8Lossy("a\xf0\x9f\x98" "b"), "a\xef\xbf\xbd" "b");
  EXPECT_EQ(Utf8Lossy("\xe0\x80"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(Utf8Lossy("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(Utf8Lossy("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(DropInvalidUtf8("a\xff" "b\xe2\x82"), "ab");
}

TEST(Utf8Test, EncodeAndDecodeRoundTrip) {
  for (char32_t cp : {U'\0', U'A', U'\u00e9', U'\u07ff', U'\u0800', U'\u20ac', U'\uffff', U'\U00010000', U'\U0001F600',
                      U'\U0010FFFF'}) {
    std::string s;
    AppendUtf8(s, cp);
    EXPECT_TRUE(IsValidUtf8(s));
    EXPECT_EQ(Utf8WellFormedLength(s, 0), s.size());
    EXPECT_EQ(s.size(), Utf8SequenceLength(static_cast<unsigned char>(s[0])));
    size_t i = 0;
    EXPECT_EQ(NextCodePoint(s, i), cp);
    EXPECT_EQ(i, s.size());
  }
}

}  // namespace
}  // namespace bench
