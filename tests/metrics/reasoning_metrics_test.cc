#include "metrics/reasoning_metrics.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "metrics/profile_metrics.h"

namespace bench {
namespace {

using Json = nlohmann::json;

// One token per whitespace-separated word: the expected counts below are countable by eye.
class WordTokenizer : public Tokenizer {
 public:
  size_t CountTokens(std::string_view text) const override {
    size_t n = 0;
    bool in_word = false;
    for (char c : text) {
      const bool space = c == ' ';
      if (!space && !in_word) ++n;
      in_word = !space;
    }
    return n;
  }
  std::vector<int32_t> Encode(std::string_view text, bool) const override {
    return std::vector<int32_t>(CountTokens(text), 1);
  }
  std::string Decode(std::span<const int32_t>, bool) const override { return {}; }
  size_t VocabSize() const override { return 100; }
  std::string Name() const override { return "words"; }
};

std::string Chunk(const std::string& delta) {
  return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta + "}]}\n\n";
}

RequestRecord Request(int64_t t0, const std::vector<std::pair<int64_t, std::string>>& reads) {
  RequestRecord r;
  r.timestamp_ns = t0;
  const Json body = {{"messages", {{{"role", "user"}, {"content", "w1 w2 w3 w4 w5"}}}}, {"stream", true}};
  r.request_inputs = {{"payload", body.dump()}};
  for (const auto& [ts, raw] : reads) {
    r.response_timestamps.push_back(ts);
    r.response_outputs.AddText(raw);
  }
  return r;
}

// A plain request: answer "p q r s" (4 tokens) in two chunks at 100 and 300, sent at 0.
RequestRecord PlainRequest() {
  return Request(0, {{100, Chunk(R"({"content":"p q"})")}, {300, Chunk(R"({"content":" r s"})") + "data: [DONE]\n\n"}});
}

// A reasoning request sent at 1000: role chunk at 1100, reasoning "a b" at 1500 and " c" at
// 1700 (3 tokens), answer "x y" at 2500 and " z" at 2900 (3 tokens); `usage` appended last.
RequestRecord ReasoningRequest(const std::string& usage = "") {
  return Request(1000, {{1100, Chunk(R"({"role":"assistant","content":""})")},
                        {1500, Chunk(R"({"reasoning_content":"a b"})")},
                        {1700, Chunk(R"({"reasoning_content":" c"})")},
                        {2500, Chunk(R"({"content":"x y"})")},
                        {2900, Chunk(R"({"content":" z"})") + usage + "data: [DONE]\n\n"}});
}

ExperimentMetrics Compute(const std::vector<RequestRecord>& requests, bool server_counts) {
  WordTokenizer tokenizer;
  MetricsOptions options;
  options.use_server_token_count = server_counts;
  MetricsAccumulator acc(ResponseFormat::kOpenAiChat, &tokenizer, options);
  for (const RequestRecord& r : requests) acc.Add(r);
  return acc.Finish();
}

TEST(ReasoningMetricsTest, HandComputedReasoningStreamKeepsGenAiPerfsRows) {
  const ExperimentMetrics m = Compute({PlainRequest(), ReasoningRequest()}, false);
  // GenAI-Perf's rows count content only: TTFT 2500 - 1000, ITL (2900 - 2500) / (3 - 1).
  EXPECT_EQ(m.lists.time_to_first_token, (std::vector<double>{100, 1500}));
  EXPECT_EQ(m.lists.output_sequence_length, (std::vector<double>{4, 3}));
  EXPECT_EQ(m.lists.inter_token_latency, (std::vector<double>{67, 200}));  // 200/3 rounds to 67
  EXPECT_EQ(m.lists.input_sequence_length, (std::vector<double>{5, 5}));
  const ReasoningMetrics& r = m.reasoning;
  EXPECT_EQ(r.requests_with_reasoning, 1u);
  EXPECT_EQ(r.time_to_first_reasoning_token, (std::vector<double>{500}));     // 1500 - 1000
  EXPECT_EQ(r.time_to_first_answer_token, (std::vector<double>{100, 1500}));  // the plain one too
  EXPECT_EQ(r.reasoning_token_count, (std::vector<double>{0, 3}));
  EXPECT_EQ(r.answer_token_count, (std::vector<double>{4, 3}));
  // Over all output tokens: (300 - 100) / (4 - 1) = 66.7 -> 67; (2900 - 1500) / (6 - 1) = 280.
  EXPECT_EQ(r.inter_token_latency_with_reasoning, (std::vector<double>{67, 280}));
  // Chunks: 2 plain + 4 reasoning-request reads with output; tokens 4 + 6.
  EXPECT_EQ(r.chunks, 6u);
  EXPECT_DOUBLE_EQ(r.chunk_tokens, 10.0);
  EXPECT_EQ(r.chunk_tokens_from_usage, 0u);
  EXPECT_TRUE(r.server_osl.empty());
}

// A read may end inside the one "reasoning key of a request: its reasoning still counts.
TEST(ReasoningMetricsTest, KeySplitAcrossReadsStillCounts) {
  const std::string reasoning = Chunk(R"({"reasoning_content":"a b c"})");
  const size_t cut = reasoning.find("reasoning") + 4;  // ...{"reas | oning_content"...
  const RequestRecord r = Request(1000, {{1100, Chunk(R"({"role":"assistant","content":""})")},
                                         {1400, reasoning.substr(0, cut)},
                                         {1500, reasoning.substr(cut)},
                                         {2500, Chunk(R"({"content":"x y"})")},
                                         {2900, Chunk(R"({"content":" z"})") + "data: [DONE]\n\n"}});
  const ExperimentMetrics m = Compute({r}, false);
  EXPECT_EQ(m.reasoning.requests_with_reasoning, 1u);
  EXPECT_EQ(m.reasoning.reasoning_token_count, (std::vector<double>{3}));
  EXPECT_EQ(m.reasoning.answer_token_count, (std::vector<double>{3}));
}

TEST(ReasoningMetricsTest, NoReasoningNoReasoningRows) {
  const ExperimentMetrics m = Compute({PlainRequest(), PlainRequest()}, false);
  EXPECT_EQ(m.reasoning.requests_with_reasoning, 0u);
  EXPECT_TRUE(m.reasoning.time_to_first_answer_token.empty());
  EXPECT_TRUE(m.reasoning.reasoning_token_count.empty());
  EXPECT_EQ(m.reasoning.chunks, 4u);
}

TEST(ReasoningMetricsTest, ServerCountsReplaceOslAndIslAndKeepTheTokenizers) {
  const std::string usage =
      "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
      "\"completion_tokens\":8,\"total_tokens\":17}}\n\n";
  const ExperimentMetrics m = Compute({ReasoningRequest(usage), PlainRequest()}, true);
  // OSL = completion_tokens (reasoning included); ISL = prompt_tokens; the plain request had no
  // usage and keeps the tokenizer's 4 and 5.
  EXPECT_EQ(m.lists.output_sequence_length, (std::vector<double>{8, 4}));
  EXPECT_EQ(m.lists.input_sequence_length, (std::vector<double>{9, 5}));
  // GenAI-Perf's ITL spans the answer: 8 - 3 reasoning tokens (the tokenizer's, the server gave
  // none) = 5 answer tokens, (2900 - 2500) / (5 - 1) = 100.
  EXPECT_EQ(m.lists.inter_token_latency, (std::vector<double>{100, 67}));
  const ReasoningMetrics& r = m.reasoning;
  EXPECT_EQ(r.server_osl, (std::vector<double>{8}));
  EXPECT_EQ(r.tokenizer_osl, (std::vector<double>{6}));
  EXPECT_EQ(r.server_isl, (std::vector<double>{9}));
  EXPECT_EQ(r.tokenizer_isl, (std::vector<double>{5}));
  EXPECT_EQ(r.requests_without_usage, 1u);
  EXPECT_EQ(r.requests_counted, 2u);
  EXPECT_EQ(r.answer_token_count, (std::vector<double>{5, 4}));
  // (2900 - 1500) / (8 - 1) = 200 over the server's 8 tokens.
  EXPECT_EQ(r.inter_token_latency_with_reasoning, (std::vector<double>{200, 67}));
  EXPECT_EQ(r.chunk_tokens_from_usage, 1u);
  EXPECT_DOUBLE_EQ(r.chunk_tokens, 12.0);  // 8 from usage + 4 from the tokenizer
  EXPECT_EQ(r.chunks, 6u);
}

TEST(ReasoningMetricsTest, ServerReasoningCountIsPreferred) {
  const std::string usage =
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":8,"
      "\"completion_tokens_details\":{\"reasoning_tokens\":6}}}\n\n";
  const ExperimentMetrics m = Compute({ReasoningRequest(usage)}, true);
  EXPECT_EQ(m.reasoning.answer_token_count, (std::vector<double>{2}));
  EXPECT_EQ(m.lists.inter_token_latency, (std::vector<double>{400}));  // (2900 - 2500) / (2 - 1)
}

}  // namespace
}  // namespace bench
