// The post-completion check of 2xx bodies: what is a failure and what is tolerated; and
// CheckStream's one walk, with what it hands the metrics stage (BodyReading) compared with what
// the metrics stage finds on its own from the reads.

#include "record/stream_check.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "record/reads_search.h"
#include "record/response_parser.h"
#include "test_util.h"

namespace bench {
namespace {

const std::string kChunk =
    "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n";
const std::string kUsage = "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{}}\n\n";
const std::string kDone = "data: [DONE]\n\n";

ErrorKind KindOf(const std::string& body, bool streaming = true) {
  return CheckResponseBody(body, streaming).error.kind;
}

TEST(StreamCheckTest, AWellFormedStreamPasses) {
  const BodyCheck c = CheckResponseBody(kChunk + kChunk + kDone, true);
  EXPECT_EQ(c.error.kind, ErrorKind::kNone);
  EXPECT_FALSE(c.missing_done);
  // CRLF line ends and a last event without its blank line are accepted.
  EXPECT_EQ(KindOf("data: {\"choices\":[]}\r\n\r\ndata: [DONE]"), ErrorKind::kNone);
}

TEST(StreamCheckTest, CommentsEventLinesJunkLinesAndUsageChunksAreTolerated) {
  EXPECT_EQ(KindOf(": keep-alive\n\n" + kChunk + ": c\n" + kChunk + kDone), ErrorKind::kNone);
  EXPECT_EQ(KindOf("event: message\nid: 3\nretry: 10\n" + kChunk + kDone), ErrorKind::kNone);
  EXPECT_EQ(KindOf("bench-junk-line\n" + kChunk + kDone), ErrorKind::kNone);
  EXPECT_EQ(KindOf(kChunk + kUsage + kUsage + kDone), ErrorKind::kNone);
}

TEST(StreamCheckTest, MissingDoneIsOnlyAWarning) {
  const BodyCheck c = CheckResponseBody(kChunk + kChunk, true);
  EXPECT_EQ(c.error.kind, ErrorKind::kNone);
  EXPECT_TRUE(c.missing_done);
}

TEST(StreamCheckTest, MalformedStreams) {
  EXPECT_EQ(KindOf(""), ErrorKind::kMalformedStream);
  EXPECT_EQ(KindOf(": only a comment\n\n"), ErrorKind::kMalformedStream);
  const BodyCheck json = CheckResponseBody("{\"choices\":[{\"message\":{\"content\":\"x\"}}]}", true);
  EXPECT_EQ(json.error.kind, ErrorKind::kMalformedStream);
  EXPECT_NE(json.error.message.find("non-streaming answer"), std::string::npos);
  // Events separated by a single newline join into one event with several data lines.
  const std::string one_nl = "data: {\"choices\":[]}\ndata: {\"choices\":[]}\ndata: [DONE]\n";
  const BodyCheck joined = CheckResponseBody(one_nl, true);
  EXPECT_EQ(joined.error.kind, ErrorKind::kMalformedStream);
  EXPECT_NE(joined.error.message.find("blank line"), std::string::npos);
}

TEST(StreamCheckTest, InvalidJsonAndInvalidUtf8) {
  const BodyCheck c = CheckResponseBody(kChunk + "data: {\"choices\":[\n\n" + kDone, true);
  EXPECT_EQ(c.error.kind, ErrorKind::kInvalidJson);
  EXPECT_NE(c.error.message.find("not valid JSON"), std::string::npos);
  const BodyCheck u = CheckResponseBody("data: {\"choices\":[{\"text\":\"\xff\"}]}\n\n" + kDone, true);
  EXPECT_EQ(u.error.kind, ErrorKind::kInvalidJson);
  EXPECT_NE(u.error.message.find("UTF-8"), std::string::npos);
}

// Events checked against the last valid event's shape (only the changed string validated)
// are judged exactly as a full validation judges them.
TEST(StreamCheckTest, EventsOfOneShapeAreJudgedAsAFullCheckWould) {
  const auto event = [](const std::string& content) {
    return R"(data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":")" + content +
           R"("},"n":"z"}]})" + "\n\n";
  };
  const std::string good = event("hi") + event("a longer one") + event("") + event(R"(\u00e9\n)");
  EXPECT_EQ(KindOf(good + kDone), ErrorKind::kNone);
  // Invalid in the changed string only: a control byte, a bad escape, a lone surrogate,
  // invalid UTF-8, an escape cut short.
  for (const std::string& bad : {std::string("a\x01" "b"), std::string(R"(\x)"), std::string(R"(\ud800)"),
                                std::string("\xff"), std::string(R"(\u00)")}) {
    EXPECT_EQ(KindOf(good + event(bad) + kDone), ErrorKind::kInvalidJson) << bad;
  }
  // New members written where the text was: valid, and invalid.
  EXPECT_EQ(KindOf(good + event(R"(a","x":"b)") + kDone), ErrorKind::kNone);
  EXPECT_EQ(KindOf(good + event(R"(a","x":b)") + kDone), ErrorKind::kInvalidJson);
  EXPECT_EQ(KindOf(good + event(R"(a"},"x":{"y":"b)") + kDone), ErrorKind::kNone);
  EXPECT_EQ(KindOf(good + event(R"(a"}],"x":{"y":"b)") + kDone), ErrorKind::kInvalidJson);
  // A member name changed; an error object after chunks of another shape.
  EXPECT_EQ(KindOf(good + R"(data: {"object":"chat.completion.chunk","choices":[{"delta":{"contenx":"hi"},"n":"z"}]})" +
                   "\n\n" + kDone),
            ErrorKind::kNone);
  EXPECT_EQ(KindOf(good + R"(data: {"error":{"message":"x"}})" + "\n\n" + kDone), ErrorKind::kServerError);
  // The error key made by changing one string of the shape before (a name, or a text next to it).
  const std::string errox = R"(data: {"errox":{"message":"x"}})" "\n\n";
  EXPECT_EQ(KindOf(errox + R"(data: {"error":{"message":"x"}})" + "\n\n" + kDone), ErrorKind::kServerError);
  EXPECT_EQ(KindOf(errox + R"(data: {"errox":{"message":"\"error"}})" + "\n\n" + kDone), ErrorKind::kNone);
  const std::string key_text = R"(data: {"a":"error","b":{"message":"x"}})" "\n\n";
  EXPECT_EQ(KindOf(key_text + R"(data: {"a":"error","error":{"message":"x"}})" + "\n\n" + kDone),
            ErrorKind::kServerError);
}

