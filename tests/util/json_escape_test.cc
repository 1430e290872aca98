#include "util/json_escape.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "json_escape_reference.h"

namespace bench {
namespace {

// Every path this CPU can run: the plain loop always, the vector ones when present.
std::vector<JsonEscapeSimd> Paths() {
  std::vector<JsonEscapeSimd> paths = {JsonEscapeSimd::kNone};
  const JsonEscapeSimd best = BestJsonEscapeSimd();
  if (best >= JsonEscapeSimd::kSsse3) paths.push_back(JsonEscapeSimd::kSsse3);
  if (best >= JsonEscapeSimd::kAvx512) paths.push_back(JsonEscapeSimd::kAvx512);
  return paths;
}

std::string Escaped(std::string_view s, JsonEscapeSimd simd) {
  ByteBuffer out;
  out += "<";  // escaping appends after what is there
  detail::AppendEscaped(out, s, simd);
  return std::string(out.view().substr(1));
}

TEST(JsonEscapeTest, AppendsAfterWhatIsThere) {
  ByteBuffer out;
  out += "{\"k\":";
  AppendJsonString(out, "a\"b");
  EXPECT_EQ(out.view(), "{\"k\":\"a\\\"b\"");
}

TEST(JsonEscapeTest, EveryByteAtEveryPositionOfTheBlocks) {
  const std::string sse = "data: {\"choices\":[{\"delta\":{\"content\":\" a\\\\b\\t\"}}]}\n\n";
  for (const JsonEscapeSimd simd : Paths()) {
    EXPECT_EQ(Escaped("", simd), "\"\"");
    EXPECT_EQ(Escaped(sse, simd), test::ReferenceJsonEscape(sse));
    for (int c = 0; c < 256; ++c) {
      const std::string byte(1, static_cast<char>(c));
      // Each position within and across the 32-, 16- and 8-byte steps and the bytes left over.
      for (size_t at = 0; at < 100; ++at) {
        const std::string text = std::string(at, 'a') + byte + std::string(20, 'b') + "\"\\" + byte;
        ASSERT_EQ(Escaped(text, simd), test::ReferenceJsonEscape(text))
            << "path " << static_cast<int>(simd) << " byte " << c << " at " << at;
      }
    }
  }
}

// Texts dense in escapes (a \u00XX control stops the vector steps mid-string), at every length
// up to a few blocks.
TEST(JsonEscapeTest, RandomTextsOnEveryPath) {
  std::mt19937 rng(11);
  const std::string alphabet = std::string("a \"\\\n\t\r\x01\x1f\x7f\xc3\xa9", 13);
  for (int round = 0; round < 4000; ++round) {
    std::string text(rng() % 160, 'a');
    // Mostly plain text (as SSE chunks are) or mostly escapes.
    const bool dense = round % 2 == 0;
    for (char& c : text) c = dense || rng() % 8 == 0 ? alphabet[rng() % alphabet.size()] : 'x';
    const std::string expected = test::ReferenceJsonEscape(text);
    for (const JsonEscapeSimd simd : Paths()) {
      ASSERT_EQ(Escaped(text, simd), expected) << "path " << static_cast<int>(simd) << " round " << round;
    }
  }
}

}  // namespace
}  // namespace bench
