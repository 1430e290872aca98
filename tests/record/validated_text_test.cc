#include "record/validated_text.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "record/response_parser.h"
#include "test_util.h"
#include "util/json_scan.h"

namespace bench {
namespace {

// Valid JSON in the shapes (and the corners) the OpenAI text lookups meet.
const std::vector<std::string>& Cases() {
  static const std::vector<std::string> cases = {
      R"({"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" tok"},"finish_reason":null}]})",
      R"({"choices":[{"delta":{"content":"late object"}}],"object":"chat.completion.chunk"})",
      R"({"object":"chat.completion","choices":[{"message":{"role":"assistant","content":"whole"}}]})",
      R"({"object":"text_completion","choices":[{"text":"completion"}]})",
      R"({"choices":[{"text":"no object member"}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":null}}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{}}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":5}}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":[1]}]})",
      R"({"object":"chat.completion.chunk","choices":[]})",
      R"({"object":"chat.completion.chunk","choices":{}})",
      R"({"object":"chat.completion.chunk","choices":[7,{"delta":{"content":"second"}}]})",
      R"({"object":"chat.completion.chunk"})",
      R"({"object":"other","choices":[{"text":"x"}]})",
      R"({"object":null,"choices":[{"text":"x"}]})",
      R"({"object":1,"choices":[{"text":"x"}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"first"}}],"choices":[{"delta":{"content":"last"}}]})",
      R"({"object":"text_completion","object":"chat.completion.chunk","choices":[{"delta":{"content":"d"},"text":"t"}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"a","content":"b"},"delta":{"content":"c"}}]})",
      R"({"obj\u0065ct":"chat.completion.chunk","choices":[{"delta":{"cont\u0065nt":"escaped names"}}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"\u00e9\n\"q\"\ud83d\ude00"}}]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"x"}}],"choices":[]})",
      R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"x"}}],"choices":3})",
      R"( {"object":"chat.completion.chunk","choices":[{"delta":{"content":"spaces"}}]} )",
      R"({"usage":{"prompt_tokens":1},"choices":[],"object":"chat.completion.chunk"})",
      R"([{"generated_text":"array"}])",
      R"("just a string")",
      R"(null)",
      R"({"error":{"message":"boom"}})",
  };
  return cases;
}

// For every valid case, reading it as validated gives exactly what the validating DOM path
// gives; and the common shapes are really answered by the On-Demand reader, not passed on.
TEST(ValidatedTextTest, AgreesWithTheDomOnEveryValidCase) {
  for (const ResponseFormat format :
       {ResponseFormat::kOpenAiChat, ResponseFormat::kOpenAiCompletions, ResponseFormat::kOpenAiMultimodal}) {
    for (const std::string& json : Cases()) {
      ASSERT_TRUE(IsJsonText(json)) << json;
      const TextExtraction dom = detail::TextFromPayloadByDom(format, json);
      const TextExtraction read = detail::TextFromPayload(format, json, JsonTexts::kValidated);
      EXPECT_EQ(read.text, dom.text) << json;
      EXPECT_EQ(read.error, dom.error) << json;
      const std::optional<std::string> direct = ValidatedOpenAiText(json);
      if (direct) {
        EXPECT_EQ(*direct, dom.text) << json;
      }
    }
  }
  EXPECT_EQ(ValidatedOpenAiText(Cases()[0]), " tok");
  EXPECT_EQ(ValidatedOpenAiText(Cases()[1]), "late object");
  EXPECT_EQ(ValidatedOpenAiText(Cases()[2]), "whole");
  EXPECT_EQ(ValidatedOpenAiText(Cases()[3]), "completion");
  EXPECT_EQ(ValidatedOpenAiText(Cases()[16]), "last");
  EXPECT_EQ(ValidatedOpenAiText(Cases()[19]), "escaped names");
  EXPECT_EQ(ValidatedOpenAiText(Cases()[20]), "\xc3\xa9\n\"q\"\xf0\x9f\x98\x80");
}

// The boundary walk and simdjson's On-Demand reader give the same answer for every valid case
// (the walk passes escaped names on to On-Demand, so both answer those the same way too).
TEST(ValidatedTextTest, WalkAndOnDemandAgree) {
  for (const std::string& json : Cases()) {
    EXPECT_EQ(ValidatedOpenAiText(json), detail::OnDemandOpenAiText(json)) << json;
  }
  // Escapes in a text are decoded by the walk itself, surrogate pairs included.
  EXPECT_EQ(ValidatedOpenAiText(R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"a\/\b\f\r\t\u0041\u20ac\ud83d\ude00"}}]})"),
            "a/\b\f\r\tA\xe2\x82\xac\xf0\x9f\x98\x80");
}