TEST(StreamCheckTest, ErrorEventsAndErrorObjectsAreServerErrors) {
  const BodyCheck c = CheckResponseBody(
      kChunk + "event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n" + kDone, true);
  EXPECT_EQ(c.error.kind, ErrorKind::kServerError);
  EXPECT_NE(c.error.message.find("boom"), std::string::npos);
  EXPECT_EQ(KindOf(kChunk + "data: {\"error\":{\"message\":\"oom\"}}\n\n" + kDone), ErrorKind::kServerError);
  // A chunk that merely mentions "error" in its text is fine.
  EXPECT_EQ(KindOf("data: {\"choices\":[{\"delta\":{\"content\":\"\\\"error\\\"\"}}]}\n\n" + kDone),
            ErrorKind::kNone);
}

TEST(StreamCheckTest, NonStreamingBodies) {
  EXPECT_EQ(KindOf("{\"choices\":[]}", false), ErrorKind::kNone);
  EXPECT_EQ(KindOf("", false), ErrorKind::kInvalidJson);
  EXPECT_EQ(KindOf("{\"choices\":", false), ErrorKind::kInvalidJson);
  EXPECT_EQ(KindOf("{\"error\":{\"message\":\"x\"}}", false), ErrorKind::kServerError);
}

// CheckStream


std::string SseChunk(const std::string& delta, const std::string& id = "c1") {
  return R"(data: {"id":")" + id + R"(","object":"chat.completion.chunk","choices":[{"index":0,"delta":)" + delta +
         R"(,"finish_reason":null}]})" + "\n\n";
}
std::string SseContent(const std::string& text, const std::string& id = "c1") {
  return SseChunk(R"({"content":")" + text + R"("})", id);
}

// The reads of one response, checked the one way and pre-processed both ways.
struct CheckedReads {
  BodyCheck check;
  std::optional<BodyReading> reading;
  RequestRecord record;
};

