// Text of TGI's and the Responses API's responses, and the pre-processing of hand-written streams
// of Triton generate_stream, TGI generate_stream and the Responses API (an event split across
// reads, several events in one read, the events that carry no answer text).

#include "record/endpoint_text.h"

#include <gtest/gtest.h>

#include "record/response_parser.h"
#include "test_util.h"

namespace bench {
namespace {

using OJson = nlohmann::ordered_json;
using nlohmann::json;

ProcessedResponses Process(ResponseFormat format, const std::vector<std::string>& reads) {
  std::vector<int64_t> timestamps;
  for (size_t i = 0; i < reads.size(); ++i) timestamps.push_back(static_cast<int64_t>(10 * (i + 1)));
  return PreprocessResponses(format, test::ResponseOutputs(reads), timestamps);
}

std::string Joined(const ProcessedResponses& r) {
  std::string out;
  for (const auto& t : r.texts) out += t;
  return out;
}

TEST(EndpointTextTest, HuggingFaceBodiesAndStreamEvents) {
  EXPECT_EQ(HuggingFaceGenerateText(OJson::parse(R"([{"generated_text":"a b"}])")).text, "a b");
  EXPECT_EQ(HuggingFaceGenerateText(OJson::parse(R"({"generated_text":"a b","details":null})")).text, "a b");
  const auto token = OJson::parse(
      R"({"index":3,"token":{"id":7,"text":" cat","logprob":-1,"special":false},"generated_text":null,"details":null})");
  EXPECT_EQ(HuggingFaceGenerateText(token).text, " cat");
  // The last event repeats the whole answer in generated_text: only its token counts.
  const auto last = OJson::parse(
      R"({"index":4,"token":{"id":8,"text":" sat","logprob":-1,"special":false},"generated_text":"A cat sat","details":{"finish_reason":"length"}})");
  EXPECT_EQ(HuggingFaceGenerateText(last).text, " sat");
  const auto eos = OJson::parse(
      R"({"index":5,"token":{"id":2,"text":"</s>","logprob":0,"special":true},"generated_text":"A cat sat","details":{}})");
  EXPECT_EQ(HuggingFaceGenerateText(eos).text, "");
  EXPECT_FALSE(HuggingFaceGenerateText(OJson::parse(R"({"token":{"text":3}})")).error.empty());
  EXPECT_FALSE(HuggingFaceGenerateText(OJson::parse("7")).error.empty());
}

TEST(EndpointTextTest, ResponsesBodyAndEvents) {
  const auto body = OJson::parse(R"({"object":"response","output":[
      {"type":"reasoning","content":[{"type":"reasoning_text","text":"hmm"}]},
      {"type":"message","content":[{"type":"output_text","text":"Hello"},{"type":"output_text","text":" there"}]}]})");
  EXPECT_EQ(ResponsesText(body).text, "Hello there");
  EXPECT_EQ(ResponsesText(OJson::parse(R"({"type":"response.output_text.delta","delta":"Hi"})")).text, "Hi");
  for (const char* other : {R"({"type":"response.created","response":{"output":[]}})",
                            R"({"type":"response.output_text.done","text":"Hi there"})",
                            R"({"type":"response.reasoning_text.delta","delta":"think"})"}) {
    const TextExtraction t = ResponsesText(OJson::parse(other));
    EXPECT_EQ(t.text, "") << other;
    EXPECT_EQ(t.error, "") << other;
  }
  EXPECT_FALSE(ResponsesText(OJson::parse(R"({"object":"response"})")).error.empty());
  EXPECT_FALSE(ResponsesText(OJson::parse(R"({"type":"response.output_text.delta","delta":1})")).error.empty());
}

