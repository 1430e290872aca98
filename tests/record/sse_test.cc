// Server-sent events as GenAI-Perf reads them: line ends, event blocks, fields, error events and
// splintered reads.

#include "record/sse.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(SseTest, StripViewIsPythonStrip) {
  EXPECT_EQ(StripView(" \t\r\n data: x \f\v\n"), "data: x");
  EXPECT_EQ(StripView(" \n "), "");
  EXPECT_EQ(StripView(""), "");
  EXPECT_EQ(StripView("\x1c" "a" "\x0e "), "\x1c" "a" "\x0e");  // only the six ASCII spaces
}

TEST(SseTest, NormalizesCrlfAndCrToLf) {
  EXPECT_EQ(NormalizeNewlines("a\r\nb\rc\n"), "a\nb\nc\n");
  EXPECT_EQ(NormalizeNewlines("plain\n\n"), "plain\n\n");
}

TEST(SseTest, FieldsThatCarryNoData) {
  for (const char* s : {": comment", "event: x", "id: 1", "retry: 5"}) {
    EXPECT_TRUE(IsNonDataField(s)) << s;
    EXPECT_TRUE(IsSseStart(s)) << s;
  }
  EXPECT_FALSE(IsNonDataField("data: x"));
  EXPECT_TRUE(IsSseStart("data:x"));
  EXPECT_FALSE(IsSseStart("{\"a\":1}"));
}

TEST(SseTest, DataMustStartALine) {
  EXPECT_EQ(FindLineStartData("data: x"), 0u);
  EXPECT_EQ(FindLineStartData("\"}\n\ndata: y"), 4u);
  EXPECT_EQ(FindLineStartData("text with data: inside"), std::string_view::npos);
}

TEST(SseTest, SplitsOnBlankLines) {
  const auto blocks = SplitSseEvents("data: a\n\ndata: b\n\n");
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0], "data: a");
  EXPECT_EQ(blocks[1], "data: b");
  EXPECT_EQ(blocks[2], "");
}

TEST(SseTest, ParsesOneOrSeveralDataLines) {
  const SseEvent one = ParseSseEvent("id: 1\ndata: {\"a\":1}");
  EXPECT_TRUE(one.has_data);
  EXPECT_FALSE(one.several);
  EXPECT_EQ(one.data(), " {\"a\":1}");
  const SseEvent two = ParseSseEvent("data: a\ndata:b");
  EXPECT_TRUE(two.several);
  EXPECT_EQ(two.data(), " a\nb");
  EXPECT_FALSE(ParseSseEvent(": only a comment").has_data);
}

TEST(SseTest, AnErrorEventHasNoModelData) {
  const SseEvent ev = ParseSseEvent("event: error\ndata: {\"error\":\"x\"}");
  EXPECT_TRUE(ev.is_error);
  EXPECT_FALSE(ev.has_data);
  EXPECT_FALSE(ParseSseEvent("event: message\ndata: x").is_error);
}

TEST(SseTest, StitchesSplinteredReadsIntoTheirFirstFragment) {
  std::vector<std::string> reads = {"data: {\"a\":", "1}\n\n", "data: b\n\n", "x\n\ndata: c", "\n\n"};
  StitchSplinteredReads(reads);
  EXPECT_EQ(reads[0], "data: {\"a\":1}\n\n");
  EXPECT_EQ(reads[1], "");
  EXPECT_EQ(reads[2], "data: b\n\nx\n\n");
  EXPECT_EQ(reads[3], "data: c\n\n");
  EXPECT_EQ(reads[4], "");
}

}  // namespace
}  // namespace bench