CheckedReads CheckReads(const std::vector<std::string>& reads) {
  CheckedReads c;
  std::string body;
  std::vector<uint32_t> ends;
  for (const std::string& r : reads) {
    body += r;
    ends.push_back(static_cast<uint32_t>(body.size()));
    c.record.response_timestamps.push_back(static_cast<int64_t>(100 * ends.size()));
  }
  c.record.response_outputs = test::ResponseOutputs(reads);
  c.check = CheckStream(body, ends, c.reading);
  c.record.json_checked = true;
  c.record.reading = c.reading;
  return c;
}

// PreprocessRecord from the walk's texts equals PreprocessResponses over the reads.
void ExpectSameAsTheLongWay(const RequestRecord& record) {
  const ProcessedResponses fast = PreprocessRecord(ResponseFormat::kOpenAiChat, record);
  const ProcessedResponses slow = PreprocessResponses(ResponseFormat::kOpenAiChat, record.response_outputs,
                                                      record.response_timestamps, RawResponses::kDrop,
                                                      JsonTexts::kValidated);
  EXPECT_EQ(fast.texts, slow.texts);
  EXPECT_EQ(fast.timestamps, slow.timestamps);
  EXPECT_EQ(fast.failed, slow.failed);
}

TEST(StreamReadingTest, OneReadHoldingTheWholeStreamGivesItsText) {
  // The role chunk, identical chunks (the nginx ceiling's body), a changed one, [DONE].
  const CheckedReads c = CheckReads({SseChunk(R"({"role":"assistant","content":""})") + SseContent(" tok") + SseContent(" tok") +
                           SseContent(" tok") + SseContent(" a\\\"b\\u00e9") + SseChunk("{}") + kDone});
  EXPECT_EQ(c.check.error.kind, ErrorKind::kNone);
  ASSERT_TRUE(c.reading);
  ASSERT_TRUE(c.reading->texts_known);
  EXPECT_EQ(c.reading->read_texts, std::vector<std::string>{" tok tok tok a\"b\xC3\xA9"});
  EXPECT_EQ(c.reading->keys, 0u);
  ExpectSameAsTheLongWay(c.record);
}

TEST(StreamReadingTest, EachReadKeepsItsOwnTextAndReadsWithoutTextAreDropped) {
  // A changing id: the changed string is not the text, so that event is read the long way.
  const CheckedReads c = CheckReads({SseContent("a"), "", SseContent("b") + SseContent("c", "c2"), ": ping\n\n", SseContent("") + kDone});
  ASSERT_TRUE(c.reading);
  ASSERT_TRUE(c.reading->texts_known);
  EXPECT_EQ(c.reading->read_texts, (std::vector<std::string>{"a", "", "bc", "", ""}));
  ExpectSameAsTheLongWay(c.record);
  const ProcessedResponses kept = PreprocessRecord(ResponseFormat::kOpenAiChat, c.record);
  EXPECT_EQ(kept.timestamps, (std::vector<int64_t>{100, 300}));
}

TEST(StreamReadingTest, ReadsThatDoNotCutBetweenEventsLeaveTheTextsToTheLongWay) {
  const std::string body = SseContent("a") + SseContent("b") + kDone;
  for (const size_t cut : {size_t{5}, body.find("\n\n") + 1, body.find("\n\n") + 3}) {
    const CheckedReads c = CheckReads({body.substr(0, cut), body.substr(cut)});
    EXPECT_EQ(c.check.error.kind, ErrorKind::kNone);
    ASSERT_TRUE(c.reading) << cut;  // the keys and UTF-8 hold for the body whatever its reads
    EXPECT_FALSE(c.reading->texts_known) << cut;
    ExpectSameAsTheLongWay(c.record);  // PreprocessRecord takes the long way itself
  }
}

TEST(StreamReadingTest, WhatGenAiPerfReadsDifferentlyLeavesTheTextsToTheLongWay) {
  // CR line ends (GenAI-Perf rewrites them), an event line naming an error that is not the
  // event's last, an event starting with a space (GenAI-Perf strips it), a body without
  // OpenAI's shape.
  const std::vector<std::vector<std::string>> cases = {
      {"data: {\"choices\":[]}\r\n\r\n", kDone},
      {"event: error\nevent: message\n" + SseContent("a"), kDone},
      {SseContent("a") + " " + SseContent("b"), kDone},
      {"data: {\"type\":\"response.output_text.delta\",\"delta\":\"a\"}\n\n", kDone},
  };
  for (const auto& reads : cases) {
    const CheckedReads c = CheckReads(reads);
    EXPECT_EQ(c.check.error.kind, ErrorKind::kNone) << reads[0];
    ASSERT_TRUE(c.reading) << reads[0];
    EXPECT_FALSE(c.reading->texts_known) << reads[0];
    ExpectSameAsTheLongWay(c.record);
  }
}

