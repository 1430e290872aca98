// JSON validation and DOM-free lookups: the cases where nlohmann's accept draws the line, strings
// at every alignment of the eight-byte scan, and lookups (scanning and indexed) with duplicates,
// escapes and nesting. tests/fuzz/util/json_scan_fuzz.cc compares both with nlohmann at random.

#include "util/json_scan.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace bench {
namespace {

// Every case here is also checked against nlohmann, so the expectation cannot drift from it;
// both ways of parsing must agree with IsJsonText.
void ExpectAccept(const std::string& text, bool valid) {
  EXPECT_EQ(IsJsonText(text), valid) << text;
  EXPECT_EQ(nlohmann::json::accept(text), valid) << "nlohmann disagrees: " << text;
  EXPECT_EQ(JsonValue::Parse(text).has_value(), valid) << text;
  JsonDocument doc;
  EXPECT_EQ(doc.Parse(text).has_value(), valid) << text;
}

// The string value of `text` by both lookups, checked against nlohmann's.
void ExpectString(const std::string& text) {
  const std::string expected = nlohmann::json::parse(text).get<std::string>();
  JsonDocument doc;
  for (const std::optional<JsonValue>& v : {JsonValue::Parse(text), doc.Parse(text)}) {
    ASSERT_TRUE(v && v->is_string()) << text;
    EXPECT_EQ(v->String(), expected) << text;
    EXPECT_TRUE(v->StringEquals(expected)) << text;
    EXPECT_FALSE(v->StringEquals(expected + "x")) << text;
  }
}

TEST(JsonScanTest, AcceptsValuesOfEveryKind) {
  for (const char* t : {"{}", "[]", "0", "-0", "1.5", "-12.5e+3", "1E-2", "\"\"", "true", "false", "null",
                        " \t\r\n{\"a\" : [1, {\"b\": null}], \"c\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"} ",
                        "[[[[[]]]]]", "\"\\ud83d\\ude00\"", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"",
                        "\xef\xbb\xbf{}", "123456789012345678901234567890", "1e-400"}) {
    ExpectAccept(t, true);
  }
}

TEST(JsonScanTest, RejectsWhatNlohmannRejects) {
  for (const char* t : {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "01", "1.", ".5", "-",
                        "1e", "+1", "tru", "nul", "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"",
                        "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "\"\xc0\xaf\"",
                        "\xef\xbb{}", "{} {}", "[1] x", "NaN", "1e400", "-1e400", "[1e999]", "'a'"}) {
    ExpectAccept(t, false);
  }
  ExpectAccept(std::string("\"a\0b\"", 5), false);
  ExpectAccept(std::string(100000, '[') + std::string(100000, ']'), true);  // no recursion limit
}

// The one deliberate difference from nlohmann, which reads a NUL as the end of input.
TEST(JsonScanTest, NothingMayFollowTheValueNotEvenAfterANul) {
  const std::string text("{\"a\":1} \0junk", 14);
  EXPECT_TRUE(nlohmann::json::accept(text));
  EXPECT_FALSE(IsJsonText(text));
  EXPECT_FALSE(JsonValue::Parse(text));
  EXPECT_FALSE(IsJsonText(std::string("0\0", 2)));
}

TEST(JsonScanTest, MembersFirstElementsAndStrings) {
  const std::optional<JsonValue> v =
      JsonValue::Parse(R"( {"object":"chat.completion.chunk","choices":[{"delta":{"content":"a\nb\u00e9"}}, 2]} )");
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->is_object());
  EXPECT_TRUE(v->Member("object")->StringEquals("chat.completion.chunk"));
  EXPECT_FALSE(v->Member("object")->StringEquals("chat.completion"));
  const std::optional<JsonValue> choices = v->Member("choices");
  ASSERT_TRUE(choices && choices->is_array());
  EXPECT_FALSE(choices->empty());
  EXPECT_EQ(choices->First()->Member("delta")->Member("content")->String(), "a\nb\xc3\xa9");
  EXPECT_FALSE(v->Member("missing"));
  EXPECT_FALSE(choices->Member("object"));  // not an object
  EXPECT_EQ(JsonValue::Parse("[]")->First(), std::nullopt);
  EXPECT_TRUE(JsonValue::Parse(" [ ] ")->empty());
  EXPECT_TRUE(JsonValue::Parse("{ }")->empty());
  EXPECT_EQ(JsonValue::Parse("\"x\"")->raw(), "\"x\"");
  EXPECT_EQ(JsonValue::Parse("{]"), std::nullopt);
}

