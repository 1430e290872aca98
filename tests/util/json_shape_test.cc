#include "util/json_shape.h"

#include <random>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "util/json_scan.h"

namespace bench {
namespace {

const std::string kChunk = R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":" tok"},"n":1}]})";

std::string ContentOf(std::string_view text, JsonShape::Span s) { return std::string(text.substr(s.begin, s.end - s.begin)); }

TEST(JsonShapeTest, FindsTheOneStringThatChanged) {
  JsonShape shape;
  shape.RememberAllStrings(kChunk);
  const std::string longer = R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":" token!"},"n":1}]})";
  auto m = shape.Match(longer);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(ContentOf(longer, *m), " token!");
  const std::string empty = R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":""},"n":1}]})";
  m = shape.Match(empty);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(ContentOf(empty, *m), "");
  const std::string id = R"({"id":"xyz","object":"chat.completion.chunk","choices":[{"delta":{"content":" tok"},"n":1}]})";
  m = shape.Match(id);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(ContentOf(id, *m), "xyz");
  // The same text: its first string.
  m = shape.Match(kChunk);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(ContentOf(kChunk, *m), "id");
}

TEST(JsonShapeTest, RefusesChangesOutsideOneString) {
  JsonShape shape;
  shape.RememberAllStrings(kChunk);
  for (const char* other : {
           R"({"id":"d","object":"chat.completion.chunk","choices":[{"delta":{"content":" to"},"n":1}]})",  // two strings
           R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":" tok"},"n":2}]})",  // a number
           R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":" tok"},"n":1}]} )",  // after it
           R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":" tok"}}]})",  // a member less
           R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":null},"n":1}]})",
           "",
       }) {
    EXPECT_FALSE(shape.Match(other).has_value()) << other;
  }
  shape.Forget();
  EXPECT_FALSE(shape.Match(kChunk).has_value());
}

TEST(JsonShapeTest, RememberCopyWatchesOneSpanAndOwnsItsText) {
  JsonShape shape;
  {
    std::string temp = kChunk;
    const size_t begin = temp.find(" tok");
    shape.RememberCopy(temp, {begin, begin + 4});
    temp.assign(temp.size(), 'x');  // the shape keeps its own copy
  }
  const std::string other = R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":"é"},"n":1}]})";
  const auto m = shape.Match(other);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(ContentOf(other, *m), "é");
  // Another string changed: not the watched one.
  EXPECT_FALSE(shape.Match(R"({"id":"x","object":"chat.completion.chunk","choices":[{"delta":{"content":" tok"},"n":1}]})"));
}

// Match cannot tell a changed string from new members written where the string was: the
// caller's check of the new content (StaysOneString, then validation) is what makes it exact.
TEST(JsonShapeTest, NewMembersInsideTheSpanAreCaughtByTheContentCheck) {
  JsonShape shape;
  const std::string a = R"({"a":"x","b":"y"})";
  shape.RememberAllStrings(a);
  const std::string b = R"({"a":"q","z":"w","b":"y"})";
  ASSERT_TRUE(IsJsonText(b));
  const auto m = shape.Match(b);
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(StaysOneString(ContentOf(b, *m)));
  EXPECT_TRUE(StaysOneString(R"(a\"b\\)"));
  EXPECT_FALSE(StaysOneString(R"(ab\)"));
  EXPECT_FALSE(StaysOneString(R"(a\\")"));
  EXPECT_TRUE(StaysOneString(""));
}

// The property the stream check relies on: when Match finds a span whose new content stays one
// string and is a valid string by itself, the whole new text is valid JSON. Checked on random
// rewrites of each string of a template (quotes, backslashes, braces, control and high bytes).
TEST(JsonShapeTest, AMatchWithAValidStringIsAValidText) {
  const std::string tpl = R"({"id":"c","o":"x","choices":[{"delta":{"content":"ab"},"n":[1,"q"]}],"e":""})";
  ASSERT_TRUE(IsJsonText(tpl));
  JsonShape shape;
  shape.RememberAllStrings(tpl);
  const std::string alphabet = std::string("ab\"\\{}[],:u0dD8e \n") + '\x01' + "\xc3\xa9\xff";
  std::mt19937 rng(7);
  int matched = 0;
  int valid_by_content = 0;
  for (int i = 0; i < 20000; ++i) {
    // Replace a random stretch of the template with random bytes.
    const size_t at = rng() % tpl.size();
    const size_t len = rng() % 4;
    std::string repl;
    for (size_t k = rng() % 6; k > 0; --k) repl += alphabet[rng() % alphabet.size()];
    std::string text = tpl;
    text.replace(at, std::min(len, tpl.size() - at), repl);
    const auto m = shape.Match(text);
    if (!m) continue;
    ++matched;
    const std::string content = ContentOf(text, *m);
    if (!StaysOneString(content) || !IsJsonText("\"" + content + "\"")) continue;
    ++valid_by_content;
    EXPECT_TRUE(IsJsonText(text)) << text;
  }
  EXPECT_GT(matched, 1000);
  EXPECT_GT(valid_by_content, 500);
}

TEST(JsonShapeTest, MatchChangeTellsWhichStringChangedOrThatNoneDid) {
  JsonShape shape;
  shape.RememberAllStrings(kChunk);
  const auto same = shape.MatchChange(kChunk);
  ASSERT_TRUE(same.has_value());
  EXPECT_TRUE(same->identical);
  const std::string longer = R"({"id":"c","object":"chat.completion.chunk","choices":[{"delta":{"content":" token!"},"n":1}]})";
  const auto changed = shape.MatchChange(longer);
  ASSERT_TRUE(changed.has_value());
  EXPECT_FALSE(changed->identical);
  EXPECT_EQ(ContentOf(longer, changed->span), " token!");
  // Strings in order: id, "c", object, "chat.completion.chunk", choices, delta, content, " tok".
  EXPECT_EQ(changed->index, 7u);
  EXPECT_EQ(shape.SpanStartingAt(kChunk.find(" tok")), std::optional<size_t>(7));
  EXPECT_EQ(shape.SpanStartingAt(kChunk.find("id")), std::optional<size_t>(0));
  EXPECT_FALSE(shape.SpanStartingAt(kChunk.find(" tok") + 1).has_value());
  EXPECT_FALSE(shape.MatchChange(R"({"id":"c"})").has_value());
}

}  // namespace
}  // namespace bench
