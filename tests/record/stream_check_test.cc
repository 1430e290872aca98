// The post-completion check of 2xx bodies: what is a failure and what is tolerated.

#include "record/stream_check.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bench