// An event that differs from the one before only inside its text is answered from the last
// event's shape (util/json_shape): the answers stay On-Demand's, whatever the new text holds,
// new members written where the text was included.
TEST(ValidatedTextTest, EventsOfOneShapeAnswerAsOnDemandDoes) {
  const std::string head = R"({"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":")";
  const std::string tail = R"("},"finish_reason":null}]})";
  int answered = 0;
  for (const char* content : {
           " tok", "", "two words", R"(\n\"q\"\u00e9)", R"(\ud83d\ude00)", R"(\ud83d)", R"(a\\)",
           R"(a"},"delta":{"content":"moved)", R"(a","content":"later wins)", R"(a"},"x":{"content":"b)",
           R"(x"}],"object":"text_completion","choices":[{"text":"t)", "\xc3\xa9", " tok"}) {
    const std::string json = head + std::string(content) + tail;
    if (!IsJsonText(json)) continue;  // only validated text is ever given
    ++answered;
    ASSERT_EQ(ValidatedOpenAiText(head + " tok" + tail), " tok");  // the shape to compare with
    EXPECT_EQ(ValidatedOpenAiText(json), detail::OnDemandOpenAiText(json)) << json;
    EXPECT_EQ(ValidatedOpenAiText(json), ValidatedOpenAiText(json)) << json;  // the same text twice
  }
  EXPECT_EQ(answered, 11);  // all but the lone surrogate
  // The completions shape, with the text in "text".
  ASSERT_EQ(ValidatedOpenAiText(R"({"object":"text_completion","choices":[{"text":"a"}]})"), "a");
  EXPECT_EQ(ValidatedOpenAiText(R"({"object":"text_completion","choices":[{"text":"bc\t"}]})"), "bc\t");
  EXPECT_EQ(ValidatedOpenAiText(R"({"object":"text_completion","choices":[{"text":"bc\u0041"}]})"), "bcA");
}

// Given what it was promised never to get, it answers nothing rather than read out of bounds.
TEST(ValidatedTextTest, InvalidTextIsPassedOnNotMisread) {
  for (const char* bad : {"", "{", R"({"choices":[{"delta":{"content":"x")", "{\"choices\":\"\\x\"}", "[1,]"}) {
    EXPECT_FALSE(ValidatedOpenAiText(bad).has_value()) << bad;
  }
}

// PreprocessResponses gives the same with kValidated as without, on a whole stream.
TEST(ValidatedTextTest, PreprocessingIsTheSameEitherWay) {
  std::string body;
  for (int i = 0; i < 20; ++i) {
    body += "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\" w" + std::to_string(i) +
            "\"}}]}\n\n";
  }
  body += "data: [DONE]\n\n";
  const ResponseOutputs outputs = test::ResponseOutputs({body.substr(0, 100), body.substr(100)});
  const std::vector<int64_t> ts = {1, 2};
  const ProcessedResponses a = PreprocessResponses(ResponseFormat::kOpenAiChat, outputs, ts);
  const ProcessedResponses b =
      PreprocessResponses(ResponseFormat::kOpenAiChat, outputs, ts, RawResponses::kKeep, JsonTexts::kValidated);
  EXPECT_EQ(a.texts, b.texts);
  EXPECT_EQ(a.raw, b.raw);
  EXPECT_EQ(a.timestamps, b.timestamps);
  EXPECT_EQ(a.failed, b.failed);
}

TEST(ValidatedTextTest, TellsWhichStringGaveTheText) {
  const std::string a = R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"a\u00e9"}}]})";
  std::optional<JsonShape::Span> from;
  EXPECT_EQ(ValidatedOpenAiText(a, &from), std::optional<std::string>("a\xC3\xA9"));
  ASSERT_TRUE(from.has_value());
  EXPECT_EQ(a.substr(from->begin, from->end - from->begin), "a\\u00e9");
  // The next event of the same shape is read from its changed string: the span is in it.
  const std::string b = R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"bc"}}]})";
  EXPECT_EQ(ValidatedOpenAiText(b, &from), std::optional<std::string>("bc"));
  ASSERT_TRUE(from.has_value());
  EXPECT_EQ(b.substr(from->begin, from->end - from->begin), "bc");
  EXPECT_EQ(ValidatedOpenAiText(R"({"object":"chat.completion.chunk","choices":[]})", &from), std::optional<std::string>(""));
  EXPECT_FALSE(from.has_value());
  EXPECT_EQ(DecodedStringContent(R"(a\"\u00e9\n)"), std::optional<std::string>("a\"\xC3\xA9\n"));
  EXPECT_FALSE(DecodedStringContent(R"(\ud800)").has_value());  // left to On-Demand
}

}  // namespace
}  // namespace bench
