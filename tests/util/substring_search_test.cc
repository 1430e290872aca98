#include "util/substring_search.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(SubstringSearchTest, FindsTheNeedleAtEveryPlace) {
  const std::string needle = "\"timings\"";
  for (size_t len = 0; len < 70; ++len) {
    for (size_t at = 0; at + needle.size() <= len; ++at) {
      std::string text(len, '"');
      text.replace(at, needle.size(), needle);
      EXPECT_TRUE(ContainsSubstring(text, needle)) << len << " " << at;
      text[at + needle.size() - 1] = 'x';  // one byte off: gone
      EXPECT_FALSE(ContainsSubstring(text, needle)) << len << " " << at;
    }
  }
  EXPECT_FALSE(ContainsSubstring("", "abc"));
  EXPECT_TRUE(ContainsSubstring("xab", "ab"));  // short needles too
}

// Against std::string_view::find on random texts over a small alphabet (so that near misses
// and overlapping starts are common).
TEST(SubstringSearchTest, AgreesWithFind) {
  std::mt19937 rng(11);
  const std::string alphabet = "\"erro";
  for (int round = 0; round < 20000; ++round) {
    std::string text(rng() % 80, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    const std::string needle = round % 2 ? "\"error\"" : "rro";
    EXPECT_EQ(ContainsSubstring(text, needle), text.find(needle) != std::string::npos) << text;
    // Other anchor bytes, the first and last included; bad ones fall back to a plain search.
    const size_t first = rng() % needle.size();
    const size_t second = rng() % needle.size();
    EXPECT_EQ(ContainsSubstring(text, needle, first, second), text.find(needle) != std::string::npos) << text;
  }
}

}  // namespace
}  // namespace bench
