#include "record/reasoning.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench {
namespace {

using Json = nlohmann::json;

std::string Chunk(const std::string& delta) {
  return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta + "}]}\n\n";
}

TEST(ReasoningTest, ReasoningContentThenContentAreSplitWithTheirReads) {
  const ResponseOutputs outputs = test::ResponseOutputs({
      Chunk(R"({"role":"assistant","content":""})"),
      Chunk(R"({"reasoning_content":"Let me"})"),
      Chunk(R"({"reasoning_content":" think"})"),
      Chunk(R"({"content":"Paris"})"),
      Chunk(R"({"content":" it is"})") + "data: [DONE]\n\n",
  });
  const std::vector<int64_t> ts = {100, 200, 300, 450, 500};
  const ReasoningSplit s = SplitReasoning(ResponseFormat::kOpenAiChat, outputs, ts);
  EXPECT_EQ(s.reasoning, "Let me think");
  EXPECT_EQ(s.answer, "Paris it is");
  EXPECT_EQ(s.first_reasoning, 200);
  EXPECT_EQ(s.first_answer, 450);
  EXPECT_EQ(s.first_output, 200);
  EXPECT_EQ(s.last_output, 500);
  EXPECT_EQ(s.output_reads, 4u);  // the role-only chunk carries no output
  EXPECT_FALSE(s.usage.has_value());
}

TEST(ReasoningTest, NewerReasoningFieldAndSeveralEventsInOneRead) {
  // llama.cpp --reasoning-format and newer vLLM name the field `reasoning`; two events in one
  // read are one chunk at that read's time.
  const ResponseOutputs outputs = test::ResponseOutputs({
      Chunk(R"({"reasoning":"Hmm"})") + Chunk(R"({"reasoning":", yes"})"),
      Chunk(R"({"content":"Yes"})"),
  });
  const std::vector<int64_t> ts = {10, 20};
  const ReasoningSplit s = SplitReasoning(ResponseFormat::kOpenAiChat, outputs, ts);
  EXPECT_EQ(s.reasoning, "Hmm, yes");
  EXPECT_EQ(s.answer, "Yes");
  EXPECT_EQ(s.first_reasoning, 10);
  EXPECT_EQ(s.first_answer, 20);
  EXPECT_EQ(s.output_reads, 2u);
}

TEST(ReasoningTest, BothNamesInOneDeltaCountOnce) {
  const ResponseOutputs outputs = test::ResponseOutputs({Chunk(R"({"reasoning_content":"a b","reasoning":"a b"})")});
  const std::vector<int64_t> ts = {1};
  EXPECT_EQ(SplitReasoning(ResponseFormat::kOpenAiChat, outputs, ts).reasoning, "a b");
}

TEST(ReasoningTest, StreamedUsageChunkIsRead) {
  const ResponseOutputs outputs = test::ResponseOutputs({
      Chunk(R"({"content":"Hi"})"),
      "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,"
      "\"completion_tokens\":12,\"total_tokens\":19,\"completion_tokens_details\":{\"reasoning_tokens\":9}}}\n\n"
      "data: [DONE]\n\n",
  });
  const std::vector<int64_t> ts = {1, 2};
  const ReasoningSplit s = SplitReasoning(ResponseFormat::kOpenAiChat, outputs, ts);
  ASSERT_TRUE(s.usage.has_value());
  EXPECT_EQ(s.usage->prompt_tokens, 7);
  EXPECT_EQ(s.usage->completion_tokens, 12);
  EXPECT_EQ(s.usage->reasoning_tokens, 9);
  EXPECT_EQ(s.last_output, 1);  // the usage chunk carries no output
}

TEST(ReasoningTest, SplinteredUsageEventIsStitchedFirst) {
  const ResponseOutputs outputs = test::ResponseOutputs({
      Chunk(R"({"content":"Hi"})") + "data: {\"choices\":[],\"usage\":{\"prompt_",
      "tokens\":3,\"completion_tokens\":1}}\n\n",
  });
  const std::vector<int64_t> ts = {1, 2};
  const ReasoningSplit s = SplitReasoning(ResponseFormat::kOpenAiChat, outputs, ts);
  ASSERT_TRUE(s.usage.has_value());
  EXPECT_EQ(s.usage->prompt_tokens, 3);
  EXPECT_EQ(s.usage->completion_tokens, 1);
  EXPECT_FALSE(s.usage->reasoning_tokens.has_value());
}

TEST(ReasoningTest, NonStreamingBodiesOfChatAndCompletions) {
  const ResponseOutputs chat = test::ResponseOutputs({
      R"({"object":"chat.completion","choices":[{"message":{"role":"assistant","reasoning_content":"r1 r2",)"
      R"("content":"a1"}}],"usage":{"prompt_tokens":4,"completion_tokens":3}})"});
  const std::vector<int64_t> ts = {50};
  const ReasoningSplit c = SplitReasoning(ResponseFormat::kOpenAiChat, chat, ts);
  EXPECT_EQ(c.reasoning, "r1 r2");
  EXPECT_EQ(c.answer, "a1");
  EXPECT_EQ(c.first_reasoning, 50);
  EXPECT_EQ(c.usage->completion_tokens, 3);

  const ResponseOutputs completion = test::ResponseOutputs({
      R"({"object":"text_completion","choices":[{"text":"done"}],"usage":{"prompt_tokens":2,"completion_tokens":1}})"});
  const ReasoningSplit t = SplitReasoning(ResponseFormat::kOpenAiCompletions, completion, ts);
  EXPECT_EQ(t.answer, "done");
  EXPECT_TRUE(t.reasoning.empty());
  EXPECT_EQ(t.usage->prompt_tokens, 2);
}

TEST(ReasoningTest, BadBodiesAndOtherFormatsGiveNothing) {
  const ResponseOutputs outputs =
      test::ResponseOutputs({"data: {not json\n\n", "event: error\ndata: {\"usage\":{}}\n\n"});
  const std::vector<int64_t> ts = {1, 2};
  const ReasoningSplit s = SplitReasoning(ResponseFormat::kOpenAiChat, outputs, ts);
  EXPECT_TRUE(s.answer.empty());
  EXPECT_FALSE(s.usage.has_value());  // an error event is not model output
  EXPECT_EQ(s.output_reads, 0u);
  const ReasoningSplit e = SplitReasoning(ResponseFormat::kOpenAiEmbeddings, test::ResponseOutputs({Chunk(R"({"content":"x"})")}), ts);
  EXPECT_TRUE(e.answer.empty());
}

}  // namespace
}  // namespace bench