TEST(EndpointTextTest, TritonGenerateStreamWithADeltaSplitAcrossReads) {
  const ProcessedResponses r = Process(ResponseFormat::kTritonGenerate,
                                       {"data: {\"model_name\":\"m\",\"model_version\":\"1\",\"text_output\":\"A\"}\n\n",
                                        "data: {\"model_name\":\"m\",\"model_ver",  // split mid-event
                                        "sion\":\"1\",\"text_output\":\" cat\"}\n\n",
                                        "data: {\"model_name\":\"m\",\"model_version\":\"1\",\"text_output\":\"\"}\n\n"});
  EXPECT_EQ(r.texts, (std::vector<std::string>{"A", " cat"}));
  // The stitched event keeps its first fragment's time; the empty last response is dropped.
  EXPECT_EQ(r.timestamps, (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(r.failed, 0u);
}

TEST(EndpointTextTest, TgiStreamCountsTokensNotTheRepeatedAnswer) {
  const ProcessedResponses r = Process(
      ResponseFormat::kHuggingFaceGenerate,
      {"data:{\"index\":1,\"token\":{\"id\":5,\"text\":\"A\",\"logprob\":-1,\"special\":false},\"generated_text\":null,"
       "\"details\":null}\n\n",
       "data:{\"index\":2,\"token\":{\"id\":6,\"text\":\" c",  // a token event split across reads
       "at\",\"logprob\":-1,\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
       "data:{\"index\":3,\"token\":{\"id\":7,\"text\":\" sat\",\"logprob\":-1,\"special\":false},\"generated_text\":null,"
       "\"details\":null}\n\n",
       "data:{\"index\":4,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":0,\"special\":true},\"generated_text\":\"A cat "
       "sat\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3}}\n\n"});
  EXPECT_EQ(Joined(r), "A cat sat");
  // The split token keeps its first fragment's time; the event after it in the same read keeps
  // that read's; the special EOS event is removed with its timestamp.
  EXPECT_EQ(r.timestamps, (std::vector<int64_t>{10, 20, 30}));
  EXPECT_EQ(r.texts, (std::vector<std::string>{"A", " cat", " sat"}));
}

TEST(EndpointTextTest, HuggingFaceJsonBodiesKeepGenAiPerfsEveryResponseRule) {
  const ProcessedResponses r =
      Process(ResponseFormat::kHuggingFaceGenerate, {R"([{"generated_text":" I"}])", R"([{"generated_text":" like"}])"});
  EXPECT_EQ(r.texts, (std::vector<std::string>{" I", " like"}));
  const ProcessedResponses body = Process(ResponseFormat::kHuggingFaceGenerate, {R"({"generated_text":"A cat"})"});
  EXPECT_EQ(body.texts, (std::vector<std::string>{"A cat"}));
}

TEST(EndpointTextTest, ResponsesStreamTtftIsTheFirstOutputTextDelta) {
  auto event = [](const std::string& type, const std::string& fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + fields + "}\n\n";
  };
  const ProcessedResponses r = Process(
      ResponseFormat::kOpenAiResponses,
      {event("response.created", R"(,"response":{"id":"r","output":[]})") +
           event("response.in_progress", R"(,"response":{"id":"r"})"),
       event("response.output_item.added", R"(,"item":{"type":"message","content":[]})"),
       event("response.output_text.delta", R"(,"item_id":"m","delta":"Hel")"),
       "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"m\",\"de",
       "lta\":\"lo\"}\n\n" + event("response.output_text.delta", R"(,"item_id":"m","delta":" you")"),
       event("response.output_text.done", R"(,"text":"Hello you")") +
           event("response.completed",
                 R"(,"response":{"output":[{"type":"message","content":[{"type":"output_text","text":"Hello you"}]}],"usage":{"output_tokens":3}})")});
  EXPECT_EQ(Joined(r), "Hello you");
  // created/added events carry no text: the first kept response is the first delta (TTFT); the
  // delta split across reads keeps its first fragment's time.
  EXPECT_EQ(r.timestamps, (std::vector<int64_t>{30, 40, 50}));
  EXPECT_EQ(r.texts, (std::vector<std::string>{"Hel", "lo", " you"}));
  EXPECT_EQ(r.failed, 0u);
}

TEST(EndpointTextTest, ResponsesErrorEventIsCountedAsFailed) {
  const ProcessedResponses r = Process(
      ResponseFormat::kOpenAiResponses,
      {"event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"a\"}\n\n",
       "event: error\ndata: {\"type\":\"error\",\"message\":\"boom\"}\n\n"});
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(Joined(r), "a");
}

TEST(EndpointTextTest, ResponsesNonStreamingBody) {
  const ProcessedResponses r = Process(
      ResponseFormat::kOpenAiResponses,
      {R"({"id":"r","object":"response","status":"completed","error":null,"output":[{"type":"message","content":[{"type":"output_text","text":"Hi all"}]}],"usage":{"input_tokens":3,"output_tokens":2}})"});
  EXPECT_EQ(r.texts, (std::vector<std::string>{"Hi all"}));
}

}  // namespace
}  // namespace bench
