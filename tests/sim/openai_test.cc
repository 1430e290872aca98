#include "sim/openai.h"
#include "sim/vision.h"

#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "tokenizer/builtin_tokenizer.h"
#include "sim/timing.h"
#include "sim/simulator.h"

namespace bench {
namespace {

using nlohmann::json;

class SimOpenAiTest : public ::testing::Test {
 protected:
  SimParseResult Parse(SimEndpoint endpoint, const std::string& body) {
    return ParseSimRequest(endpoint, body, options_);
  }
  SimRequest ParseOk(SimEndpoint endpoint, const json& body) {
    SimParseResult r = Parse(endpoint, body.dump());
    EXPECT_TRUE(r.request.has_value()) << r.error;
    return r.request.value_or(SimRequest{});
  }
  std::string ParseError(SimEndpoint endpoint, const std::string& body) {
    SimParseResult r = Parse(endpoint, body);
    EXPECT_FALSE(r.request.has_value());
    return r.error;
  }

  SimulatorOptions options_;
};

TEST_F(SimOpenAiTest, ChatFieldsAndInputTokens) {
  const SimRequest r = ParseOk(
      SimEndpoint::kChat,
      {{"model", "llama"},
       {"stream", true},
       {"stream_options", {{"include_usage", true}}},
       {"max_tokens", 9},
       {"max_completion_tokens", 7},
       {"min_tokens", 2},
       {"ignore_eos", true},
       {"messages",
        {{{"role", "system"}, {"content", "the end"}},
         {{"role", "user"},
          {"content", {{{"type", "text"}, {"text", " of it"}},
                       {{"type", "image_url"}, {"image_url", {{"url", "https://example.com/a.png"}}}}}}}}}});
  EXPECT_EQ(r.endpoint, SimEndpoint::kChat);
  EXPECT_EQ(r.model, "llama");
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
  EXPECT_EQ(r.max_tokens, 7);  // max_completion_tokens wins, as in vLLM
  EXPECT_EQ(r.min_tokens, 2);
  EXPECT_TRUE(r.ignore_eos);
  EXPECT_EQ(r.input_tokens, 4u + kSimImageTokens);  // words: "the end", " of it"; the image (sim/vision)
}

TEST_F(SimOpenAiTest, DefaultsWhenFieldsAreAbsent) {
  const SimRequest r = ParseOk(SimEndpoint::kChat, {{"messages", {{{"content", "x"}}}}});
  EXPECT_EQ(r.model, options_.model);
  EXPECT_FALSE(r.stream);
  EXPECT_FALSE(r.include_usage);
  EXPECT_EQ(r.max_tokens, options_.default_max_tokens);
}

TEST_F(SimOpenAiTest, CompletionPromptForms) {
  EXPECT_EQ(ParseOk(SimEndpoint::kCompletions, {{"prompt", "the end"}}).input_tokens, 2u);
  EXPECT_EQ(ParseOk(SimEndpoint::kCompletions, {{"prompt", {"the", "end"}}}).input_tokens, 2u);
  EXPECT_EQ(ParseOk(SimEndpoint::kCompletions, {{"prompt", {1, 2, 3}}}).input_tokens, 3u);
  EXPECT_EQ(ParseOk(SimEndpoint::kCompletions, {{"prompt", {{1, 2}, {3}}}}).input_tokens, 3u);
}

TEST_F(SimOpenAiTest, BadRequestsSayWhy) {
  EXPECT_EQ(ParseError(SimEndpoint::kChat, "{nope"), "request body is not valid JSON");
  EXPECT_EQ(ParseError(SimEndpoint::kChat, "[1]"), "request body must be a JSON object");
  EXPECT_EQ(ParseError(SimEndpoint::kChat, R"({"max_tokens":3})"),
            "messages must be a non-empty array");
  EXPECT_EQ(ParseError(SimEndpoint::kCompletions, R"({"max_tokens":3})"), "prompt is required");
  EXPECT_EQ(ParseError(SimEndpoint::kChat, R"({"messages":[{"content":"x"}],"max_tokens":"3"})"),
            "max_tokens must be an integer");
  EXPECT_EQ(ParseError(SimEndpoint::kChat, R"({"messages":[{"content":"x"}],"max_tokens":0})"),
            "max_tokens must be at least 1, got 0");
  EXPECT_EQ(ParseError(SimEndpoint::kChat,
                       R"({"messages":[{"content":"x"}],"max_tokens":2,"min_tokens":3})"),
            "min_tokens must be less than or equal to max_tokens");
  EXPECT_EQ(ParseError(SimEndpoint::kChat, R"({"messages":[{"content":"x"}],"stream":"yes"})"),
            "stream must be a boolean");
}

TEST_F(SimOpenAiTest, SeedDependsOnBodyAndOptionsSeed) {
  const json body = {{"prompt", "a"}};
  const uint64_t s1 = ParseOk(SimEndpoint::kCompletions, body).seed;
  EXPECT_EQ(ParseOk(SimEndpoint::kCompletions, body).seed, s1);
  EXPECT_NE(ParseOk(SimEndpoint::kCompletions, {{"prompt", "b"}}).seed, s1);
  options_.seed = 1;
  EXPECT_NE(ParseOk(SimEndpoint::kCompletions, body).seed, s1);
}

TEST(SimOutputTest, ApproxPromptTokensCountsWhitespaceSeparatedWords) {
  EXPECT_EQ(ApproxPromptTokens(""), 0u);
  EXPECT_EQ(ApproxPromptTokens("  \n\t "), 0u);
  EXPECT_EQ(ApproxPromptTokens("the end"), 2u);
  EXPECT_EQ(ApproxPromptTokens(" Hello,  world!\nBye. "), 3u);
}

TEST(SimOutputTest, PlanIsMaxTokensUnlessEosIsModelled) {
  SimRequest r;
  r.max_tokens = 10;
  r.min_tokens = 3;
  SimRng rng(1);
  SimOutputPlan plan = PlanOutput(r, 0.0, rng);
  EXPECT_EQ(plan.tokens, 10);
  EXPECT_STREQ(plan.finish_reason, "length");

  plan = PlanOutput(r, 1.0, rng);  // EOS as soon as min_tokens allows
  EXPECT_EQ(plan.tokens, 3);
  EXPECT_STREQ(plan.finish_reason, "stop");

  r.ignore_eos = true;
  EXPECT_EQ(PlanOutput(r, 1.0, rng).tokens, 10);
}

TEST(SimOutputTest, GeneratedWordsCountExactly) {
  const auto tokenizer = MakeBuiltinTokenizer();
  const auto words = BuiltinWords();
  std::set<int32_t> word_ids;
  for (size_t i = 0; i < words.size(); ++i) word_ids.insert(BuiltinSpacedWordId(i));
  SimRng rng(2);
  for (int n : {0, 1, 2, 17, 500}) {
    const std::string text = GenerateWords(n, rng, /*at_start=*/true);
    EXPECT_NE(text.rfind(' ', 0), 0u) << "an answer must not start with a space";
    const std::vector<int32_t> ids = tokenizer->Encode(text);
    ASSERT_EQ(ids.size(), static_cast<size_t>(n));
    for (int32_t id : ids) EXPECT_TRUE(word_ids.count(id)) << id;
  }
}

// Later chunks start with a space, so an answer split into chunks joins to exactly its tokens.
TEST(SimOutputTest, ChunksJoinToExactCounts) {
  const auto tokenizer = MakeBuiltinTokenizer();
  SimRng rng(3);
  std::string text = GenerateWords(3, rng, /*at_start=*/true);
  for (int n : {1, 4, 2}) {
    const std::string chunk = GenerateWords(n, rng, /*at_start=*/false);
    EXPECT_EQ(chunk.rfind(' ', 0), 0u);
    text += chunk;
  }
  EXPECT_EQ(tokenizer->CountTokens(text), 10u) << text;
}

json EventJson(const std::string& event) {
  EXPECT_EQ(event.rfind("data: ", 0), 0u);
  EXPECT_EQ(event.substr(event.size() - 2), "\n\n");
  return json::parse(event.substr(6));
}

TEST(SimResponseFormatterTest, ChatEvents) {
  SimRequest r;
  r.model = "m\"q";  // escaped in JSON
  const SimResponseFormatter f(r, "chatcmpl-1", 123);
  const json role = EventJson(f.RoleEvent());
  EXPECT_EQ(role["id"], "chatcmpl-1");
  EXPECT_EQ(role["created"], 123);
  EXPECT_EQ(role["model"], "m\"q");
  EXPECT_EQ(role["choices"][0]["delta"], (json{{"role", "assistant"}, {"content", ""}}));
  const json content = EventJson(f.ContentEvent(" the"));
  EXPECT_EQ(content["object"], "chat.completion.chunk");
  EXPECT_EQ(content["choices"][0]["delta"]["content"], " the");
  const json finish = EventJson(f.FinishEvent("stop"));
  EXPECT_EQ(finish["choices"][0]["finish_reason"], "stop");
  const json usage = EventJson(f.UsageEvent(4, 6));
  EXPECT_EQ(usage["usage"], (json{{"prompt_tokens", 4}, {"completion_tokens", 6},
                                  {"total_tokens", 10}}));
  EXPECT_EQ(SimResponseFormatter::DoneEvent(), "data: [DONE]\n\n");
  const json full = json::parse(f.FullResponse(" a b", "length", 1, 2));
  EXPECT_EQ(full["object"], "chat.completion");
  EXPECT_EQ(full["choices"][0]["message"]["content"], " a b");
  EXPECT_EQ(full["usage"]["total_tokens"], 3);
}

TEST(SimResponseFormatterTest, CompletionEvents) {
  SimRequest r;
  r.endpoint = SimEndpoint::kCompletions;
  r.model = "m";
  const SimResponseFormatter f(r, "cmpl-1", 1);
  const json content = EventJson(f.ContentEvent(" of"));
  EXPECT_EQ(content["object"], "text_completion");
  EXPECT_EQ(content["choices"][0]["text"], " of");
  EXPECT_EQ(EventJson(f.FinishEvent("length"))["choices"][0]["text"], "");
  EXPECT_EQ(json::parse(f.FullResponse(" x", "length", 1, 1))["choices"][0]["text"], " x");
}

TEST(SimErrorBodyTest, Shape) {
  EXPECT_EQ(json::parse(SimErrorBody(404, "NotFoundError", "no route")),
            (json{{"error", {{"message", "no route"}, {"type", "NotFoundError"}, {"code", 404}}}}));
  EXPECT_EQ(json::parse(SimModelsBody("m", 5))["data"][0]["id"], "m");
}

}  // namespace
}  // namespace bench