TEST(JsonScanTest, DuplicateNamesLastWinsAndEscapedNamesMatch) {
  const std::optional<JsonValue> v = JsonValue::Parse(R"({"a":1,"\u0061":"two","b":{"a":3}})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->Member("a")->String(), "two");
  EXPECT_EQ(nlohmann::json::parse(v->raw())["a"], "two");  // nlohmann keeps the last as well
  EXPECT_EQ(v->Member("b")->Member("a")->raw(), "3");
}

TEST(JsonScanTest, SurrogatePairsDecodeToOneCharacter) {
  EXPECT_EQ(JsonValue::Parse(R"("\ud83d\ude00 \u0000")")->String(), std::string("\xf0\x9f\x98\x80 \0", 6));
}

// The string scan reads eight bytes at a time: each byte that ends a plain run ('"', '\\', a
// control character, a non-ASCII byte) at every position relative to those words, and at the
// end of the input where fewer than eight bytes are left.
TEST(JsonScanTest, StringsAtEveryAlignment) {
  const std::vector<std::string> good = {"\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "\xc3\xa9",
                                         "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\x7f"};
  const std::vector<std::string> bad = {"\x1f", "\n", std::string(1, '\0'), "\xc3", "\xc3" "a", "\xed\xa0\x80",
                                        "\xc0\xaf", "\xf4\x90\x80\x80", "\x80", "\xff", "\\x", "\\u12",
                                        "\\ud83d"};
  for (size_t before = 0; before <= 20; ++before) {
    for (size_t after : {size_t{0}, size_t{3}, size_t{8}, size_t{13}}) {
      const std::string pre(before, 'a'), post(after, 'z');  // z: not a hex digit
      for (const std::string& g : good) {
        const std::string text = "\"" + pre + g + post + "\"";
        ExpectAccept(text, true);
        ExpectString(text);
        ExpectAccept("[" + text + ",1]", true);
      }
      for (const std::string& b : bad) ExpectAccept("\"" + pre + b + post + "\"", false);
      // Cut off: no closing quote, or a sequence or escape cut by the end of the input.
      ExpectAccept("\"" + pre + post, false);
      for (const char* cut : {"\xe2\x82", "\xf0\x9f\x98", "\xc3", "\\", "\\u00"}) {
        ExpectAccept("\"" + pre + post + cut, false);
      }
    }
  }
  ExpectString("\"" + std::string(1000, 'x') + "\"");
}

TEST(JsonScanTest, IndexedLookupsMatchScanningLookups) {
  const std::string text =
      R"({"a":{"x":[1,{"y":"\"]"}],"z":{}},"b":[[],{},[[]]],"c":3,"d":"{[","e":[{"f":[true,false,null]}],"c":4})";
  JsonDocument doc;
  const std::optional<JsonValue> indexed = doc.Parse(text);
  const std::optional<JsonValue> scanned = JsonValue::Parse(text);
  ASSERT_TRUE(indexed && scanned);
  for (const JsonValue& v : {*indexed, *scanned}) {
    EXPECT_EQ(v.raw(), text);
    EXPECT_EQ(v.Member("c")->raw(), "4");  // the last of two
    EXPECT_EQ(v.Member("a")->Member("x")->raw(), R"([1,{"y":"\"]"}])");
    EXPECT_EQ(v.Member("a")->Member("x")->First()->raw(), "1");
    EXPECT_EQ(v.Member("a")->Member("z")->raw(), "{}");
    EXPECT_TRUE(v.Member("a")->Member("z")->empty());
    EXPECT_FALSE(v.Member("a")->Member("y"));  // only one level down
    EXPECT_TRUE(v.Member("b")->First()->empty());
    EXPECT_FALSE(v.Member("b")->First()->First());
    EXPECT_EQ(v.Member("d")->String(), "{[");
    EXPECT_EQ(v.Member("e")->First()->Member("f")->First()->raw(), "true");
    EXPECT_FALSE(v.Member("f"));
    EXPECT_FALSE(v.First());
    EXPECT_FALSE(v.empty());
  }
}

TEST(JsonScanTest, DocumentDuplicatesEscapedNamesAndReuse) {
  JsonDocument doc;
  const std::optional<JsonValue> v = doc.Parse(R"( {"a":1,"\u0061":"two","b":{"a":3},"a\n":5,"\u00e9":6} )");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->raw(), R"({"a":1,"\u0061":"two","b":{"a":3},"a\n":5,"\u00e9":6})");
  EXPECT_EQ(v->Member("a")->String(), "two");
  EXPECT_EQ(v->Member("b")->Member("a")->raw(), "3");
  EXPECT_EQ(v->Member("a\n")->raw(), "5");
  EXPECT_EQ(v->Member("\xc3\xa9")->raw(), "6");
  EXPECT_FALSE(v->Member("\\u0061"));
  // The same document again: a smaller text, an invalid one, then one more.
  EXPECT_EQ(doc.Parse("[7]")->First()->raw(), "7");
  EXPECT_FALSE(doc.Parse("[7,]"));
  EXPECT_EQ(doc.Parse("  \"s\"  ")->String(), "s");
  EXPECT_EQ(doc.Parse("\xef\xbb\xbf 12 ")->raw(), "12");
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::optional<JsonValue> d = doc.Parse(deep);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->First()->raw().size(), deep.size() - 2);
  EXPECT_EQ(doc.Parse("{\"k\":null}")->Member("k")->raw(), "null");  // after a large index
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

TEST(JsonShortEscapeTest, EachLetterAndNothingElse) {
  const std::string letters = "\"\\/bfnrt";
  const std::string chars = "\"\\/\b\f\n\r\t";
  for (size_t i = 0; i < letters.size(); ++i) EXPECT_EQ(JsonShortEscape(letters[i]), chars[i]) << letters[i];
  for (const char other : std::string("uaxN0 '")) EXPECT_EQ(JsonShortEscape(other), 0) << other;
}

}  // namespace
}  // namespace bench