TEST(StreamReadingTest, KeysAreFoundInChangedStringsAcrossReadsAndInOtherLines) {
  const CheckedReads reasoning =
      CheckReads({SseChunk(R"({"reasoning_content":"x"})"), SseChunk(R"({"reasoning_content":"y"})"), kDone});
  ASSERT_TRUE(reasoning.reading);
  EXPECT_EQ(reasoning.reading->keys, unsigned{kReasoningKey});
  // Every chunk matches the first, but one's changed text spells a key.
  const CheckedReads in_text = CheckReads({SseContent("a") + SseContent("\\\"reasoning") + kDone});
  ASSERT_TRUE(in_text.reading);
  EXPECT_EQ(in_text.reading->keys, unsigned{kReasoningKey});
  const std::string with_timings = SseContent("a") + R"(data: {"choices":[],"timings":{"prompt_n":1}})" "\n\n";
  const size_t key = with_timings.find("\"timings");
  const CheckedReads split = CheckReads({with_timings.substr(0, key + 3), with_timings.substr(key + 3)});
  ASSERT_TRUE(split.reading);
  EXPECT_EQ(split.reading->keys, unsigned{kTimingsKey});
  EXPECT_TRUE(ReadsContain(split.record, kTimingsKey));
  EXPECT_FALSE(ReadsContain(split.record, kReasoningKey));
  const CheckedReads comment = CheckReads({": \"reasoning\n\n" + SseContent("a")});
  ASSERT_TRUE(comment.reading);
  EXPECT_EQ(comment.reading->keys, unsigned{kReasoningKey});
}

TEST(StreamReadingTest, NoReadingForAFailedOrInvalidUtf8Body) {
  // The check passes a comment that is not UTF-8, but the body is not: the caller must see it.
  const CheckedReads bad_comment = CheckReads({": \xC3\x28\n\n" + SseContent("a")});
  EXPECT_EQ(bad_comment.check.error.kind, ErrorKind::kNone);
  EXPECT_FALSE(bad_comment.reading);
  const CheckedReads error = CheckReads({SseContent("a"), "data: {\"error\":{\"message\":\"boom\"}}\n\n"});
  EXPECT_EQ(error.check.error.kind, ErrorKind::kServerError);
  EXPECT_FALSE(error.reading);
  EXPECT_FALSE(CheckReads({"data: {\n\n"}).reading);
}

TEST(StreamReadingTest, TheVerdictIsCheckResponseBodys) {
  for (const std::string& body : {SseContent("a") + kDone, SseContent("a"), std::string("data: {\n\n"), std::string(": x\n\n"),
                                  std::string("event: error\ndata: {}\n\n"), SseContent("a") + "data: {\"error\":1}\n\n"}) {
    std::optional<BodyReading> reading;
    const std::vector<uint32_t> ends{static_cast<uint32_t>(body.size())};
    const BodyCheck fast = CheckStream(body, ends, reading);
    const BodyCheck slow = CheckResponseBody(body, true);
    EXPECT_EQ(fast.error.kind, slow.error.kind) << body;
    EXPECT_EQ(fast.error.message, slow.error.message) << body;
    EXPECT_EQ(fast.missing_done, slow.missing_done) << body;
  }
}

TEST(StreamReadingTest, ARecordFromAFileIsReadTheLongWay) {
  CheckedReads c = CheckReads({SseContent("a"), SseContent("b") + kDone});
  ASSERT_TRUE(c.reading && c.reading->texts_known);
  // Texts that differ from the reads' would show whether PreprocessRecord used them.
  c.record.reading->read_texts = {"x", "y"};
  EXPECT_EQ(PreprocessRecord(ResponseFormat::kOpenAiChat, c.record).texts, (std::vector<std::string>{"x", "y"}));
  EXPECT_NE(PreprocessRecord(ResponseFormat::kOpenAiResponses, c.record).texts, (std::vector<std::string>{"x", "y"}));
  c.record.reading.reset();
  EXPECT_EQ(PreprocessRecord(ResponseFormat::kOpenAiChat, c.record).texts, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace bench
